"""The budget ballot on a phone (Debian Chromium, 360 px): the rule status changing as
projects are ticked (JavaScript), and the same sentence after submitting without it; axe-core
finds nothing on the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser_support import PHONE, assert_accessible, assert_fits_the_screen, demo_site, signed_in

pytestmark = pytest.mark.browser

VOTERS = ["amina.benali@demo.convergence.fr", "bernard.lefevre@demo.convergence.fr"]
RECEIPT = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _seed(app) -> dict:
    """A budget of the demo's commune whose vote is open: six feasible projects, 1 to 3 a ballot."""
    from convergence.extensions import db
    from convergence.models import Commune, SpaceFeature
    from convergence.models.base import utcnow
    from plugins.budget import status
    from plugins.budget.models import FEASIBLE, VOTE, Area, Phase, Process, Project

    commune = db.session.scalar(db.select(Commune).order_by(Commune.id))  # the demo's: VOTERS live there
    db.session.merge(SpaceFeature(space_id=commune.space_id, plugin_name="budget", active=True))
    process = Process(space_id=commune.space_id, title="Budget participatif 2027", envelope=150_000,
                      min_choices=1, max_choices=3)
    process.phases = [Phase(name=VOTE, position=2, starts_at=utcnow() - timedelta(minutes=1),
                            ends_at=utcnow() + timedelta(days=2))]
    db.session.add(process)
    db.session.flush()
    area = Area(process=process, name="Centre-bourg")
    titles = ["Jardin partagé de la gare", "Bancs place du Lavoir", "Pistes cyclables rue Haute",
              "Boîte à livres", "Aire de jeux", "Fontaine à eau"]
    for number, title in enumerate(titles, start=1):
        db.session.add(Project(process_id=process.id, number=number, title=title, cost=10_000 * number,
                               status=FEASIBLE, area=area))
    db.session.commit()
    status.advance(process.id)
    return {"process": process.id}


site = demo_site(plugins=["budget"], seed=_seed)


def tick(page, number: int) -> None:
    page.locator(f"form.budget-ballot input[name=project][value='{number}']").check()


def test_the_rule_status_changes_as_projects_are_ticked(context_for, site, axe_source):
    page = signed_in(context_for, VOTERS[0])
    page.goto(f"/budgets/{site['process']}/bulletin")
    line = page.locator("#ballot-status")
    expect(line).to_have_attribute("aria-live", "polite")
    expect(line).to_contain_text("choisissez-en au moins 1")
    assert_accessible(page, axe_source, "the ballot")
    tick(page, 1)
    expect(line).to_contain_text("Votre bulletin respecte les règles : 1 projet choisi.".replace(" :", "\u202f:"))
    tick(page, 2)
    tick(page, 3)
    expect(line).to_contain_text("3 projets choisis")
    tick(page, 4)
    expect(line).to_contain_text("Vous avez choisi 4 projets\u202f: 3 au plus.")
    expect(line).to_have_attribute("data-valid", "no")
    assert_accessible(page, axe_source, "the ballot breaking the rules")
    # Sent anyway: the same sentence on the page drawn again, the choices kept.
    page.locator("form.budget-ballot button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Erreur"))
    expect(line).to_contain_text("Vous avez choisi 4 projets\u202f: 3 au plus.")
    assert_accessible(page, axe_source, "the ballot sent breaking the rules")
    page.locator(f"form.budget-ballot input[name=project][value='4']").uncheck()
    expect(line).to_have_attribute("data-valid", "yes")
    page.locator("form.budget-ballot button[type=submit]").click()
    expect(page.locator(".budget-receipt")).to_have_text(RECEIPT)
    assert page.url.endswith("/bulletin")  # no receipt in an address of the history
    assert_fits_the_screen(page)


def test_without_javascript_the_sentence_comes_after_submitting(context_for, site):
    page = signed_in(context_for, VOTERS[1], {**PHONE, "java_script_enabled": False})
    page.goto(f"/budgets/{site['process']}/bulletin")
    for number in (1, 2, 5, 6):
        tick(page, number)
    page.locator("form.budget-ballot button[type=submit]").click()
    expect(page.locator("#ballot-status")).to_contain_text("Vous avez choisi 4 projets\u202f: 3 au plus.")
    expect(page).to_have_title(re.compile(r"^Erreur"))
    # The choices are kept: untick one and validate.
    assert [page.locator(f"input[name=project][value='{n}']").is_checked() for n in range(1, 7)] == \
        [True, True, False, False, True, True]
    page.locator("input[name=project][value='6']").uncheck()
    page.locator("form.budget-ballot button[type=submit]").click()
    expect(page.locator(".budget-receipt")).to_have_text(RECEIPT)
    assert_fits_the_screen(page)
