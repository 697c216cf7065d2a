"""The parser against docs/design.md's rules: seeds, edge cases, errors, properties."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.errors import ArticleParseError
from service.parsing import MAX_HEADING_CHARS, ParsedArticle, is_heading, parse_article
from tests.conftest import SEEDS, make_article


def parse(data: bytes | str) -> ParsedArticle:
    return parse_article(
        data.encode("utf-8") if isinstance(data, str) else data, source="t.txt"
    )


def shape(article: ParsedArticle) -> list[tuple[str, int]]:
    return [(record.question, len(record.paragraphs)) for record in article.records]


# --- the seeds, exactly -----------------------------------------------------------


def test_seed_002_records() -> None:
    article = parse_article(
        (SEEDS / "002_50c63c787d68af43.txt").read_bytes(), source="002"
    )
    assert article.published == date(2026, 1, 6)
    assert shape(article) == [
        (
            "Wie unterscheidet sich der Pariser Gipfel vom Berliner Treffen im Dezember?",
            1,
        ),
        ("Was ist der derzeitige Stand der Friedensgespräche?", 3),
        ('Wie blickt Moskau auf die "Koalition der Willigen"?', 2),
    ]
    first = article.records[0]
    assert (first.question_span.start, first.question_span.end) == (17, 92)
    assert first.answer_span is not None
    assert (first.answer_span.start, first.answer_span.end) == (94, 491)
    assert article.warnings == () and article.lead == ()


def test_seed_000_records() -> None:
    article = parse_article(
        (SEEDS / "000_80820c57a30bb01b.txt").read_bytes(), source="000"
    )
    assert article.published == date(2026, 1, 9)
    assert shape(article) == [
        ("Was sind die großen Knackpunkte bei dem Treffen?", 2),
        ("Was ist der derzeitige Stand der Friedensgespräche?", 3),
    ]


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seed_spans_hold(path: Path) -> None:
    article = parse_article(path.read_bytes(), source=path.name)
    assert_spans_hold(article)


def assert_spans_hold(article: ParsedArticle) -> None:
    text = article.text
    for record in article.records:
        assert (
            text[record.question_span.start : record.question_span.end].strip()
            == record.question
        )
        if record.answer_span is None:
            assert record.paragraphs == ()
            continue
        answer = text[record.answer_span.start : record.answer_span.end]
        assert record.question_span.end <= record.answer_span.start
        position = 0
        for paragraph in record.paragraphs:
            found = answer.find(paragraph, position)
            assert found >= 0, paragraph
            position = found + len(paragraph)


def test_same_question_in_both_seeds_has_one_key() -> None:
    keys = [
        {
            r.key: r.question_id
            for r in parse_article(p.read_bytes(), source=p.name).records
        }
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    shared = set(keys[0]) & set(keys[1])
    assert shared == {"was ist der derzeitige stand der friedensgespräche"}


# --- canonical text ----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"date 2026-01-06 Was nun?\n\nEine Antwort.\n",
        b"\xef\xbb\xbfdate 2026-01-06 Was nun?\n\nEine Antwort.\n",
        b"date 2026-01-06 Was nun?\r\n\r\nEine Antwort.\r\n",
        b"date 2026-01-06 Was nun?\r\rEine Antwort.\r",
    ],
    ids=["lf", "bom", "crlf", "cr"],
)
def test_bom_and_line_endings_give_one_canonical_text(data: bytes) -> None:
    article = parse(data)
    assert article.text == "date 2026-01-06 Was nun?\n\nEine Antwort.\n"
    assert shape(article) == [("Was nun?", 1)]


def test_sha256_is_of_the_canonical_text() -> None:
    crlf = parse(b"date 2026-01-06 Was nun?\r\n\r\nEine Antwort.\r\n")
    lf = parse(b"date 2026-01-06 Was nun?\n\nEine Antwort.\n")
    assert crlf.sha256 == lf.sha256


# --- blocks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "separator",
    ["\n\n", "\n\n\n\n", "\n   \n", "\n\t\n", "\n\u00a0\n", "\n \u00a0\t \n\n"],
    ids=["one", "runs", "spaces", "tab", "nbsp", "mixed"],
)
def test_blank_lines_of_any_whitespace_separate_blocks(separator: str) -> None:
    text = f"date 2026-01-06{separator}Wer zahlt?{separator}Erster Absatz.{separator}Zweiter Absatz."
    assert shape(parse(text)) == [("Wer zahlt?", 2)]


def test_trailing_spaces_are_trimmed_from_questions_and_paragraphs() -> None:
    article = parse("  date 2026-01-06   Wer zahlt?   \n\n  Die Antwort.  \t\n")
    assert article.records[0].question == "Wer zahlt?"
    assert article.records[0].paragraphs == ("Die Antwort.",)
    assert_spans_hold(article)


def test_multi_line_block_is_one_paragraph() -> None:
    article = parse(
        make_article(
            "2026-01-06",
            "Welche Länder sind dabei?",
            "Dabei sind:\n- Frankreich\n- Deutschland\n- Polen",
            "Weitere folgen.",
        )
    )
    assert article.records[0].paragraphs == (
        "Dabei sind:\n- Frankreich\n- Deutschland\n- Polen",
        "Weitere folgen.",
    )


def test_header_line_followed_directly_by_a_paragraph() -> None:
    article = parse("date 2026-01-06 Wer zahlt?\nDie EU zahlt.\n")
    assert shape(article) == [("Wer zahlt?", 1)]


def test_lead_before_the_first_heading_is_kept_without_answer() -> None:
    article = parse(
        make_article("2026-01-06", "Ein Vorspann ohne Frage.", "Wer zahlt?", "Die EU.")
    )
    assert article.lead == ("Ein Vorspann ohne Frage.",)
    assert shape(article) == [("Wer zahlt?", 1)]


def test_header_text_that_is_no_question_becomes_the_lead_with_a_warning() -> None:
    article = parse(
        make_article(
            "2026-01-06",
            "Wer zahlt?",
            "Die EU.",
            question="Ukraine: Fragen und Antworten",
        )
    )
    assert article.lead == ("Ukraine: Fragen und Antworten",)
    assert "line 1" in article.warnings[0]


# --- the heading test ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "heading"),
    [
        ("Was ist der Stand?", True),
        ("Was passiert am 1. Juli?", True),
        ("Was passiert am 24.2. in Brüssel?", True),
        ("Was gilt ab dem 1.10. für Mieter?", True),
        ("Was heißt das z. B. für Mieter?", True),
        ("Was bedeutet das u.a. für Rentner?", True),
        ("Wer ist Dr. Müller?", True),
        ("Was sagte John F. Kennedy?", True),
        ("Was will Papst Leo XIV. erreichen?", True),
        ("Was geschah im 20. Jahrhundert?", True),
        ("Und dann ... was passiert?", True),
        ('Was meint er mit "Frieden"?', True),
        ("Wie viel kostet es (ca. 3,5 Mrd. Euro)?", True),
        ("Wer zahlt?!", False),
        ("Die Lage ist ernst. Was nun?", False),
        ("Die Wahl war 2026. Was nun?", False),
        ("Sie endet am 31.12.2026. Was nun?", False),
        ("Das ist ein Skandal! Oder nicht?", False),
        ('Er sagte "Nein." Was nun?', False),
        ("Keine Frage.", False),
        ("Ein Satz . Was nun?", False),
        ("(. Was nun?", False),
        ("?", False),
        ("¿?", False),
        ("W" * (MAX_HEADING_CHARS - 1) + "?", True),
        ("W" * MAX_HEADING_CHARS + "?", False),
    ],
)
def test_heading_test(block: str, heading: bool) -> None:
    assert is_heading(block) is heading


def test_rhetorical_question_ending_a_paragraph_stays_answer_text() -> None:
    article = parse(
        make_article(
            "2026-01-06",
            "Wer zahlt?",
            "Die EU zahlt den größten Teil. Aber reicht das?",
            "Eine zweite Zeile\nendet mit einer Frage?",
        )
    )
    assert shape(article) == [("Wer zahlt?", 2)]


def test_long_single_line_question_is_a_paragraph() -> None:
    long_line = "Warum " + "sehr " * 60 + "lange?"
    article = parse(make_article("2026-01-06", "Wer zahlt?", long_line))
    assert article.records[0].paragraphs == (long_line,)


# --- headings without answer -------------------------------------------------------


def test_heading_without_answer_is_kept_with_a_warning() -> None:
    article = parse(make_article("2026-01-06", "Wer zahlt?", "Wann?", "Im Mai."))
    assert shape(article) == [("Wer zahlt?", 0), ("Wann?", 1)]
    assert article.records[0].answer_span is None
    assert article.warnings == (
        "line 3: question 'Wer zahlt?' has no answer; kept in the parse, not stored as an answer",
    )


def test_last_heading_without_answer() -> None:
    article = parse(make_article("2026-01-06", "Wer zahlt?", "Die EU.", "Und jetzt?"))
    assert shape(article) == [("Wer zahlt?", 1), ("Und jetzt?", 0)]
    assert len(article.warnings) == 1


# --- errors name their line ---------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", 1, "empty"),
        (b" \n\t\n\xc2\xa0\n", 1, "empty"),
        (b"\n\nWer zahlt?\n\nDie EU.\n", 3, "expected the header"),
        (b"datum 2026-01-06 Wer?\n\nDie EU.\n", 1, "expected the header"),
        (b"date\n\nWer zahlt?\n\nDie EU.\n", 1, "expected the header"),
        (b"date 2026-01 Wer zahlt?\n\nDie EU.\n", 1, "has no day"),
        (b"date 2026-02-30 Wer zahlt?\n\nDie EU.\n", 1, "not a calendar date"),
        (b"date 06.01.2026 Wer zahlt?\n\nDie EU.\n", 1, "not of the form"),
        (b"\n\ndate 2026-01-06\n\nNur Text.\n\nMehr Text.\n", 3, "no question"),
        (b"date 2026-01-06 Wer zahlt?\n\nDie EU \xff zahlt.\n", 3, "invalid UTF-8"),
        (b"date 2026-01-06 Wer zahlt?\r\n\r\n\r\nDie \xc3(\n", 4, "invalid UTF-8"),
        (b"date 2026-01-06 Wer zahlt?\n\nDie \x00 EU.\n", 3, "NUL"),
    ],
    ids=[
        "empty",
        "only-space",
        "no-header",
        "wrong-word",
        "no-date",
        "month-only",
        "impossible",
        "german-date",
        "no-question",
        "bad-utf8",
        "bad-utf8-crlf",
        "nul",
    ],
)
def test_errors_name_their_line(data: bytes, line: int, words: str) -> None:
    with pytest.raises(ArticleParseError) as caught:
        parse(data)
    assert caught.value.line == line
    assert words in caught.value.detail
    assert caught.value.detail.startswith(f"line {line}: ")


# --- properties --------------------------------------------------------------------

LINES = st.sampled_from(
    [
        "date 2026-01-06",
        "date 2026-01-06 Wer zahlt?",
        " date 2026-02-29 Was nun?",
        "Was passiert am 1. Juli?",
        "Wer zahlt?",
        "Die EU zahlt. Aber reicht das?",
        "Ein Absatz ohne Frage.",
        "- ein Listenpunkt",
        "",
        "   ",
        "\u00a0",
        "\t",
    ]
)
TEXTS = st.one_of(
    st.lists(LINES, max_size=12).map("\n".join),
    st.lists(st.one_of(LINES, st.text(max_size=30)), max_size=8).map("\r\n".join),
    st.text(max_size=200),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXTS.map(lambda t: t.encode("utf-8")), st.binary(max_size=200)))
def test_any_bytes_parse_or_raise_the_parsers_error(data: bytes) -> None:
    try:
        article = parse(data)
    except ArticleParseError as exc:
        assert exc.line >= 1
        return
    assert_spans_hold(article)
    assert parse(article.text) == article


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["Wer zahlt?", "Was nun?", "Wie geht es am 1. Mai weiter?"]
            ),
            st.lists(
                st.sampled_from(
                    ["Ein Absatz.", "Zwei\nZeilen.", "Na und. Rhetorisch?  "]
                ),
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_generated_articles_keep_every_paragraph_in_order(
    records: list[tuple[str, list[str]]],
) -> None:
    blocks = [
        block for question, paragraphs in records for block in (question, *paragraphs)
    ]
    article = parse(make_article("2026-01-06", *blocks))
    assert [r.question for r in article.records] == [q for q, _ in records]
    assert [list(r.paragraphs) for r in article.records] == [
        [p.strip() for p in ps] for _, ps in records
    ]
    assert_spans_hold(article)
