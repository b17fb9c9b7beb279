"""French typography in the compiled French catalog: a narrow no-break space (U+202F)
before « : ; ! ? » and inside « guillemets », in every msgstr the site shows. The rules
(and what they leave alone: addresses, times, placeholders) are in
convergence/french_typography.py; `make translations-update` mends the catalog."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import read_mo
from hypothesis import given
from hypothesis import strategies as st

from convergence.french_typography import NNBSP, faults, fix

COMPILED = Path(__file__).resolve().parents[2] / "translations" / "fr" / "LC_MESSAGES" / "messages.mo"


def _msgstrs():
    with COMPILED.open("rb") as f:
        catalog = read_mo(f)
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for string in strings:
            yield message.id, string


def test_every_french_msgstr_has_its_narrow_spaces():
    checked, wrong = 0, []
    for msgid, string in _msgstrs():
        checked += 1
        for i in faults(string):
            wrong.append(f"{msgid!r}: …{string[max(0, i - 25):i + 5]!r}")
    assert checked > 1000  # the whole catalog, compiled (make translations-compile)
    assert not wrong, ("plain or missing space (run `make translations-update translations-compile`):\n"
                       + "\n".join(wrong[:40]))


def test_a_page_shows_the_narrow_spaces(client):
    page = client.get("/glossaire").data.decode()
    assert f"Une façon de décider{NNBSP}: une proposition" in page
    assert f"«{NNBSP}je me tiens à l&#39;écart{NNBSP}»" in page


def test_the_check_finds_what_a_writer_types_wrong():
    assert faults("Erreur : la date") == [7]       # a plain space
    assert faults("Erreur: la date") == [6]        # no space
    assert faults("Erreur\u00a0: la date") == [7]  # a full no-break space: not the house rule
    assert faults("Vraiment ?") == [9] and faults("Oui ; non") == [4] and faults("Bravo !") == [6]
    assert faults("« mot »") == [0, 6] and faults("«mot»") == [0, 4]
    assert faults(f"Erreur{NNBSP}: «{NNBSP}mot{NNBSP}»{NNBSP}! Vraiment{NNBSP}?!") == []


def test_the_check_leaves_addresses_times_and_placeholders_alone():
    for text in ("https://exemple.fr/vote?code=AB12", "mailto:x@y.fr", "à 14:30", "&amp; &#8239;",
                 "%(name)s", "{0:>3}", "le 01/12/2026 à 9:05"):
        assert faults(text) == [], text
    assert faults("%(name)s : bienvenue") == [9]  # the sign after a placeholder is prose


def test_fix_puts_the_narrow_spaces_in():
    assert fix("Erreur : « mot » ; fin !") == f"Erreur{NNBSP}: «{NNBSP}mot{NNBSP}»{NNBSP}; fin{NNBSP}!"
    assert fix("Voir https://exemple.fr/a?b=c à 14:30") == "Voir https://exemple.fr/a?b=c à 14:30"


prose = st.text(alphabet=st.sampled_from(list("abcé 1:;!?«»/%()s\u00a0\u202f\n")), max_size=40)


@given(prose)
def test_fix_leaves_nothing_to_find_and_is_stable(text):
    fixed = fix(text)
    assert faults(fixed) == []
    assert fix(fixed) == fixed
    # Only spaces are put in or taken out: the words and signs stay, in order.
    assert [c for c in fixed if not c.isspace()] == [c for c in text if not c.isspace()]


@given(prose)
def test_a_text_without_faults_is_left_as_it_is(text):
    if not faults(text):
        assert fix(text) == text


def _literal_text(template: str) -> str:
    """What a template writes itself, around its expressions (each one stands as « x »):
    the punctuation it puts between a label and a value."""
    text = re.sub(r"\{#.*?#\}", " ", template, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", "x", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}", " ", text, flags=re.S)
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    return text.replace("&#8239;", NNBSP).replace("&nbsp;", "\u00a0")


def test_templates_put_the_narrow_space_in_what_they_write_themselves():
    root = COMPILED.parents[3]
    templates = list((root / "convergence" / "templates").rglob("*.html"))
    templates += list((root / "plugins").glob("*/templates/**/*.html"))
    assert len(templates) > 50
    wrong = []
    for path in templates:
        text = _literal_text(path.read_text(encoding="utf-8"))
        wrong += [f"{path.relative_to(root)}: …{text[max(0, i - 12):i + 3]!r}" for i in faults(text)]
    assert not wrong, "write « x&#8239;: y » between a label and a value:\n" + "\n".join(wrong)
