"""German text analysis: folding, stemming, compounds, typos (no database)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.search import rank
from service.search.text import (
    _FOLDED_WORD,
    _word_terms,
    analyse_article,
    compound_splits,
    edits1,
    fold,
    is_generic,
    stem,
    synonyms,
    terms,
    tokens,
    unprefixed,
    verb_forms,
)


@pytest.mark.parametrize(
    ("forms", "why"),
    [
        (("Häuser", "Haeuser", "Hauser", "HÄUSER"), "umlaut, ae, plain a, case"),
        (("Bürgergeld", "Buergergeld", "Burgergeld"), "ü, ue, u"),
        (("Straße", "Strasse", "STRASSE"), "ß is ss"),
        (("Wärmepumpe", "Waermepumpe", "Warmepumpe"), "ä in a compound"),
        (("Friedensgespräche", "Friedensgespraeche", "Friedensgesprache"), "plural"),
        (("Anträge", "Antraege", "Antrag"), "plural with umlaut"),
        (("Café", "Cafe", "CAFÉ"), "other diacritics stripped"),
        (("Elterngeld", "Elterngeldes"), "genitive"),
        (("Grundsteuern", "Grundsteuer"), "plural"),
    ],
)
def test_spellings_of_one_word_give_one_term(forms, why) -> None:
    assert len({tuple(terms(form)) for form in forms}) == 1, why


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Muss ich die neue Grundsteuer schon zahlen?", ["grundsteu", "zahl"]),
        ("Was ist der derzeitige Stand der Friedensgespräche?", ["friedensgesprach"]),
        ("Um was geht es?", []),
        (
            "Wie viel kostet das Deutschland-Ticket?",
            ["kost", "deutschland", "ticket", "deutschlandticket"],
        ),
        ("NFC: Ä and A\u0308 are one", ["nfc", "a", "and", "a", "are", "one"]),
    ],
)
def test_terms_drop_stop_words_and_stem(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


@given(
    st.text(
        st.sampled_from(
            "aäÄoöuüßeEé \u00a0\n-\u2011,.(\u0308\u0301\u00a8\u00b4\ufdfa\u2474\u00bd1"
        )
    )
    | st.text()
)
def test_terms_of_a_text_are_those_of_the_text_folded_as_a_whole(text: str) -> None:
    # terms() folds each run of non-space characters alone; nothing may differ.
    whole = [t for word in _FOLDED_WORD.findall(fold(text)) for t in _word_terms(word)]
    assert terms(text) == whole


def test_tokens_keep_their_spans_in_the_original_text() -> None:
    text = "Die Straße, die Grundsteuer-Reform."
    for token in tokens(text):
        assert fold(text[token.start : token.end]).replace("-", "") == token.folded
    assert [t.folded for t in tokens(text) if not t.stop] == [
        "strasse",
        "grundsteuerreform",
    ]


@pytest.mark.parametrize(
    ("word", "head", "tail"),
    [
        ("grundsteuerbescheid", "grundsteu", "bescheid"),
        ("friedensgesprache", "fried", "gesprach"),  # Fugen-s
        ("rentenerhohung", "rent", "erhoh"),  # Fugen-n
        ("warmepumpenforderung", "warmepump", "forder"),
        ("elterngeldantrag", "elterngeld", "antrag"),
    ],
)
def test_compound_splits_propose_the_parts(word: str, head: str, tail: str) -> None:
    assert (head, tail) in compound_splits(word)


def test_compound_splits_leave_short_words_alone() -> None:
    assert compound_splits("rente") == []


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("elterngled", "elterngeld"),  # transposition
        ("grundsteur", "grundsteu"),  # deletion
        ("mindestlhon", "mindestlohn"),  # transposition
        ("sanktionnen", "sanktion"),  # insertion, then stemmed
        ("wehrdinst", "wehrdien"),  # deletion
    ],
)
def test_one_typo_is_one_edit_from_the_stem(typo: str, word: str) -> None:
    assert stem(word) in edits1(stem(typo)) or stem(typo) == stem(word)


def test_short_words_get_no_typo_variants() -> None:
    assert edits1("mut") == set()


class _Stored:
    """A vocabulary of stems and their document frequencies (rank.Vocabulary)."""

    def __init__(self, **frequencies: int) -> None:
        self._df = frequencies

    def documents(self) -> int:
        return 100

    def frequencies(self, terms) -> dict[str, int]:
        return {term: self._df[term] for term in terms if term in self._df}

    def extensions(self, term: str, limit: int) -> dict[str, int]:
        return {
            t: df
            for t, df in self._df.items()
            if t != term and (t.startswith(term) or t.endswith(term))
        }


def _terms_of(query: str, vocabulary: _Stored) -> dict[str, float]:
    (group,) = rank.plan(query, vocabulary).groups
    return group.terms


def test_an_unknown_word_is_read_as_another_form_before_a_typo() -> None:
    # "streikt" is the verb of "Streik", not a typo of "strikt" or "Streit".
    stored = _Stored(streik=3, streit=5, strikt=2)
    assert _terms_of("streikt", stored) == {"streik": rank.SYNONYM_WEIGHT}


def test_a_typo_is_found_where_it_changed_what_the_stemmer_cuts() -> None:
    # Stemmed, "jobtciket" loses its "et" ("jobtcik"): no stem one edit away.
    stored = _Stored(jobticket=2)
    assert _terms_of("jobtciket", stored) == {"jobticket": rank.TYPO_WEIGHT}


@pytest.mark.parametrize(
    ("question", "generic"),
    [
        ("Um was geht es?", True),
        ("Was bedeutet das?", True),
        ("Wie geht es weiter?", True),
        ("Was bedeutet das für Mieter?", True),
        ("Was bedeutet die Reform für Mieter?", False),
        ("Muss ich die neue Grundsteuer schon zahlen?", False),
    ],
)
def test_generic_headings(question: str, generic: bool) -> None:
    assert is_generic(question) is generic


def test_synonyms_and_prefixes() -> None:
    assert stem("preis") in synonyms(stem("kosten"))
    assert stem("kosten") in synonyms(stem("teuer"))
    assert unprefixed("beantragen") == "antrag"
    assert unprefixed("bein") is None


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("Sperrung", "gesperrt"),
        ("gesperrt", "Sperrung"),
        ("Abschaffung", "abgeschafft"),
        ("abgeschafft", "abschaffen"),
        ("Erhöhung", "erhöht"),
        ("erhöht", "erhöhen"),
        ("Umstellung", "umgestellt"),
        ("eingeführt", "Einführung"),
        ("verlängert", "Verlängerung"),
        ("gestoppt", "stoppen"),
        ("beantragt", "beantragen"),
    ],
)
def test_verb_forms_reach_the_other_forms_of_the_verb(word: str, other: str) -> None:
    """Participle, -t form, infinitive and -ung noun: Snowball stems them apart."""
    assert stem(fold(other)) != stem(fold(word))
    assert stem(fold(other)) in verb_forms(fold(word))


@pytest.mark.parametrize("word", ["Wohngeld", "Streik", "Bund", "Grundsteuer", "gut"])
def test_a_word_of_no_verb_form_proposes_nothing(word: str) -> None:
    assert verb_forms(fold(word)) == set()


@pytest.mark.parametrize(
    ("spelt", "written"),
    [
        (
            "wie hoch ist der pflegebeitrag fuer kinderlose",
            "Wie hoch ist der Pflegebeitrag für Kinderlose",
        ),
        ("was aendert sich ueber den winter", "Was ändert sich über den Winter"),
        ("koennen wir das", "können wir das"),
    ],
)
def test_function_words_spelt_without_umlauts_are_stop_words(
    spelt: str, written: str
) -> None:
    assert terms(spelt) == terms(written)


_WORDS = st.sampled_from(
    ["Grundsteuer", "Steuer", "zahlen", "die", "Was", "Um", "es", "geht", "2025", "ß"]
)
_TEXTS = st.lists(_WORDS, max_size=6).map(" ".join)


@given(
    st.lists(_TEXTS, min_size=1, max_size=5),
    _TEXTS,
    st.data(),
)
def test_an_articles_term_counts_are_its_documents_distinct_terms(
    headings: list[str], lead: str, data: st.DataObject
) -> None:
    answered = data.draw(st.sets(st.sampled_from(range(len(headings)))))
    answers = {p: data.draw(st.lists(_TEXTS, min_size=1, max_size=3)) for p in answered}
    documents, counts = analyse_article(headings, lead, answers)
    expected: Counter[str] = Counter()
    for doc in documents.values():
        expected.update(
            set(f"{doc.question_terms} {doc.answer_terms} {doc.context_terms}".split())
        )
    assert counts == dict(expected)
    assert sorted(documents) == sorted(answers)
    lead_terms = list(dict.fromkeys(terms(lead)))
    for position, doc in documents.items():
        # The lead's terms first, then what only the other headings hold, once.
        context = doc.context_terms.split()
        others = [t for i, h in enumerate(headings) if i != position for t in terms(h)]
        assert context[: doc.lead_length] == lead_terms
        assert set(context[doc.lead_length :]) == set(others) - set(lead_terms)
        assert len(context) == len(set(context))
