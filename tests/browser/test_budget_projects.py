"""Participatory budgeting in a real browser (Debian Chromium) on a 360 px phone: the
process page and the project form pass axe-core and fit the screen; a resident submits a
project, first with a cost that is not a number (the message shows next to the field,
what was typed kept), then as it should be; the facilitator's page of the project, with
its study form, passes axe too. Skips like the core's browser tests when Chromium or
axe-core are missing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.browser.budget_steps import open_the_project_form
from tests.browser_support import DEMO_SLUG, DESKTOP, FACILITATOR, PHONE, assert_accessible, demo_site, signed_in, \
    visit_accessible

pytestmark = pytest.mark.browser

RESIDENT = "amina.benali@demo.convergence.fr"


def _seed_process(app) -> dict:
    """A process of the demo's commune in its dépôt phase, with one project already in."""
    from convergence.extensions import db
    from convergence.models import Commune, SpaceFeature, User
    from convergence.models.base import utcnow
    from plugins.budget.models import PHASES, Area, Phase, Process, Project, ProjectCategory

    commune = db.session.scalar(db.select(Commune).where(Commune.slug == DEMO_SLUG))
    db.session.merge(SpaceFeature(space_id=commune.space_id, plugin_name="budget", active=True))
    now, day = utcnow(), timedelta(days=1)
    dated = {"submission": (now - day, now + 10 * day), "review": (now + 11 * day, now + 20 * day),
             "vote": (now + 21 * day, now + 30 * day)}
    process = Process(space_id=commune.space_id, title="Budget participatif 2027", envelope=150_000,
                      description="Proposez des projets pour **la commune**.", description_html=(
                          "<p>Proposez des projets pour <strong>la commune</strong>.</p>"), max_choices=5)
    process.phases = [Phase(name=name, position=i, starts_at=dated.get(name, (None, None))[0],
                            ends_at=dated.get(name, (None, None))[1]) for i, name in enumerate(PHASES)]
    process.areas = [Area(name="Centre"), Area(name="Les Prés", envelope=40_000)]
    process.categories = [ProjectCategory(name="Nature"), ProjectCategory(name="Mobilité")]
    db.session.add(process)
    db.session.flush()
    author = db.session.scalar(db.select(User).where(User.email == RESIDENT))
    db.session.add(Project(process_id=process.id, number=1, title="Des arbres place de la mairie", cost=18_000,
                           description="Dix arbres.", description_html="<p>Dix arbres.</p>", author_id=author.id,
                           area_id=process.areas[0].id))
    db.session.commit()
    return {"process": process.id}


site = demo_site(plugins=["needs", "budget"], seed=_seed_process, offline=True)


def test_a_resident_submits_a_project_on_a_phone(context_for, site, axe_source):
    base = f"/budgets/{site['process']}"
    page = signed_in(context_for, RESIDENT)
    page.goto(base)
    main = page.locator("main").inner_text()
    assert re.search(r"150\s000", main) and "Des arbres place de la mairie" in main
    open_the_project_form(page, base, axe_source)
    page.fill("#title", "Un abri à vélos près de l'école")
    page.fill("#description", "Un abri **couvert** pour vingt vélos.")
    page.fill("#cost", "beaucoup")
    page.select_option("#area", label="Les Prés")
    page.select_option("#category", label="Mobilité")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator("#cost-error").inner_text()
    assert "Écrivez le montant en euros avec des chiffres" in error
    assert page.input_value("#cost") == "beaucoup" and page.input_value("#title") == "Un abri à vélos près de l'école"
    assert_accessible(page, axe_source, "project form with an error")

    # The small map: a tap puts the point and fills the two fields (typed by hand without it).
    page.wait_for_selector("#budget-map.leaflet-container")
    box = page.locator("#budget-map").bounding_box()
    page.locator("#budget-map").click(position={"x": box["width"] / 2 + 15, "y": box["height"] / 2 - 15})
    latitude, longitude = page.input_value("#latitude"), page.input_value("#longitude")
    assert latitude and longitude, "a tap on the map did not fill the latitude and longitude"
    assert page.locator("#budget-map .leaflet-marker-icon").count() == 1
    assert_accessible(page, axe_source, "project form with its map")

    page.fill("#cost", "8 500 €")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{base}/projets/2$"))
    assert "Un abri à vélos près de l'école" in page.locator("h1").inner_text()
    assert page.locator(".prose strong").inner_text() == "couvert"
    assert re.search(r"8\s500\s€", page.locator("main").inner_text())
    page.wait_for_selector("#budget-map .leaflet-marker-icon")
    assert page.locator("#budget-map img.leaflet-marker-icon").get_attribute("alt") == "Le lieu du projet"
    assert_accessible(page, axe_source, "project page")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_facilitator_s_pages_pass_axe(context_for, site, axe_source, device):
    base = f"/budgets/{site['process']}"
    page = signed_in(context_for, FACILITATOR, PHONE if device == "phone" else DESKTOP)
    for name, path in (("process", base), ("project", f"{base}/projets/1"), ("list", f"{base}/projets"),
                       ("edit", f"{base}/modifier"), ("study", f"{base}/etude")):
        visit_accessible(page, path, axe_source, f"{name} ({device})", fits=device == "phone")
