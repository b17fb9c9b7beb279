"""The check every browser test uses to say a page fits a 360 px phone, tried on pages built
to break it: it must say no whenever something sticks out sideways."""

from __future__ import annotations

import pytest

from tests.browser_support import PHONE, TIMEOUT_MS, assert_fits_the_screen, fits_the_screen, overflow

pytestmark = pytest.mark.browser

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def show(page, body: str, head: str = VIEWPORT) -> None:
    page.set_content(f"<!doctype html><html><head>{head}</head><body>{body}</body></html>")


def test_a_page_narrower_than_the_screen_fits(phone):
    show(phone, "<main><h1>Assemblée</h1><p>Un texte qui revient à la ligne comme il faut.</p></main>")
    assert overflow(phone) == []
    assert_fits_the_screen(phone)


def test_an_800_px_element_does_not_fit(phone):
    show(phone, '<main><div id="large" style="width: 800px">Large</div></main>')
    assert not fits_the_screen(phone)
    problems = overflow(phone)
    assert problems[0].startswith("the document scrolls sideways (") and "in 360 px" in problems[0], problems
    assert "div#large ends at 808 px" in problems  # 8 px of body margin
    with pytest.raises(AssertionError, match="does not fit 360 px"):
        assert_fits_the_screen(phone)


def test_an_element_cut_off_by_a_hidden_overflow_does_not_fit(phone):
    # The document cannot scroll, so only the element's own edge shows the problem.
    show(phone, '<style>html, body { overflow-x: hidden }</style><p id="cut" style="width: 800px">Coupé</p>')
    assert overflow(phone) == ["p#cut ends at 808 px"]


def test_something_no_element_measures_still_does_not_fit(phone):
    # A pseudo-element is not an element of the DOM: the document's scroll gives it away.
    show(phone, '<style>p::after { content: "x"; position: absolute; left: 700px }</style><p>Texte</p>')
    problems = overflow(phone)
    assert len(problems) == 1 and problems[0].startswith("the document scrolls sideways"), problems


def test_a_page_without_a_viewport_tag_does_not_fit(phone):
    # A phone lays it out 980 px wide and zooms out: nothing scrolls, yet nothing is readable.
    show(phone, "<p>Texte</p>", head="")
    assert "the page is laid out 980 px wide" in overflow(phone)


def test_a_wide_table_in_a_box_that_scrolls_fits(phone):
    # The box fits the screen; the table scrolls inside it, a pattern the pages may use.
    show(phone, '<div style="overflow-x: auto"><table style="width: 900px"><tr><td>A</td></tr></table></div>')
    assert overflow(phone) == []
