"""Journeys through the French demo in a real browser, on a phone-sized screen."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser_support import (ASSEMBLY_ID, ASSEMBLY_TITLE, DEMO_SLUG, DESKTOP, FACILITATOR, FIRST_ITEM, PHONE,
                                   assert_fits_the_screen, log_in)

pytestmark = pytest.mark.browser


def open_menu(page) -> None:
    """Open the header's menu (a <details>: its summary « Menu ») as a finger would."""
    page.locator("header details.site-menu > summary").click()
    expect(page.locator("header details.site-menu")).to_have_attribute("open", "")


def submit(page, form: str = "main form.form") -> None:
    page.locator(form).locator("button[type=submit]").click()


def test_invitation_journey_on_a_phone(new_context, live_site):
    # The facilitator creates an invitation to the demo assembly through the form.
    facilitator = new_context(PHONE).new_page()
    log_in(facilitator, FACILITATOR)
    facilitator.goto(f"/invitations/nouvelle?assembly={ASSEMBLY_ID}")
    expect(facilitator.locator("html")).to_have_attribute("lang", "fr")
    assert_fits_the_screen(facilitator)
    facilitator.fill("input[name=label]", "Table d'accueil")
    facilitator.fill("input[name=valid_days]", "7")
    facilitator.fill("input[name=max_uses]", "50")
    submit(facilitator)
    facilitator.wait_for_url(re.compile(r"/invitations/\d+$"))
    link = facilitator.locator("a.invitation-link")
    expect(link).to_have_text(re.compile(r"/i/[^/\s]+$"))
    invitation_url = link.get_attribute("href")
    assert re.search(r"/i/[^/]+$", invitation_url), invitation_url
    expect(facilitator.locator("figure.qr img")).to_be_visible()
    assert_fits_the_screen(facilitator)

    # A resident who has never been here opens the link on their phone.
    resident = new_context(PHONE).new_page()
    resident.goto(invitation_url)
    expect(resident.locator("html")).to_have_attribute("lang", "fr")
    expect(resident.locator("h1")).to_contain_text(ASSEMBLY_TITLE)
    assert_fits_the_screen(resident)
    join_path = re.sub(r"^https?://[^/]+", "", invitation_url)

    # They follow the "create an account" link, which carries them back afterwards.
    resident.locator("main a[href*='/compte/inscription'][href*='next=']").click()
    resident.wait_for_url(re.compile(r"/compte/inscription\?next="))
    assert_fits_the_screen(resident)
    email = f"habitante-{uuid.uuid4().hex[:8]}@example.org"
    password = "un mot de passe bien long"
    resident.fill("input[name=display_name]", "Zoé Habitante")
    resident.fill("input[name=email]", email)
    resident.fill("input[name=password]", password)
    resident.fill("input[name=confirm]", password)
    submit(resident)

    # The same page as for any address; the account opens through the mailed link.
    expect(resident.locator("h1")).to_have_text("Vérifiez votre messagerie")
    assert_fits_the_screen(resident)
    message = next(m for m in reversed(live_site["app"].extensions["convergence.outbox"]) if m["To"] == email)
    confirm_url = re.search(r"http://127\.0\.0\.1:\d+/compte/inscription/confirmer/\S+", message.get_content()).group(0)
    resident.goto(confirm_url)
    submit(resident)

    # Back on the join page, now logged in: one button joins the assembly.
    resident.wait_for_url(lambda url: url.endswith(join_path))
    expect(resident.locator("main")).to_contain_text("Zoé Habitante")
    resident.locator("main form[method=post] button[type=submit]").click()
    resident.wait_for_url(re.compile(rf"/assemblees/{ASSEMBLY_ID}$"))

    # The assembly page shows its agenda, in French.
    expect(resident.locator("html")).to_have_attribute("lang", "fr")
    expect(resident.locator("h1")).to_have_text(ASSEMBLY_TITLE)
    expect(resident.locator("#agenda")).to_contain_text(FIRST_ITEM)
    expect(resident.locator(".flash")).to_be_visible()
    expect(resident.locator("#agenda-title")).to_have_text("Ordre du jour")
    assert_fits_the_screen(resident)

    # They log out from the header's menu (on a phone it opens first), then back in through
    # the login form, and find the assembly again.
    open_menu(resident)
    resident.locator("header form[action$='/compte/deconnexion'] button").click()
    resident.wait_for_load_state()
    open_menu(resident)
    expect(resident.locator("header a[href$='/compte/connexion']")).to_be_visible()
    log_in(resident, email, password, next_path=f"/assemblees/{ASSEMBLY_ID}")
    resident.wait_for_url(re.compile(rf"/assemblees/{ASSEMBLY_ID}$"))
    open_menu(resident)
    expect(resident.locator("header a[href$='/compte/profil']")).to_be_visible()
    expect(resident.locator("#agenda")).to_contain_text(FIRST_ITEM)

    # The main pages fit the phone's width.
    for path in ["/", "/communes/", f"/communes/{DEMO_SLUG}", f"/communes/{DEMO_SLUG}/journal",
                 f"/assemblees/{ASSEMBLY_ID}/projection", "/compte/profil"]:
        resident.goto(path)
        assert_fits_the_screen(resident)
    for path in [f"/assemblees/{ASSEMBLY_ID}/ordre-du-jour", f"/assemblees/{ASSEMBLY_ID}/projection",
                 f"/communes/{DEMO_SLUG}/membres", f"/invitations/nouvelle?assembly={ASSEMBLY_ID}"]:
        facilitator.goto(path)
        assert_fits_the_screen(facilitator)


def test_projector_follows_the_agenda_live(new_context):
    projector = new_context(DESKTOP).new_page()
    projector.goto(f"/assemblees/{ASSEMBLY_ID}/projection")
    live = projector.locator("[data-live-url]")
    # The stream is open before anything happens, so no event can be missed.
    expect(live).to_have_attribute("data-live-connected", "true")
    now = projector.locator('[data-live-region="now"]')
    marker = projector.evaluate("() => { window.__notReloaded = true; return true; }")
    assert marker

    facilitator = new_context(DESKTOP).new_page()
    log_in(facilitator, FACILITATOR)
    facilitator.goto(f"/assemblees/{ASSEMBLY_ID}/ordre-du-jour")
    rows = facilitator.locator("table.agenda-table tbody tr")
    # Start an item that is not the current one (an earlier test run may have started one).
    row = rows.filter(has=facilitator.locator("form[action$='/en-cours'] button")).nth(1)
    title = row.locator("strong").first.inner_text().strip()
    expect(now).not_to_contain_text(title)
    row.locator("form[action$='/en-cours'] button").click()
    facilitator.wait_for_load_state()
    expect(facilitator.locator("table.agenda-table tr.current")).to_contain_text(title)

    # The projector shows it without being reloaded.
    expect(now.locator(".now-title")).to_have_text(title)
    expect(projector.locator("#agenda .agenda-item.current")).to_contain_text(title)
    assert projector.evaluate("() => window.__notReloaded === true"), "the projector page was reloaded"
