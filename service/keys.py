"""Question identity: the key that makes two wordings one question, and its id.

Pure: standard library only. Changing anything here changes stored ids.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

# Every quote style folds to the ASCII double quote („“”«»‚‘’"').
_QUOTES = str.maketrans(
    dict.fromkeys("\u201e\u201c\u201d\u00ab\u00bb\u201a\u2018\u2019'", '"')
)
# German transliteration for the readable slug; casefold() already made ß "ss".
_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "æ": "ae", "ø": "oe"}
)
_WHITESPACE = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_SLUG_CHARS = 80
HASH_CHARS = 10
# Slugs are [a-z0-9-]; a hashed id puts "_" before its hash, so a plain slug can
# never look like a hashed one.
_HASH_SEPARATOR = "_"


def question_key(text: str) -> str:
    """Return the normalised key under which equal questions are one question."""
    key = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    key = _WHITESPACE.sub(" ", key).strip()
    return key.rstrip("? ")


def question_id(key: str) -> str:
    """Return the stable, URL-safe id of a question key.

    A plain slug when the key is only ASCII letters, digits and single spaces
    (the slug then maps back to exactly one key); otherwise the slug plus a
    short hash of the key.
    """
    ascii_text = unicodedata.normalize("NFKD", key.translate(_TRANSLITERATION))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text).strip("-")
    truncated = slug[:MAX_SLUG_CHARS].rstrip("-")
    if truncated and truncated.replace("-", " ") == key:
        return truncated
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:HASH_CHARS]
    return (
        f"{truncated}{_HASH_SEPARATOR}{digest}"
        if truncated
        else f"q{_HASH_SEPARATOR}{digest}"
    )


def article_id(sha256: str) -> str:
    """Return the article id: the first 16 hex digits of its text's SHA-256."""
    return sha256[:16]


ANSWER_HASH_CHARS = 12


def answer_id(article: str, question: str) -> str:
    """Return the id of the answer an article gives a question.

    The article id, then a short hash of the question id: URL-safe, and the
    same whenever the same article is stored again.
    """
    return f"{article}-{_question_hash(question)}"


@functools.lru_cache(maxsize=65_536)
def _question_hash(question: str) -> str:
    # Every version of a question shares it, and each answer read names them all.
    return hashlib.sha256(question.encode("utf-8")).hexdigest()[:ANSWER_HASH_CHARS]
