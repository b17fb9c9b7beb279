"""The Commune des Communes in a real browser (Debian Chromium), on a phone (360 px): a
person from another commune registers a delegation with its mandate, lodging and meals,
finds its QR codes; an organiser sees the counts and checks a member in at the door from
the phone; axe-core finds nothing on the plug-in's pages. Skips like the core's browser
tests when Chromium or axe-core are missing."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import (DESKTOP, FACILITATOR, PHONE, assert_fits_the_screen, demo_site, signed_in,
                                   visit_accessible)

pytestmark = pytest.mark.browser

VISITOR = "quentin.blanc@demo.convergence.fr"


def _meeting(app) -> dict:
    from convergence.extensions import db
    from plugins.cdc.models import Delegation, Meeting

    meeting = db.session.scalars(db.select(Meeting)).one()
    first = db.session.scalars(db.select(Delegation).order_by(Delegation.id)).first()
    return {"meeting": meeting.id, "demo_delegation": first.id, "demo_token": first.members[0].checkin_token}


site = demo_site(plugins=["cdc"], seed=_meeting)


def test_register_a_delegation_with_lodging_and_meals_on_a_phone(context_for, site):
    base = f"/rencontres/{site['meeting']}"
    person = signed_in(context_for, VISITOR)
    person.goto(base)
    assert "Assemblée populaire de Vaucouleurs" in person.locator("main").inner_text()
    person.get_by_role("link", name="Inscrire une délégation").first.click()
    person.wait_for_url(re.compile(rf"{base}/inscription$"))
    assert_fits_the_screen(person)
    person.fill("#collective_name", "Maison du peuple de Ligny")
    person.fill("#home_town", "Ligny-en-Barrois")
    person.fill("#objectives", "Un lieu commun ouvert à toutes et tous.")
    person.check("#municipal_list-1")
    person.fill("#municipal_functioning", "Assemblée mensuelle, mandats révocables.")
    person.fill("#contact_phone", "06 12 34 56 78")
    person.fill("#people_count", "4")
    person.fill("#members", "Inès Laurent\nMarc Dubois")
    person.check("#mandate_kind-0")
    person.fill("#mandate_text", "Défendre la mutualisation des lieux communs.")
    person.check("#lodging_mode-0")
    nights = person.locator("input[name^=night_]")
    assert nights.count() == 2
    nights.nth(1).fill("4")
    meals = person.locator("input[name^=meal_]")
    assert meals.count() == 4
    meals.nth(0).fill("4")
    meals.nth(1).fill("3")
    person.fill("#dietary_needs", "Une personne sans gluten.")
    person.check("#by_train")
    person.fill("#arrival", "Gare de Commercy, samedi 8 h 42")
    person.fill("#shuttle_people", "4")
    person.locator("main form.form button[type=submit]").click()
    person.wait_for_url(re.compile(r"/delegations/\d+$"))
    main = person.locator("main").inner_text()
    assert "Votre délégation est inscrite" in main and "Maison du peuple de Ligny" in main
    assert person.locator("figure.qr img").count() == 4  # the delegation and its three named people
    token = person.locator("figure.qr img").nth(2).get_attribute("src").split("/")[2]  # Inès Laurent's
    assert_fits_the_screen(person)

    # Too many beds for the people: said next to the field, on the page as typed.
    edit = person.url + "/modifier"
    person.goto(edit)
    person.locator("input[name^=night_]").nth(1).fill("9")
    person.locator("main form.form button[type=submit]").click()
    assert person.title().startswith("Erreur")
    assert "plus de personnes que dans la délégation" in person.locator("main").inner_text()
    assert person.locator("#people_count").input_value() == "4"

    # The organisers count the beds and meals, and check a member in at the door.
    organiser = signed_in(context_for, FACILITATOR)
    organiser.goto(f"{base}/organisation")
    text = organiser.locator("main").inner_text()
    # The demo's four delegations (6 + 8 + 10 + 4 people) and the one registered above (4).
    assert "5 délégations inscrites, 32 personnes" in text.replace("\u202f", " ")
    assert_fits_the_screen(organiser)
    organiser.goto(f"/accueil/{token}")
    assert "Inès Laurent" in organiser.locator("main").inner_text()
    organiser.get_by_role("button", name="Arrivé·e").click()
    organiser.wait_for_load_state()
    assert "Arrivé·e à" in organiser.locator("main").inner_text()
    assert_fits_the_screen(organiser)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_cdc_pages_pass_axe(context_for, site, axe_source, device):
    base = f"/rencontres/{site['meeting']}"
    screen = PHONE if device == "phone" else DESKTOP
    anonymous = context_for(screen).new_page()
    organiser = signed_in(context_for, FACILITATOR, screen)
    visits = [(anonymous, "meeting", base), (anonymous, "invitation", f"{base}/invitation")]
    visits += [(organiser, name, path) for name, path in (
        ("register", f"{base}/inscription"), ("organise", f"{base}/organisation"), ("roster", f"{base}/liste"),
        ("lodging", f"{base}/hebergements"), ("programme", f"{base}/programme"), ("offer", f"{base}/hebergement"),
        ("delegation", f"/delegations/{site['demo_delegation']}"), ("checkin", f"/accueil/{site['demo_token']}"))]
    for page, name, path in visits:
        visit_accessible(page, path, axe_source, f"{name} ({device})", fits=device == "phone")
