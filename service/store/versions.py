"""A question's versions: its answers in order, each with an id, neighbours and change.

A version is the answer one article gives one question: its id is derived from
the article id and the question id alone (keys.answer_id). Versions are ordered
as answers are (publication date, then ingestion order); should an article ask
the same question twice, its last answer to it is the version.
"""

from __future__ import annotations

import enum
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, select

from service.diff import similarity
from service.keys import answer_id
from service.store.queries import (
    ANSWER_ORDER,
    ANSWERS,
    AnswerRow,
    ChangeRow,
    VersionRow,
    answer_row,
)
from service.store.tables import articles, questions, records


class Match(enum.Enum):
    """How a date picks a version (`match` on /answers/{date})."""

    AS_OF = "as_of"  # the latest published on or before the date
    EXACT = "exact"  # published on the date
    NEAREST = "nearest"  # the closest publication either side; a tie: the earlier
    AFTER = "after"  # the first published on or after the date


@dataclass(frozen=True)
class Version:
    id: str
    record_pk: int
    article_id: str
    published: date


@dataclass(frozen=True)
class History:
    """Every version of one question, oldest first (never empty)."""

    question_id: str
    versions: tuple[Version, ...]

    @property
    def first(self) -> Version:
        return self.versions[0]

    @property
    def last(self) -> Version:
        return self.versions[-1]

    def index_of(self, version_id: str) -> int | None:
        """Return the position of a version, or None if it is not one of these."""
        for index, version in enumerate(self.versions):
            if version.id == version_id:
                return index
        return None

    def pick(self, day: date, match: Match) -> int | None:
        """Return the position of the version a date picks, or None."""
        dates = [version.published for version in self.versions]
        if match is Match.AS_OF:
            before = [i for i, published in enumerate(dates) if published <= day]
            return before[-1] if before else None
        if match is Match.EXACT:
            same = [i for i, published in enumerate(dates) if published == day]
            return same[-1] if same else None
        if match is Match.AFTER:
            return next((i for i, p in enumerate(dates) if p >= day), None)
        # NEAREST: the smallest distance; among equals the earliest date, and on
        # that date the version in force (the last).
        best = min(range(len(dates)), key=lambda i: (abs((dates[i] - day).days), i))
        same_day = [i for i, published in enumerate(dates) if published == dates[best]]
        return same_day[-1]


_HISTORY = (
    select(records.c.pk, records.c.published, articles.c.id.label("article_id"))
    .select_from(
        records.join(articles, records.c.article_pk == articles.c.pk).join(
            questions, records.c.question_pk == questions.c.pk
        )
    )
    .where(
        questions.c.id == bindparam("question_id"),
        records.c.answer_start.is_not(None),
    )
    .order_by(*ANSWER_ORDER)
)
_BY_PK = ANSWERS.where(records.c.pk.in_(bindparam("pks", expanding=True)))
_OF_ARTICLE = (
    select(questions.c.id, articles.c.retracted_at, articles.c.retracted_answers)
    .select_from(articles)
    .outerjoin(records, records.c.article_pk == articles.c.pk)
    .outerjoin(questions, records.c.question_pk == questions.c.pk)
    .where(articles.c.id == bindparam("article_id"))
)


def history(conn: Connection, question_id: str) -> History | None:
    """Return a question's versions, or None when it has no answer."""
    rows = conn.execute(_HISTORY, {"question_id": question_id}).all()
    versions: list[Version] = []
    for row in rows:
        if versions and versions[-1].article_id == row.article_id:
            versions.pop()  # the same article again: its later answer counts
        versions.append(
            Version(
                answer_id(row.article_id, question_id),
                row.pk,
                row.article_id,
                row.published,
            )
        )
    return History(question_id, tuple(versions)) if versions else None


@dataclass(frozen=True)
class Located:
    """Where a version id points: a live version, or a retracted one."""

    history: History | None
    index: int | None
    retracted_at: Any = None


def locate(conn: Connection, version_id: str) -> Located | None:
    """Find a version by id: its history and position, or when it was retracted."""
    article = version_id.partition("-")[0]
    rows = conn.execute(_OF_ARTICLE, {"article_id": article}).all()
    if not rows:
        return None
    if rows[0].retracted_at is not None:
        ended = rows[0].retracted_answers or []
        return (
            Located(None, None, rows[0].retracted_at) if version_id in ended else None
        )
    for row in rows:
        if row.id is not None and answer_id(article, row.id) == version_id:
            found = history(conn, row.id)
            index = found.index_of(version_id) if found else None
            return Located(found, index) if index is not None else None
    return None


def answer(conn: Connection, found: History, index: int) -> VersionRow:
    """Load one version with its neighbours and its change against the previous."""
    wanted = [found.versions[index].record_pk]
    if index > 0:
        wanted.append(found.versions[index - 1].record_pk)
    rows = _rows(conn, wanted)
    previous = rows[wanted[1]] if index > 0 else None
    return _versioned(found, index, rows[wanted[0]], previous)


def answers(conn: Connection, found: History) -> list[VersionRow]:
    """Load every version of a question, oldest first."""
    pks = [version.record_pk for version in found.versions]
    rows = _rows(conn, pks)
    loaded = [rows[pk] for pk in pks]
    return [
        _versioned(found, index, row, loaded[index - 1] if index else None)
        for index, row in enumerate(loaded)
    ]


def _rows(conn: Connection, pks: list[int]) -> dict[int, AnswerRow]:
    return {row.pk: answer_row(row) for row in conn.execute(_BY_PK, {"pks": pks})}


# Two versions' texts never change (ids come from the texts), so how alike they
# are is computed once per pair: it was a third of a cache miss of /latest.
_SIMILARITIES: OrderedDict[tuple[str, str], float] = OrderedDict()
_SIMILARITIES_KEPT = 4096
_SIMILARITIES_LOCK = threading.Lock()


def pair_similarity(pair: tuple[str, str], old: list[str], new: list[str]) -> float:
    """How alike two versions are (service.diff.similarity), kept per pair of ids."""
    with _SIMILARITIES_LOCK:
        known = _SIMILARITIES.get(pair)
        if known is not None:
            _SIMILARITIES.move_to_end(pair)
            return known
    value = similarity(old, new)
    with _SIMILARITIES_LOCK:
        _SIMILARITIES[pair] = value
        while len(_SIMILARITIES) > _SIMILARITIES_KEPT:
            _SIMILARITIES.popitem(last=False)
    return value


def _versioned(
    found: History, index: int, row: AnswerRow, previous: AnswerRow | None
) -> VersionRow:
    versions = found.versions
    previous_id = versions[index - 1].id if index > 0 else None
    change: ChangeRow
    if previous is None:
        change = {"kind": "first", "previous": None, "similarity": 0.0}
    elif previous["paragraphs"] == row["paragraphs"]:
        change = {"kind": "unchanged", "previous": previous_id, "similarity": 1.0}
    else:
        change = {
            "kind": "revised",
            "previous": previous_id,
            "similarity": pair_similarity(
                (previous_id or "", versions[index].id),
                previous["paragraphs"],
                row["paragraphs"],
            ),
        }
    return {
        **row,
        "id": versions[index].id,
        "previous_id": previous_id,
        "next_id": versions[index + 1].id if index + 1 < len(versions) else None,
        "change": change,
    }
