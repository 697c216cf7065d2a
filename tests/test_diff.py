"""The word diff: exact reconstruction for any two texts, and readable edits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from service.diff import diff, pieces, sentences, similarity

GERMAN = st.text(
    alphabet=st.sampled_from(
        list("aäbcdeöüßz XYZ.,!?\n\"„“-'0") + ["\u2026", "\u00a0"]
    ),
    max_size=200,
)


@settings(max_examples=400, deadline=None)
@given(old=GERMAN | st.text(max_size=120), new=GERMAN | st.text(max_size=120))
def test_the_ops_rebuild_both_texts_exactly(old: str, new: str) -> None:
    ops = diff(old, new)
    assert "".join(op["from"]["text"] for op in ops if op["from"]) == old
    assert "".join(op["to"]["text"] for op in ops if op["to"]) == new
    for op in ops:
        for side, text in (("from", old), ("to", new)):
            span = op[side]
            if span is not None:
                assert text[span["start"] : span["end"]] == span["text"] != ""
        assert op["op"] in ("equal", "insert", "delete", "replace")
        if op["op"] == "equal":
            assert op["from"]["text"] == op["to"]["text"]
        assert (op["from"] is None) == (op["op"] == "insert")
        assert (op["to"] is None) == (op["op"] == "delete")
    # Neighbours never share a kind: edits are merged.
    kinds = [op["op"] for op in ops]
    assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False))


@given(text=st.text(max_size=200))
def test_sentences_and_pieces_join_back(text: str) -> None:
    assert "".join(sentences(text)) == text
    assert "".join(pieces(text)) == text


def test_a_renamed_person_is_the_words_that_changed() -> None:
    old = "Selenskyj sagt, die Gespräche laufen. Moskau schweigt."
    new = (
        "Der ukrainische Präsident Wolodimir Selenskij sagt, die Gespräche "
        "laufen gut. Moskau schweigt."
    )
    ops = [
        (op["op"], op["from"] and op["from"]["text"], op["to"] and op["to"]["text"])
        for op in diff(old, new)
    ]
    assert ops == [
        ("replace", "Selenskyj", "Der ukrainische Präsident Wolodimir Selenskij"),
        ("equal", " sagt, die Gespräche laufen", " sagt, die Gespräche laufen"),
        ("insert", None, " gut"),
        ("equal", ". Moskau schweigt.", ". Moskau schweigt."),
    ]
    assert 0.5 < similarity([old], [new]) < 1


def test_an_unchanged_text_is_one_equal_op() -> None:
    text = "Erster Satz. Zweiter Satz?\n\nNeuer Absatz."
    assert diff(text, text) == [
        {
            "op": "equal",
            "from": {"text": text, "start": 0, "end": len(text)},
            "to": {"text": text, "start": 0, "end": len(text)},
        }
    ]
    assert diff("", "") == []
