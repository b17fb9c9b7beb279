"""The declaration's Markdown: sections and stable article numbers (plain Python)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.cdc.declaration_text import Empty, NoHeading, Part, parse, render, sections

TEXT = """Préambule des communes réunies.

# Nos besoins

Chaque commune organise l'accès à l'eau.

Le logement est un droit.

Titre souligné
--------------

Nous fédérons nos assemblées.
"""


def test_headings_open_sections_and_paragraphs_become_articles():
    assert parse(TEXT) == [Part("", "Préambule des communes réunies."),
                           Part("Nos besoins", "Chaque commune organise l'accès à l'eau."),
                           Part("Nos besoins", "Le logement est un droit."),
                           Part("Titre souligné", "Nous fédérons nos assemblées.")]


@pytest.mark.parametrize("text,error", [("Un texte sans titre.\n\nDeux paragraphes.", NoHeading),
                                        ("", NoHeading), ("# Titre seul\n\n## Autre", Empty)])
def test_a_text_without_heading_or_article_is_refused(text, error):
    with pytest.raises(error):
        parse(text)


class Row:
    def __init__(self, number, part):
        self.number, self.section, self.text = number, part.section, part.text


words = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=12)
paragraph = st.lists(words, min_size=1, max_size=6).map(" ".join)


@given(st.lists(st.tuples(words, st.lists(paragraph, min_size=1, max_size=4)), min_size=1, max_size=5))
def test_render_then_parse_gives_the_same_sections_and_wordings(groups):
    markdown = "\n\n".join(f"## {title}\n\n" + "\n\n".join(paras) for title, paras in groups)
    parts = parse(markdown)
    rows = [Row(n, p) for n, p in enumerate(parts, start=1)]
    again = parse(render(rows))
    assert [p.section for p in again] == [p.section for p in parts]
    assert [p.text for p in again] == [f"**Article {r.number}.** {r.text}" for r in rows]
    assert [title for title, _ in sections(rows)] == [t for t, _ in _merged(groups)]


def _merged(groups):
    out = []
    for title, paras in groups:
        if out and out[-1][0] == title:
            out[-1][1].extend(paras)
        else:
            out.append((title, list(paras)))
    return out
