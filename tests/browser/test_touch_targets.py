"""On a 360 px phone, every main page (tests/browser/main_pages.py) can be used with a finger
and read: every link, button, summary and form control is at least 44×44 px, no text is
under 14 px, and nothing scrolls sideways.

How a target is measured (in the page, by getBoundingClientRect):
- a radio button or checkbox is pressed through its label too: its target is the larger of
  its own box and its labels' boxes;
- a link inside a sentence (display inline, with words outside links in the same block) keeps
  the line's height: WCAG 2.5.8 exempts such links, which are underlined in the text. A link
  standing alone (in a list, a card, a table cell, a paragraph of its own, a row of links
  such as « ← Assemblée · Le vote ») is measured;
- what is not shown (display none, a closed menu, the skip link off screen, a visually
  hidden element) is not measured; the header menu is measured opened.
Elements inside the needs map (Leaflet's own controls) are left to the map's tests."""

from __future__ import annotations

import pytest

from convergence.testing.browser import (FACILITATOR, PHONE, TIMEOUT_MS, assert_fits_the_screen, log_in,
                                         serve_demo)
from tests.browser.main_pages import PAGES, PLUGINS, path_of, seed, settle

pytestmark = pytest.mark.browser

MIN_TARGET = 44
MIN_TEXT = 14

_MEASURE = r"""() => {
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const r = el.getBoundingClientRect();
    if (r.width < 2 && r.height < 2) return false;              // visually hidden (1 px clip)
    if (r.right <= 0 || r.bottom + window.scrollY <= 0) return false;  // parked off screen
    return el.getClientRects().length > 0 && el.checkVisibility({visibilityProperty: true});
  };
  const name = (el) => {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 40);
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (text ? ` « ${text} »` : "");
  };
  const block = (el) => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith("inline")) node = node.parentElement;
    return node;
  };
  // In a sentence: its block holds words (letters or digits) outside links; « ← A · B » does not.
  const inSentence = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    const around = block(el);
    if (!around) return false;
    const copy = around.cloneNode(true);
    copy.querySelectorAll("a").forEach((a) => a.remove());
    return /[\p{L}\p{N}]/u.test(copy.textContent);
  };
  const small = [], exempt = [];
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest(".leaflet-container") || !shown(el)) continue;
    if (inSentence(el)) { exempt.push(name(el)); continue; }
    let width = el.getBoundingClientRect().width, height = el.getBoundingClientRect().height;
    if (el.labels && (el.type === "radio" || el.type === "checkbox")) {
      for (const label of el.labels) {
        const r = label.getBoundingClientRect();
        width = Math.max(width, r.width); height = Math.max(height, r.height);
      }
    }
    if (width < 43.5 || height < 43.5) small.push(`${name(el)}: ${Math.round(width)}×${Math.round(height)} px`);
  }
  const tiny = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || seen.has(el)) continue;
    seen.add(el);
    if (["SCRIPT", "STYLE", "TITLE", "DESC", "NOSCRIPT"].includes(el.tagName.toUpperCase())) continue;
    if (el.closest(".leaflet-container") || !shown(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 13.95) tiny.push(`${el.tagName.toLowerCase()} « ${node.textContent.trim().slice(0, 30)} »: ${size} px`);
  }
  return {small, exempt, tiny, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve_demo(tmp_path_factory, plugins=PLUGINS, seed=seed) as info:
        yield info


@pytest.fixture(scope="module")
def phones(browser, site):
    """One phone per person (anonymous, the facilitator), kept for the module."""
    pages = {}
    for who in ("anonymous", "facilitator"):
        context = browser.new_context(locale="fr-FR", base_url=site["url"], **PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        if who == "facilitator":
            log_in(page, FACILITATOR)
        pages[who] = page
    yield pages
    for page in pages.values():
        page.context.close()


def measure(page) -> dict:
    # The menu opened, so its links are measured too (closed, they are not shown).
    if page.locator("details.site-menu:not([open]) > summary").is_visible():
        page.locator("details.site-menu > summary").click()
    return page.evaluate(_MEASURE)


@pytest.mark.parametrize("name,who,path", PAGES, ids=[p[0] for p in PAGES])
def test_fingers_and_eyes_at_360_px(phones, site, name, who, path):
    page = phones[who]
    response = page.goto(path_of(page, path, site))
    assert response is not None and response.ok, f"{name}: {path} answered {response and response.status}"
    settle(page)
    found = measure(page)
    assert page.locator("details.site-menu[open] nav a").count() >= 1, "the menu did not open"
    assert found["scrollWidth"] <= found["innerWidth"], f"{name} scrolls sideways: {found['scrollWidth']} px"
    assert_fits_the_screen(page, name)
    assert not found["small"], f"{name} ({page.url}): targets under {MIN_TARGET}×{MIN_TARGET} px:\n" + "\n".join(
        found["small"])
    assert not found["tiny"], f"{name} ({page.url}): text under {MIN_TEXT} px:\n" + "\n".join(found["tiny"])


def test_the_measure_can_fail(phones):
    """The same measure on a page built to break it finds each fault."""
    page = phones["anonymous"]
    page.goto("/")
    page.evaluate("""() => {
      const main = document.querySelector("main");
      main.insertAdjacentHTML("beforeend",
        '<p><a href="/x" id="lonely">x</a></p><p>Une phrase avec <a href="/y" id="inline">un lien</a> et <a href="/z">un autre</a>.</p>'
        + '<button id="tiny" class="probe">o</button><span class="probe-text">petit</span>');
      document.getElementById("tiny").style.cssText = "all: unset; font-size: 16px";
      document.querySelector(".probe-text").style.fontSize = "12px";
      document.getElementById("lonely").style.cssText = "display: inline-block; min-height: 0; min-width: 0";
    }""")
    found = page.evaluate(_MEASURE)
    assert any(s.startswith("button#tiny") for s in found["small"]), found
    assert any(s.startswith("a#lonely") for s in found["small"]), found
    assert any(e.startswith("a#inline") for e in found["exempt"]), found
    assert any("petit" in t for t in found["tiny"]), found
