"""From a reader's query to ranked answers: the plan, the one scorer, highlights (pure).

A query becomes groups, one per content word, each with the index terms that
stand for it: the word's own stem, the stored compounds it begins or ends
("Grundsteuer" -> "Grundsteuerbescheid"), a compound's parts when the compound
itself is not stored ("Grundsteuerbescheid" -> "Grundsteuer", "Bescheid"), or
the stored words one typo away when it is unknown. The database finds the
documents holding any of them; this scorer alone ranks them, so both databases
give the same order.

A document's score is how much of the query it covers, each group weighed by
its rarity (idf): a group found in the question counts fully, in the answer
text by how often (BM25's saturation), in its article's lead half (more for a
heading like "Was bedeutet das?"), in its other headings a little. A little is added
for how much of the question the query covers, and for an interrogative both
share ("wann"). Scores lie between 0 and about 1.1.
"""

from __future__ import annotations

import functools
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from service.search.text import (
    GENERIC_WORDS,
    HINT_WORDS,
    MIN_TYPO_LENGTH,
    compound_splits,
    edits1,
    marked,
    stem,
    synonyms,
    tokens,
    unprefixed,
    verb_forms,
)

# Field weights: a word of the query found in the question, in the answer text
# (at tf saturation), in the article's lead (which names the topic of every
# answer, and all a heading like "Was bedeutet das?" is about), in its other
# headings (which other answers answer).
QUESTION_WEIGHT = 1.0
ANSWER_WEIGHT = 0.7
LEAD_WEIGHT = 0.5
GENERIC_LEAD_WEIGHT = 0.75
HEADINGS_WEIGHT = 0.3
# How much an index term standing in for a query word counts.
EXTENSION_WEIGHT = 0.7  # a stored compound or derivation holding the word
TYPO_WEIGHT = 0.8
PART_WEIGHT = 0.6  # both parts of a stored compound, apart
SYNONYM_WEIGHT = 0.75  # a word of the same meaning, or the word without its prefix
EXTENSIONS = 8  # per word, the most frequent first
MIN_EXTENDED = 5  # letters of a stem whose compounds are looked for
TYPOS = 3
# BM25 saturation of the answer text, lengths in terms.
K1 = 1.2
B = 0.5
AVERAGE_ANSWER_TERMS = 60
# Beyond the query's coverage: the question's own coverage, and the words
# telling what kind of question it is ("wann", "wie geht es weiter") shared.
QUESTION_COVERAGE_WEIGHT = 0.15
HINT_BONUS = 0.03
HINTS = 3
# /v1/ask answers only above this score, and only those near the best.
ASK_THRESHOLD = 0.48
ASK_RELATIVE = 0.85
ASK_MATCHES = 3
# ... and only where every query word of LONG_WORD letters or more is held at
# least this strongly: in the question, the answer text, or as a word of the
# article's lead or other headings (0.3, HEADINGS_WEIGHT), where an article
# names its topic once for all its answers.
LONG_WORD = 8
LONG_WORD_STRENGTH = 0.3


class Vocabulary(Protocol):
    """The index's terms, as the store knows them."""

    def documents(self) -> int:
        """How many documents are indexed."""

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequency of each known term (unknown ones are left out)."""

    def extensions(self, term: str, limit: int) -> dict[str, int]:
        """Known longer terms that begin or end with `term`, most frequent first."""


@dataclass(frozen=True)
class Group:
    """One content word of the query: the terms standing for it, by weight.

    A compound read as its parts has one slot per part, and a document must
    hold every part ("Wohngeld" is not "wohnen" plus any "Geld").
    """

    word: str
    slots: tuple[dict[str, float], ...]
    idf: float
    df: int

    @property
    def terms(self) -> dict[str, float]:
        return {term: w for slot in self.slots for term, w in slot.items()}


@dataclass(frozen=True)
class Plan:
    groups: tuple[Group, ...]
    hints: frozenset[str]  # the query's hint words (HINT_WORDS), folded

    @functools.cached_property
    def terms(self) -> set[str]:
        return {term for group in self.groups for term in group.terms}

    @functools.cached_property
    def places(self) -> dict[str, list[tuple[int, int, float]]]:
        """Each term's places in the plan: (group, slot, weight)."""
        found: dict[str, list[tuple[int, int, float]]] = {}
        for g, group in enumerate(self.groups):
            for s, slot in enumerate(group.slots):
                for term, weight in slot.items():
                    found.setdefault(term, []).append((g, s, weight))
        return found

    @functools.cached_property
    def idf_total(self) -> float:
        return sum(group.idf for group in self.groups)

    def retrieval_terms(self, budget: int) -> list[str]:
        """The terms to fetch candidates by: the rarest groups' up to `budget` hits.

        A very common word (in most answers) cannot pick candidates; it still
        counts in every candidate's score.
        """
        chosen: list[str] = []
        found = 0
        for group in sorted(self.groups, key=lambda g: (g.df, g.word)):
            if not group.terms:
                continue
            if chosen and found + group.df > budget:
                break
            chosen.extend(sorted(group.terms))
            found += group.df
        return chosen


