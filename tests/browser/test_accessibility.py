"""axe-core finds no WCAG 2.1 A/AA violation (nor best-practice issue) on the main pages,
on a phone and on a desktop screen, logged out and as the demo facilitator.

axe is loaded with page.evaluate (through the DevTools protocol): the Content-Security-Policy
forbids inline scripts, so page.add_script_tag, which inlines the file, is refused
(convergence.testing.browser.run_axe)."""

from __future__ import annotations

import re

import pytest

from convergence.testing.browser import ASSEMBLY_ID, DEMO_SLUG, DESKTOP, PHONE, TIMEOUT_MS, assert_accessible

pytestmark = pytest.mark.browser

CIRCLE_ID = 1  # « Alimentation » in the demo

# (name, who, path): "invitation" is replaced by the page of an invitation made for the run.
PAGES = [
    ("home", "anonymous", "/"),
    ("communes", "anonymous", "/communes/"),
    ("commune", "anonymous", f"/communes/{DEMO_SLUG}"),
    ("journal", "anonymous", f"/communes/{DEMO_SLUG}/journal"),
    ("assembly", "anonymous", f"/assemblees/{ASSEMBLY_ID}"),
    ("projector", "anonymous", f"/assemblees/{ASSEMBLY_ID}/projection"),
    ("circle", "anonymous", f"/cercles/{CIRCLE_ID}"),
    ("open-data-commune", "anonymous", f"/communes/{DEMO_SLUG}/donnees-ouvertes"),
    ("open-data-assembly", "anonymous", f"/assemblees/{ASSEMBLY_ID}/donnees-ouvertes"),
    ("open-data-circle", "anonymous", f"/cercles/{CIRCLE_ID}/donnees-ouvertes"),
    ("login", "anonymous", "/compte/connexion"),
    ("register", "anonymous", "/compte/inscription"),
    ("password-reset", "anonymous", "/compte/mot-de-passe"),
    ("join", "anonymous", "join"),
    ("assembly-facilitator", "facilitator", f"/assemblees/{ASSEMBLY_ID}"),
    ("projector-facilitator", "facilitator", f"/assemblees/{ASSEMBLY_ID}/projection"),
    ("agenda-management", "facilitator", f"/assemblees/{ASSEMBLY_ID}/ordre-du-jour"),
    ("circle-facilitator", "facilitator", f"/cercles/{CIRCLE_ID}"),
    ("invitation-form", "facilitator", f"/invitations/nouvelle?assembly={ASSEMBLY_ID}"),
    ("invitation", "facilitator", "invitation"),
    ("profile", "facilitator", "/compte/profil"),
    ("for-me", "facilitator", "/pour-moi"),
    ("mail-preferences", "facilitator", "/compte/courriels"),
    ("members", "facilitator", f"/communes/{DEMO_SLUG}/membres"),
    ("personal-data", "anonymous", "/donnees-personnelles"),
    ("account-erasure", "facilitator", "/compte/supprimer"),
]
DEVICES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(scope="module")
def browsing(browser, live_server, facilitator_state):
    """One context per (person, device), kept for the whole module: far faster than one per page."""
    contexts = {}

    def page_for(who: str, device: str):
        key = (who, device)
        if key not in contexts:
            options = {"locale": "fr-FR", "base_url": live_server, **DEVICES[device]}
            if who == "facilitator":
                options["storage_state"] = facilitator_state
            context = browser.new_context(**options)
            context.set_default_timeout(TIMEOUT_MS)
            contexts[key] = (context, context.new_page())
        return contexts[key][1]

    yield page_for
    for context, _page in contexts.values():
        context.close()


@pytest.fixture(scope="module")
def invitation_paths(browsing):
    """The facilitator's invitation page and the join link it shows, made through the form."""
    page = browsing("facilitator", "desktop")
    page.goto(f"/invitations/nouvelle?assembly={ASSEMBLY_ID}")
    page.fill("input[name=label]", "Accessibilité")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/invitations/\d+$"))
    link = page.locator("a.invitation-link").get_attribute("href")
    return {"invitation": page.url, "join": re.sub(r"^https?://[^/]+", "", link)}


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize("name,who,path", PAGES, ids=[p[0] for p in PAGES])
def test_no_axe_violations(browsing, invitation_paths, axe_source, name, who, path, device):
    page = browsing(who, device)
    response = page.goto(invitation_paths.get(path, path))
    assert response is not None and response.ok, f"{name}: {path} answered {response and response.status}"
    assert page.locator("html").get_attribute("lang") == "fr"
    if who == "facilitator":
        assert "/compte/connexion" not in page.url, "the facilitator is not logged in"
    if page.locator("[data-live-url]").count():
        # Let live.js open the stream and settle before the page is audited.
        page.wait_for_selector("[data-live-connected]", state="attached")
    # Whether every page fits a phone is test_fits_the_screen's.
    assert_accessible(page, axe_source, f"{name} ({device}, {page.url})", fits=False)


def test_form_errors_are_accessible(browsing, axe_source):
    """A login form sent empty shows its errors in a way axe accepts."""
    page = browsing("anonymous", "phone")
    page.goto("/compte/connexion")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert page.locator(".error-summary[role=alert]").is_visible()
    assert_accessible(page, axe_source, "login with errors", fits=False)
