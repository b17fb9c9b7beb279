"""The drafting service's text helpers: the word diff and the paragraphs, property-based (moved
from the proposals plug-in with the code)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from convergence.drafting.diff import DELETE, EQUAL, INSERT, changed_words, diff, rebuild
from convergence.drafting.paragraphs import paragraphs, replace_paragraph

WORDS = st.sampled_from(["le", "jardin", "partagé", "ouvre", "samedi", "dimanche", "l’eau", "d'été", ",", ".",
                         "\n", "\n\n", " ", "  ", "é", "À", "2026", "-", "«", "»"])
TEXTS = st.lists(WORDS, max_size=60).map(lambda words: " ".join(words))


@given(TEXTS, TEXTS)
@settings(max_examples=300, deadline=None)
def test_the_pieces_rebuild_both_texts(old, new):
    pieces = diff(old, new)
    assert rebuild(pieces) == (old, new)
    assert all(p.text for p in pieces)
    assert all(a.op != b.op for a, b in zip(pieces, pieces[1:]))  # neighbours merged


@given(TEXTS)
def test_a_text_against_itself_is_all_equal(text):
    pieces = diff(text, text)
    assert all(p.op == EQUAL for p in pieces) and changed_words(pieces) == (0, 0)


def test_changes_read_as_words_not_letters():
    pieces = diff("Le jardin ouvre le samedi matin.", "Le jardin ouvre le dimanche matin.")
    assert [(p.op, p.text) for p in pieces if p.op != EQUAL] == [(DELETE, "samedi"), (INSERT, "dimanche")]
    pieces = diff("Nous voulons un jardin au centre.", "Nous voulons un grand jardin près de la gare.")
    assert [(p.op, p.text) for p in pieces if p.op != EQUAL] == [
        (INSERT, "grand "), (DELETE, "au centre"), (INSERT, "près de la gare")]
    assert changed_words(pieces) == (2, 5)


def test_long_texts_stay_fast_enough_to_diff_line_by_line():
    old = "\n".join(f"Ligne {i} du texte de la proposition." for i in range(5000))
    new = old.replace("Ligne 2500 du", "Ligne 2500 modifiée du")
    pieces = diff(old, new)
    assert [(p.op, p.text) for p in pieces if p.op != EQUAL] == [(INSERT, " modifiée")]


@given(st.lists(st.text(alphabet="abc é", min_size=1, max_size=12).map(str.strip).filter(bool), min_size=1,
                max_size=8), st.data())
def test_replacing_a_paragraph_changes_only_that_one(parts, data):
    text = "\n\n".join(parts)
    assert paragraphs(text) == parts
    index = data.draw(st.integers(0, len(parts) - 1))
    replaced = paragraphs(replace_paragraph(text, index, "nouveau paragraphe"))
    assert replaced == parts[:index] + ["nouveau paragraphe"] + parts[index + 1:]
    emptied = paragraphs(replace_paragraph(text, index, ""))
    assert emptied == parts[:index] + parts[index + 1:]


def test_paragraphs_split_on_blank_lines_whatever_the_line_endings():
    assert paragraphs("Un\r\n\r\nDeux\n  \nTrois\nsuite") == ["Un", "Deux", "Trois\nsuite"]
    assert paragraphs("   ") == []