class Document(NamedTuple):
    """One indexed answer version, as the scorer sees it."""

    record_pk: int
    question_pk: int
    published: str
    generic: bool
    question: Sequence[str]
    answer: Sequence[str]
    lead: Sequence[str]  # the article's lead
    context: Sequence[str]  # what only its other headings hold
    asks: Sequence[str]  # the heading's hint words (HINT_WORDS), folded


def idf(df: int, documents: int) -> float:
    return math.log(1 + (documents - df + 0.5) / (df + 0.5))


def plan(query: str, vocabulary: Vocabulary) -> Plan:
    """Read a query into groups of index terms."""
    found = tokens(query)
    words = list(dict.fromkeys(t.folded for t in found if not t.stop))
    hints = frozenset(t.folded for t in found if t.folded in HINT_WORDS)
    # The words that say what kind of question it is ("steht", "passiert",
    # "bedeutet") are hints, not its topic, once it names one: "wie steht es um
    # die Friedensgespräche" asks about Friedensgespräche.
    topical = [word for word in words if word not in GENERIC_WORDS]
    if topical:
        words = topical
    stems = {word: stem(word) for word in words}
    known = vocabulary.frequencies(stems.values())
    total = max(vocabulary.documents(), 1)
    groups: list[Group] = []
    for word in words:
        own = stems[word]
        terms: dict[str, float] = {}
        if own in known:
            terms[own] = 1.0
        else:
            parts = _parts(word, vocabulary)
            if parts:
                # The compound itself is unknown: as rare as a word can be.
                rarest = min(parts.values())
                slots = tuple(
                    {part: 1.0, **_synonyms_known(part, vocabulary)} for part in parts
                )
                groups.append(Group(word, slots, idf(0, total), rarest))
                continue
        bare = unprefixed(word)
        related = synonyms(own) | verb_forms(word) | ({bare} if bare else set())
        near = vocabulary.frequencies(related - set(terms))
        for term in sorted(near):
            terms[term] = SYNONYM_WEIGHT
        known.update(near)
        if len(own) >= MIN_EXTENDED:
            extended = vocabulary.extensions(own, EXTENSIONS)
            for term in extended:
                terms.setdefault(term, EXTENSION_WEIGHT)
            known.update(extended)
        if not terms and len(word) >= MIN_TYPO_LENGTH:
            # Unknown, and no other form of it is stored: a typo, last of all
            # ("streikt" is "Streik", not "strikt"). The edits of the word as
            # typed, stemmed, as well: a typo can change what the stemmer cuts
            # ("jobtciket" stems to "jobtcik").
            near = vocabulary.frequencies(edits1(own) | set(map(stem, edits1(word))))
            for term in sorted(near, key=lambda t: (-near[t], t))[:TYPOS]:
                terms[term] = TYPO_WEIGHT
                known[term] = near[term]
        df = known.get(own, max((known[t] for t in terms), default=0))
        # A stored compound also stands for its two parts together, weaker:
        # "Kassenbeiträge" for "Beiträge der Kasse".
        parts = _parts(word, vocabulary) if own in known else {}
        slots = tuple({part: PART_WEIGHT, **terms} for part in parts) or (terms,)
        groups.append(Group(word, slots, idf(df, total), df))
    return Plan(tuple(groups), hints)


def _synonyms_known(term: str, vocabulary: Vocabulary) -> dict[str, float]:
    return dict.fromkeys(vocabulary.frequencies(synonyms(term)), SYNONYM_WEIGHT)


def _parts(word: str, vocabulary: Vocabulary) -> dict[str, int]:
    """A compound's two stored parts, longest head first; {} if none."""
    splits = compound_splits(word.replace("-", ""))
    if not splits:
        return {}
    known = vocabulary.frequencies({part for split in splits for part in split})
    for head, tail in splits:
        if head in known and tail in known:
            return {head: known[head], tail: known[tail]}
    return {}


