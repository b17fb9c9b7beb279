"""Residents' Markdown: sanitised, and drawn in time proportional to its length whatever
is typed (web/markdown.py); the texts below took seconds to minutes, or overflowed the
stack, with the converter used before."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convergence.web.markdown import _render, render_markdown

# 20,000 repetitions of what made Python-Markdown slow (78 s, 45 s) or crash (RecursionError).
HOSTILE = {
    "images never closed": "![" * 20_000,
    "links never closed": "[a](" * 20_000,
    "autolinks never closed": "<http://a" * 20_000,
    "brackets": "[" * 20_000 + "]" * 20_000,
    "nested lists": "".join("    " * depth + "- a\n" for depth in range(500)),
    "nested quotes": "> " * 20_000 + "a",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_texts_render_in_linear_time(name):
    started = time.process_time()
    html = _render(HOSTILE[name])
    # Generous (the machine is shared): the same texts took 45 s and more before.
    assert time.process_time() - started < 5, name
    assert "<script" not in html


def test_what_people_write_is_drawn():
    html = str(render_markdown("Un *texte* avec [un lien](https://exemple.org)\n- un\n- deux\n\n"
                               "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~barré~~ **gras**"))
    assert '<a href="https://exemple.org" rel="nofollow noopener">un lien</a>' in html
    assert "<em>texte</em>" in html and "<strong>gras</strong>" in html
    assert "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>" in html  # no blank line needed before a list
    assert "<td>1</td>" in html and "<s>barré</s>" in html


def test_script_and_dangerous_links_do_not_survive():
    html = str(render_markdown('<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1)) '
                               '<a href="javascript:alert(2)">y</a> <strong onclick="z()">gras</strong>'))
    assert "<script" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert "<img" not in html and "<strong>gras</strong>" in html


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]()!<>*_`#-> |:\\\n a1h")), max_size=400))
def test_any_text_renders_to_allowed_markup_only(text):
    html = str(render_markdown(text))
    assert "<script" not in html and "javascript:" not in html.lower()
    assert render_markdown(text) == html  # kept: the same text draws the same
