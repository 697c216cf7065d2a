"""Question keys and ids: normalisation table, id stability and shape."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.keys import article_id, question_id, question_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Was ist der Stand?", "was ist der stand"),
        ("Was sind die großen Knackpunkte?", "was sind die grossen knackpunkte"),
        ("WAS SIND DIE GROSSEN KNACKPUNKTE ?", "was sind die grossen knackpunkte"),
        (
            "Wie blickt Moskau auf die „Koalition der Willigen“?",
            'wie blickt moskau auf die "koalition der willigen"',
        ),
        (
            "Wie blickt Moskau auf die «Koalition der Willigen»?",
            'wie blickt moskau auf die "koalition der willigen"',
        ),
        (
            "Wie blickt Moskau auf die 'Koalition der Willigen'?",
            'wie blickt moskau auf die "koalition der willigen"',
        ),
        (
            "Wie blickt Moskau auf die ‚Koalition der Willigen‘?",
            'wie blickt moskau auf die "koalition der willigen"',
        ),
        ("Was  ist\u00a0der\tStand??", "was ist der stand"),
        ("Was ist der Stand ? ", "was ist der stand"),
        ("Was kostet ½ Liter?", "was kostet 1⁄2 liter"),
    ],
)
def test_question_key_normalises(text: str, key: str) -> None:
    assert question_key(text) == key


def test_plain_ascii_key_gives_a_plain_slug() -> None:
    assert (
        question_id("was sind die grossen knackpunkte")
        == "was-sind-die-grossen-knackpunkte"
    )


def test_umlauts_are_transliterated_and_hashed() -> None:
    qid = question_id(question_key("Was ist der Stand der Friedensgespräche?"))
    assert re.fullmatch(r"was-ist-der-stand-der-friedensgespraeche_[0-9a-f]{10}", qid)


def test_lossy_slugs_of_different_keys_differ() -> None:
    assert question_id("friedensgespräche") != question_id("friedensgespraeche")
    assert question_id("was ist nato") != question_id("was ist nato?!")


def test_long_keys_are_truncated_and_hashed() -> None:
    qid = question_id("wort " * 40)
    slug, _, digest = qid.partition("_")
    assert len(slug) <= 80 and len(digest) == 10


def test_key_without_any_ascii_still_gets_an_id() -> None:
    assert re.fullmatch(r"q_[0-9a-f]{10}", question_id("что происходит"))


@given(st.text(max_size=120))
def test_ids_are_url_safe_and_stable(text: str) -> None:
    key = question_key(text)
    qid = question_id(key)
    assert re.fullmatch(r"[a-z0-9_-]{1,160}", qid)
    assert question_id(key) == qid


def test_article_id_is_the_sha256_prefix() -> None:
    assert (
        article_id("ff251b4db109e58409c165ca18cf639b88519d54b6effb30d71e4f5336a2fccd")
        == "ff251b4db109e584"
    )
