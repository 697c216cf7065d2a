"""How alike two answers are, word by word. Pure: standard library only."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

# A word (letters, digits, inner hyphens and apostrophes) or one other non-space.
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def words(text: str) -> list[str]:
    """Split a text into the words and marks a reader compares."""
    return _TOKEN.findall(text)


def similarity(old: Sequence[str], new: Sequence[str]) -> float:
    """Return how alike two answers' paragraphs are, from 0 to 1 (3 decimals).

    The share of words the two have in common, in order (difflib's ratio on
    word sequences, without its junk heuristic: common words are content here).
    """
    old_words = words("\n\n".join(old))
    new_words = words("\n\n".join(new))
    if old_words == new_words:
        return 1.0
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    return round(matcher.ratio(), 3)
