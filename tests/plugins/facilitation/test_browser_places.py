"""A phone on the speaking list follows its own place from the live event, in a real
browser (Debian Chromium): someone ahead withdraws, then is given the floor, and the phone
reads its new position and why without fetching anything; given the floor itself, it
fetches its « Your place » (…/parole/ma-place) once. Every wait is for a condition of the
page, never for a time."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import PHONE, TIMEOUT_MS, browser_contexts, serve_demo

from .test_browser import FACILITATOR, PHONES, _seed, phone

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve_demo(tmp_path_factory, plugins=["mj", "facilitation"], seed=_seed) as info:
        yield info


@pytest.fixture
def context_for(browser, site):
    with browser_contexts(browser, site["url"], TIMEOUT_MS) as make:
        yield make


def french(site, msgid: str) -> str:
    """The catalogue's French, its no-break spaces kept (the page shows them)."""
    from flask_babel import force_locale, gettext

    with site["app"].test_request_context(), force_locale("fr"):
        return gettext(msgid)


def requests_of(page) -> list[str]:
    """Every request the page sends from now on (its event stream is already open)."""
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))
    return sent


def settled(page) -> None:
    """A round trip to the page: a request it issued before is reported by then."""
    page.evaluate("() => document.readyState")


def test_a_waiting_phone_reads_its_new_place_from_the_event_and_fetches_when_given_the_floor(context_for, site):
    assembly = site["assembly"]
    phones = {}
    for name, email in PHONES.items():  # Amina (already heard on the item) asks first
        page = phone(context_for, email)
        page.goto(f"/assemblees/{assembly}/parole")
        page.wait_for_selector("[data-live-connected]", state="attached")
        page.get_by_role("button", name="Demander la parole").click()
        expect(page.locator(".my-position")).to_be_visible()
        phones[name] = page
    amina = phones["Amina Benali"]
    expect(amina.locator(".my-position")).to_have_text("Vous êtes n°\u00a03 sur la liste.")
    amina_sent = requests_of(amina)
    bernard_sent = requests_of(phones["Bernard Lefèvre"])

    # Chloé, ahead of Amina, withdraws: Amina is second, passed by Bernard only.
    phones["Chloé Martin"].get_by_role("button", name="Retirer ma demande").click()
    expect(amina.locator(".my-position")).to_have_text("Vous êtes n°\u00a02 sur la liste.")
    expect(amina.locator(".my-place")).to_contain_text(
        "Bernard Lefèvre passe avant vous car c'est sa première prise de parole.")
    expect(amina.locator(".speaking-entry.mine .speaking-name")).to_contain_text("Amina Benali")

    # Bernard is given the floor: Amina is first; Bernard's phone fetches its new state.
    console = phone(context_for, FACILITATOR)
    console.goto(f"/assemblees/{assembly}/animation")
    console.locator(".console-floor").get_by_role("button", name="Donner la parole à Bernard Lefèvre").click()
    expect(amina.locator(".my-position")).to_have_text("Vous êtes n°\u00a01 sur la liste.")
    expect(amina.locator(".my-place")).to_contain_text(french(site, "Nobody who asked before you is behind you: arrival order."))
    expect(phones["Bernard Lefèvre"].locator(".my-position")).to_have_text("Vous avez la parole.")
    settled(amina)
    assert amina_sent == []  # neither its place nor its page: both came in the events
    assert [url for url in bernard_sent if url.endswith("/ma-place")] != []

    # Amina is given the floor: her state changes kind, so her phone fetches its place.
    console.locator(".console-floor").get_by_role("button", name="Donner la parole à Amina Benali").click()
    expect(amina.locator(".my-position")).to_have_text("Vous avez la parole.")
    expect(amina.locator(".my-place form")).to_have_count(0)  # no « withdraw » once speaking
    settled(amina)
    assert [url.rsplit("/", 1)[-1] for url in amina_sent] == ["ma-place"]
