"""Live facilitation in a real browser (Debian Chromium): three phones ask to speak, the
order honours the person who has not spoken yet, the facilitator gives the floor from a
phone, the room display follows live and the timer runs out on it; a consent round opened
in one tap from the console is answered from a phone and followed live on the room display. axe-core finds nothing
on the pages, the console's controls are at least 44×44 px, and the room display fits
1280×720 and 1920×1080. Every wait is for a condition of the page, never for a time.

Skips like the core's browser tests when Chromium or axe-core are missing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_touch_targets import _MEASURE
from tests.browser_support import DESKTOP, PHONE, TIMEOUT_MS, assert_fits_the_screen, browser_contexts, describe, \
    log_in, run_axe, serve_demo

pytestmark = pytest.mark.browser

FACILITATOR = "camille.facilitatrice@demo.convergence.fr"
PHONES = {"Amina Benali": "amina.benali@demo.convergence.fr",
          "Bernard Lefèvre": "bernard.lefevre@demo.convergence.fr",
          "Chloé Martin": "chloe.martin@demo.convergence.fr"}
SPEAKING_SECONDS = 3


def _seed(app) -> dict:
    """The demo's assembly under way on its first item, three seconds per turn, and Amina
    Benali having spoken once already on that item; an invitation for the QR code."""
    from convergence.extensions import db
    from convergence.models import Assembly, User
    from convergence.models.base import utcnow
    from convergence.space_settings import write_settings
    from plugins.facilitation.models import SpeakingRequest

    assembly = db.session.scalar(db.select(Assembly).order_by(Assembly.id))
    item = assembly.agenda[0]
    assembly.current_item_id = item.id
    assembly.status = "open"
    # The demo balances its delegations on another item; here, new speakers first only.
    write_settings(assembly, "facilitation", {"speaking_seconds": SPEAKING_SECONDS, "lists": "off", "list_names": ""})
    amina = db.session.scalar(db.select(User).where(User.email == PHONES["Amina Benali"]))
    now = utcnow()
    db.session.add(SpeakingRequest(assembly_id=assembly.id, item_id=item.id, user_id=amina.id, person=f"u:{amina.id}",
                                   name=amina.display_name, state="done", started_at=now, ended_at=now, counted=40.0))
    db.session.commit()
    return {"assembly": assembly.id, "item": item.id, "item_title": item.title}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve_demo(tmp_path_factory, plugins=["mj", "facilitation"], seed=_seed) as info:
        yield info


@pytest.fixture
def context_for(browser, site):
    with browser_contexts(browser, site["url"], TIMEOUT_MS) as make:
        yield make


def phone(context_for, email: str):
    page = context_for(PHONE).new_page()
    log_in(page, email)
    return page


def assert_axe_clean(page, axe_source, what: str) -> None:
    violations = run_axe(page, axe_source)
    assert not violations, f"{what}:\n{describe(violations)}"


def test_three_phones_the_fair_order_the_floor_and_the_room_display(context_for, site, axe_source):
    assembly = site["assembly"]
    room = context_for(DESKTOP, viewport={"width": 1280, "height": 720}).new_page()
    room.goto(f"/assemblees/{assembly}/salle")
    room.wait_for_selector("[data-live-connected]", state="attached")
    expect(room.locator("h1")).to_have_text(site["item_title"])
    assert room.locator(".site-header").count() == 0
    # Every change below reaches the room display in its live event: it never fetches itself.
    room_fetches = []
    room.on("request", lambda request: room_fetches.append(request.url) if "/salle" in request.url else None)

    phones = {}
    for name, email in PHONES.items():  # Amina first, then Bernard, then Chloé
        page = phone(context_for, email)
        page.goto(f"/assemblees/{assembly}/parole")
        page.wait_for_selector("[data-live-connected]", state="attached")
        page.get_by_role("button", name="Demander la parole").click()
        expect(page.locator(".my-position")).to_be_visible()
        phones[name] = page

    # Bernard and Chloé have not spoken on this item: they pass Amina, who had.
    expect(phones["Bernard Lefèvre"].locator(".my-position")).to_have_text("Vous êtes n°\u00a01 sur la liste.")
    expect(phones["Bernard Lefèvre"].locator(".my-place")).to_contain_text(
        "Vous passez avant Amina Benali car c'est votre première prise de parole.")
    # Amina's page was drawn when she asked; the others' requests reached it live.
    expect(phones["Amina Benali"].locator(".my-position")).to_have_text("Vous êtes n°\u00a03 sur la liste.")
    expect(phones["Amina Benali"].locator(".my-place")).to_contain_text(
        "Bernard Lefèvre passe avant vous car c'est sa première prise de parole.")
    expect(room.locator(".room-next-list li")).to_have_text(["Bernard Lefèvre", "Chloé Martin", "Amina Benali"])
    assert_axe_clean(phones["Amina Benali"], axe_source, "speaking list")

    console = phone(context_for, FACILITATOR)
    console.goto(f"/assemblees/{assembly}/animation")
    console.wait_for_selector("[data-live-connected]", state="attached")
    assert_axe_clean(console, axe_source, "console")
    found = console.evaluate(_MEASURE)
    assert not found["small"], "console targets under 44×44 px:\n" + "\n".join(found["small"])
    assert_fits_the_screen(console, "console")
    console.locator(".console-floor").get_by_role("button", name="Donner la parole à Bernard Lefèvre").click()

    expect(room.locator("[data-speaker]")).to_have_text("Bernard Lefèvre")
    expect(room.locator(".room-next-list li")).to_have_text(["Chloé Martin", "Amina Benali"])
    expect(phones["Bernard Lefèvre"].locator(".my-position")).to_have_text("Vous avez la parole.")
    # Three seconds per turn: the countdown reaches zero on the room display by itself.
    expect(room.locator("[data-timer]")).to_have_attribute("data-state", "over", timeout=SPEAKING_SECONDS * 1000 + 5000)
    expect(room.locator("[data-timer-label]")).to_have_text("Temps écoulé")
    assert room_fetches == []
    assert_axe_clean(room, axe_source, "room display")


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_the_room_display_fits_a_projector(context_for, site, axe_source, width, height):
    room = context_for(DESKTOP, viewport={"width": width, "height": height}).new_page()
    room.goto(f"/assemblees/{site['assembly']}/salle")
    assert_fits_the_screen(room, f"room display at {width}×{height}")
    sizes = room.evaluate("""() => ({
        title: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),
        smallest: Math.min(...[...document.querySelectorAll('main *')].filter(e => e.childNodes.length
            && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
            && e.getClientRects().length && !e.closest('.visually-hidden'))
            .map(e => parseFloat(getComputedStyle(e).fontSize))),
        scroll: document.documentElement.scrollHeight, inner: window.innerHeight})""")
    # Read from the back of a hall: no text under 24 px at 1280×720, the item title far larger.
    assert sizes["smallest"] >= 24 * width / 1280 * 0.9, sizes
    assert sizes["title"] >= 2 * sizes["smallest"], sizes
    assert sizes["scroll"] <= sizes["inner"], f"the room display scrolls at {width}×{height}: {sizes}"
    assert_axe_clean(room, axe_source, f"room display {width}×{height}")


def test_a_consent_round_opened_from_the_console_is_followed_live_in_the_room(context_for, site, axe_source):
    assembly, item = site["assembly"], site["item"]
    room = context_for(DESKTOP, viewport={"width": 1280, "height": 720}).new_page()
    room.goto(f"/assemblees/{assembly}/salle")
    room.wait_for_selector("[data-live-connected]", state="attached")
    console = phone(context_for, FACILITATOR)
    console.goto(f"/assemblees/{assembly}/animation")
    console.get_by_role("button", name="Ouvrir un tour de consentement maintenant").click()
    expect(console.locator(".round-status")).to_have_text("Tour de consentement en cours")
    expect(room.locator(".round-status")).to_have_text("Tour de consentement en cours")
    found = console.evaluate(_MEASURE)
    assert not found["small"], "console targets under 44×44 px:\n" + "\n".join(found["small"])
    assert_axe_clean(console, axe_source, "console with a consent round")

    chloe = phone(context_for, PHONES["Chloé Martin"])
    chloe.goto(f"/assemblees/{assembly}/ordre-du-jour/{item}/consentement")
    assert_axe_clean(chloe, axe_source, "consent round page")
    assert_fits_the_screen(chloe, "consent round page")
    chloe.get_by_label("Consentement", exact=True).check()
    chloe.get_by_role("button", name="Envoyer ma réponse").click()
    expect(chloe.locator(".round-counts")).to_contain_text("Consentements\u202f: 1")
    expect(room.locator(".round-counts")).to_contain_text("Consentements\u202f: 1")
    console.get_by_role("button", name="Clore le tour de consentement").click()
    expect(room.locator(".round-status")).to_have_text("Adoptée\u202f: aucune objection ne subsistait")


def test_a_long_list_reaches_an_anonymous_phone_packed_in_the_event(context_for, site):
    """Sixty names added at once: the phone's waiting list travels gzipped in the event
    (past NOTIFY's size as it is) and the phone shows it without fetching anything."""
    from convergence.extensions import db
    from convergence.models import AgendaItem, Assembly
    from plugins.facilitation.speakers import add_name, clear

    page = context_for(PHONE).new_page()
    page.goto(f"/assemblees/{site['assembly']}/parole")
    page.wait_for_selector("[data-live-connected]", state="attached")
    before = page.locator(".speaking-order .speaking-entry").count()  # what the tests above left waiting
    fetches = []
    page.on("request", lambda request: fetches.append(request.url))
    app = site["app"]
    with app.app_context(), app.test_request_context():
        assembly, item = db.session.get(Assembly, site["assembly"]), db.session.get(AgendaItem, site["item"])
        for n in range(60):
            add_name(assembly, item, f"Personne numéro {n:02d}", "intervention", None)
        db.session.commit()
    expect(page.locator(".speaking-order .speaking-entry")).to_have_count(before + 60)
    expect(page.locator(".speaking-order")).to_contain_text("Personne numéro 59")
    assert fetches == []
    with app.app_context(), app.test_request_context():  # the list as the module's other tests know it
        clear(db.session.get(Assembly, site["assembly"]), db.session.get(AgendaItem, site["item"]))
        db.session.commit()
