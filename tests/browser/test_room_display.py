"""The room display on a projector (Debian Chromium) in its heaviest state — ten people
waiting, a speaker whose countdown runs with what is left of her delegation's time under
it, a vote and a consent round open on the item, the demo's other open vote and its
proposal in consent — opened by someone not logged in, as on the projector's laptop: at
1280×720 and 1920×1080 the page does not scroll, no block lies over another, the join QR
code is on screen, the speaker's name is in type for the back of the hall, and axe-core
finds nothing. Every wait is for a condition of the page, never for a time."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import DESKTOP, FACILITATOR, PHONE, assert_accessible, demo_site, describe, run_axe

pytestmark = pytest.mark.browser

# Names as long as real ones get (double first names, double surnames), so that the test
# does not pass only thanks to short names.
SPEAKER = "Marie-Christine Lefebvre-Dumont"
WAITING = ["Jean-Baptiste Montgolfier", "Fatoumata Diallo-Kouyaté", "Bernard Lefèvre", "Chloé Martin",
           "Anne-Sophie Vandenberghe", "Karim Haddad", "Jeanne Perrin", "Hélène Rousseau-Bertin",
           "Mamadou Traoré", "Louise Nguyen"]
DELEGATION = "Délégation de Saint-Martin-des-Champs"


def _seed(app) -> dict:
    """The demo's assembly under way on its first item, in the state above."""
    from convergence.extensions import db
    from convergence.models import Assembly, User
    from convergence.space_settings import write_settings
    from plugins.facilitation import decisions, item_rounds, speakers

    assembly = db.session.scalar(db.select(Assembly).order_by(Assembly.id))
    item = assembly.agenda[0]
    # A title on two lines, as agenda titles often are.
    item.title = "Budget participatif : les projets retenus par le comité de suivi de la commune"
    assembly.current_item_id = item.id
    assembly.status = "open"
    facilitator = db.session.scalar(db.select(User).where(User.email == FACILITATOR))
    write_settings(assembly, "facilitation", {"lists": "unheard", "list_names": f"{DELEGATION},Délégation de Bourg",
                                              "list_budget_seconds": 600})
    speakers.add_name(assembly, item, SPEAKER, "intervention", DELEGATION)
    db.session.commit()
    speakers.give_floor(assembly, item)
    for name in WAITING:
        speakers.add_name(assembly, item, name, "intervention", None)
    item_rounds.open_on(assembly, item, facilitator)
    decisions.open_vote_on(assembly, item, facilitator, "Oui, dès ce soir\nNon, à la prochaine rencontre")
    db.session.commit()
    return {"assembly": assembly.id, "item_title": item.title}


site = demo_site(plugins=["mj", "proposals", "facilitation"], seed=_seed)