def _strengths(query: Plan, doc: Document) -> tuple[list[float], set[str]]:
    """How strongly the document holds each group (0 to 1), and the query's
    terms found in its question."""
    places = query.places
    question = places.keys() & doc.question
    lead = places.keys() & doc.lead
    context = places.keys() & doc.context
    answer = doc.answer
    counts = {term: answer.count(term) for term in places.keys() & answer}
    norm = 1 - B + B * len(answer) / AVERAGE_ANSWER_TERMS
    lead_weight = GENERIC_LEAD_WEIGHT if doc.generic else LEAD_WEIGHT
    # A term the document lacks adds nothing to a slot: only the held are weighed.
    best = [[0.0] * len(group.slots) for group in query.groups]
    for term in question | lead | context | counts.keys():
        tf = counts.get(term, 0)
        for g, s, weight in places[term]:
            q = QUESTION_WEIGHT * weight if term in question else 0.0
            a = min(1.0, ANSWER_WEIGHT * weight * tf * (K1 + 1) / (tf + K1 * norm))
            if term in lead:
                c = lead_weight * weight
            else:
                c = HEADINGS_WEIGHT * weight if term in context else 0.0
            value = 1 - (1 - q) * (1 - a) * (1 - c)
            if value > best[g][s]:
                best[g][s] = value
    return [min(slots) for slots in best], question


def score(query: Plan, doc: Document) -> float:
    """How well a document answers the query (0 when it shares nothing)."""
    strengths, in_question = _strengths(query, doc)
    covered = sum(g.idf * s for g, s in zip(query.groups, strengths, strict=True))
    if not covered:
        return 0.0
    coverage = covered / query.idf_total
    # Of the question's own words, how many the query named: "Was ist die
    # Grundsteuer?" answers "grundsteuer" more closely than a longer question.
    own = set(doc.question)
    share = len(in_question & own) / len(own) if own and not doc.generic else 0.0
    bonus = HINT_BONUS * min(HINTS, len(query.hints.intersection(doc.asks)))
    return round(coverage + QUESTION_COVERAGE_WEIGHT * share + bonus, 6)


def _covers_long_words(query: Plan, doc: Document) -> bool:
    """Whether the document holds every long word of the query.

    A long German word is most often the topic ("Wohngeld", "Rundfunkbeitrag"):
    an answer about something else that shares the rest is no answer.
    """
    strengths, _ = _strengths(query, doc)
    return all(
        strength >= LONG_WORD_STRENGTH
        for group, strength in zip(query.groups, strengths, strict=True)
        if len(group.word) >= LONG_WORD
    )


def rank(query: Plan, docs: Iterable[Document]) -> list[tuple[float, Document]]:
    """Score and order documents, best first; ties: the newer, then the lower pk."""
    scored = [(score(query, doc), doc) for doc in docs]
    scored = [(value, doc) for value, doc in scored if value > 0]
    # Stable sorts, the least significant key first (dates are ISO strings).
    scored.sort(key=lambda pair: pair[1].record_pk)
    scored.sort(key=lambda pair: pair[1].published, reverse=True)
    scored.sort(key=lambda pair: -pair[0])
    return scored


def ask(
    query: Plan, ranked: Sequence[tuple[float, Document]]
) -> list[tuple[float, Document]]:
    """Keep what /v1/ask may answer: sure enough, holding the query's long words,
    near the best."""
    sure = [
        pair
        for pair in ranked[: ASK_MATCHES * 3]
        if pair[0] >= ASK_THRESHOLD and _covers_long_words(query, pair[1])
    ]
    if not sure:
        return []
    floor = sure[0][0] * ASK_RELATIVE
    return [pair for pair in sure[:ASK_MATCHES] if pair[0] >= floor]


_SENTENCE = re.compile(r"[^.!?]*[.!?]+|[^.!?]+$")
SNIPPET_CHARS = 240


def highlight(text: str, terms: set[str], *, whole: bool = False) -> str | None:
    """An HTML fragment of the text with matching words in <mark>; None if none match.

    Unless `whole`, only the sentence with the most matching words is kept (at
    most about SNIPPET_CHARS), with an ellipsis where text was left out.
    """
    marks = marked(text, terms)
    if not marks:
        return None
    start, end = 0, len(text)
    if not whole:
        sentences = [m.span() for m in _SENTENCE.finditer(text) if m.group().strip()]
        start, end = max(
            sentences,
            key=lambda span: sum(span[0] <= at < span[1] for at, _ in marks),
        )
        first = next(at for at, _ in marks if at >= start)
        if end - start > SNIPPET_CHARS:
            start = max(start, first - SNIPPET_CHARS // 3)
            end = min(end, start + SNIPPET_CHARS)
    out = ["…" if start > 0 and not whole else ""]
    at = start
    for mark_start, mark_end in marks:
        if mark_start < start or mark_end > end:
            continue
        out += [html.escape(text[at:mark_start]), "<mark>"]
        out += [html.escape(text[mark_start:mark_end]), "</mark>"]
        at = mark_end
    out.append(html.escape(text[at:end]).rstrip())
    if end < len(text) and not whole:
        out.append(" …")
    return "".join(out).strip()