# Measured in the page: the document's height, every block's box, what sticks out of one,
# the speaker's name and the QR code.
_MEASURE = """() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {name: e.className || e.tagName, top: r.top, left: r.left, bottom: r.bottom, right: r.right}; };
  const blocks = [...document.querySelectorAll('.room-item, .room-speaker, .room-next, .room-panel, .room-join')];
  const qr = document.querySelector('.room-join img');
  return {
    height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth,
    blocks: blocks.map(box),
    // What lies outside its own block (and so over a neighbour's): nothing clips on this page.
    spill: blocks.flatMap(b => { const r = b.getBoundingClientRect();
      return [...b.querySelectorAll('*')].filter(e => [...e.getClientRects()].some(c => c.width && c.height
        && (c.top < r.top - 1 || c.left < r.left - 1 || c.bottom > r.bottom + 1 || c.right > r.right + 1)))
        .map(e => b.className + ' > ' + e.tagName + '.' + e.className); }),
    speaker: parseFloat(getComputedStyle(document.querySelector('.room-speaker-name')).fontSize),
    qr: {...box(qr), loaded: qr.complete && qr.naturalWidth > 0},
  };
}"""


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_the_heaviest_room_display_fits_the_projector_without_anyone_logged_in(context_for, site, axe_source,
                                                                                width, height):
    page = context_for(DESKTOP, viewport={"width": width, "height": height}).new_page()
    page.goto(f"/assemblees/{site['assembly']}/salle")
    page.wait_for_selector("[data-live-connected]", state="attached")
    expect(page.locator("h1")).to_have_text(site["item_title"])
    expect(page.locator(".room-speaker-name")).to_have_text(SPEAKER)
    expect(page.locator("[data-timer]")).to_have_attribute("data-running", "1")
    expect(page.locator(".timer-budget")).to_contain_text(DELEGATION)
    expect(page.locator(".room-next-list li")).to_have_count(3)
    expect(page.locator(".room-more")).to_have_text("et 7 de plus")
    expect(page.locator(".round-status")).to_have_text("Tour de consentement en cours")
    expect(page.locator(".room-votes").first).to_contain_text(site["item_title"])
    page.wait_for_function("() => document.querySelector('.room-join img').complete")
    found = page.evaluate(_MEASURE)

    assert found["height"] <= height, f"the room display scrolls: {found['height']} px for {height}"
    assert found["width"] <= width, f"the room display scrolls sideways: {found['width']} px for {width}"
    blocks = found["blocks"]
    assert len(blocks) >= 6, blocks  # item, speaker, next, the round, mj's votes, the code
    overlapping = [(a["name"], b["name"]) for n, a in enumerate(blocks) for b in blocks[n + 1:] if _overlap(a, b)]
    assert not overlapping, overlapping
    assert all(b["bottom"] <= height and b["right"] <= width for b in blocks), blocks
    assert not found["spill"], f"outside their block: {found['spill']}"
    qr = found["qr"]
    assert qr["loaded"] and qr["top"] >= 0 and qr["bottom"] <= height and qr["right"] <= width, qr
    assert qr["right"] - qr["left"] >= 0.2 * height, qr  # large enough to scan from the first rows
    # See facilitation.css: from six screen heights away, a capital needs a 25th of the
    # height, that is a font of 6 % of it (43 px at 720, 65 px at 1080).
    assert found["speaker"] >= 0.06 * height, found["speaker"]
    violations = run_axe(page, axe_source)
    assert not violations, describe(violations)


def test_a_phone_opening_the_room_display_reads_it_in_one_column(context_for, site, axe_source):
    """Someone types the projector's address on their phone: one column, nothing wider than
    the screen, the speaker's name still larger than the text around it."""
    page = context_for(PHONE).new_page()
    page.goto(f"/assemblees/{site['assembly']}/salle")
    expect(page.locator(".room-speaker-name")).to_have_text(SPEAKER)
    sizes = page.evaluate("""() => [getComputedStyle(document.querySelector('.room-speaker-name')).fontSize,
                                    getComputedStyle(document.querySelector('.room-next-list')).fontSize].map(parseFloat)""")
    assert sizes[0] > sizes[1] >= 16, sizes
    join, speaker = (page.locator(selector).bounding_box() for selector in (".room-join", ".room-speaker"))
    assert join["y"] > speaker["y"] + speaker["height"], (join, speaker)  # below, not beside
    assert_accessible(page, axe_source, "room display on a phone")


def test_the_floor_given_reaches_the_heaviest_room_display_live_and_it_still_fits(context_for, site):
    """Last of the module (it changes the speaker): the new speaker and the list come in the
    live event, the page fetches nothing, and the layout holds with the swapped parts."""
    from convergence.extensions import db
    from convergence.models import AgendaItem, Assembly
    from plugins.facilitation.speakers import give_floor

    page = context_for(DESKTOP, viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"/assemblees/{site['assembly']}/salle")
    page.wait_for_selector("[data-live-connected]", state="attached")
    fetches = []
    page.on("request", lambda request: fetches.append(request.url) if "/salle" in request.url else None)
    app = site["app"]
    with app.app_context(), app.test_request_context():
        assembly = db.session.get(Assembly, site["assembly"])
        give_floor(assembly, db.session.get(AgendaItem, assembly.current_item_id))
        db.session.commit()
    expect(page.locator(".room-speaker-name")).to_have_text(WAITING[0])
    expect(page.locator(".room-next-list li").first).to_have_text(WAITING[1])
    expect(page.locator(".room-more")).to_have_text("et 6 de plus")
    found = page.evaluate(_MEASURE)
    assert found["height"] <= 720 and not found["spill"], found
    assert fetches == []
