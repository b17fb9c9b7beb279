"""The council decision and the follow-up in a real browser, on a phone (360 px): the
élue records the délibération (one departure, the signed PDF), the facilitator updates a
project's progress; axe-core on every page, each page fits the screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.budget_steps import update_follow_up
from tests.browser_support import FACILITATOR, PHONE, assert_accessible, demo_site, signed_in

pytestmark = pytest.mark.browser

ELECTED = "sophie.elue@demo.convergence.fr"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _seed_budget(app) -> dict:
    """A budget of the demo commune whose result is published: projects 1 to 3 funded."""
    from convergence.extensions import db
    from convergence.models import Commune, SpaceFeature
    from convergence.models.base import utcnow
    from plugins.budget.models import FEASIBLE, PUBLISHED, Process, Project, Result

    commune = db.session.scalar(db.select(Commune).where(Commune.slug == "belleville-sur-meuse"))
    db.session.merge(SpaceFeature(space_id=commune.space_id, plugin_name="budget", active=True))
    process = Process(space_id=commune.space_id, title="Budget participatif 2026", envelope=100_000)
    db.session.add(process)
    db.session.flush()
    titles = ["Jardin partagé de la gare", "Bancs place du Lavoir", "Fontaine du marché", "Piste cyclable"]
    projects = [Project(process_id=process.id, number=n, title=title, cost=cost, status=FEASIBLE)
                for n, (title, cost) in enumerate(zip(titles, (40_000, 25_000, 20_000, 30_000)), start=1)]
    db.session.add_all(projects)
    db.session.flush()
    db.session.add(Result(process_id=process.id, state=PUBLISHED, rule="equalshares/add1",
                          funded=[p.id for p in projects[:3]], total_cost=85_000, computed_at=utcnow(),
                          published_at=utcnow()))
    db.session.commit()
    return {"process": process.id, "projects": {p.number: p.id for p in projects}}


site = demo_site(plugins=["needs", "budget"], seed=_seed_budget)


def test_the_elected_member_records_the_decision_and_the_facilitator_updates_a_project(context_for, site,
                                                                                        axe_source, tmp_path):
    process, projects = site["process"], site["projects"]
    elue = signed_in(context_for, ELECTED)
    elue.goto(f"/budgets/{process}/deliberation")
    expect(elue.locator("h1")).to_contain_text("Délibération sur « Budget participatif 2026 »")
    assert_accessible(elue, axe_source, "the decision's form")

    # A departure ticked without its reason: said next to it, what was typed kept.
    elue.fill("input[name=number]", "2026-042")
    elue.fill("input[name=decided_on]", "2026-11-30")
    elue.fill("textarea[name=text]", "Le conseil municipal **adopte** le résultat, sauf pour la fontaine.")
    fountain = projects[3]
    elue.locator(f"label:has(#depart-{fountain})").click()
    elue.locator("main form.form button[type=submit]").click()
    expect(elue.locator(f"#reason-{fountain}-error")).to_contain_text("dites publiquement pourquoi")
    expect(elue.locator("input[name=number]")).to_have_value("2026-042")
    expect(elue.locator(f"#depart-{fountain}")).to_be_checked()
    assert_accessible(elue, axe_source, "the decision's form with an error")

    # Meanwhile a resident reads the fountain's page, another tab the decision page: both
    # wait for the decision on the live channel.
    visitor = context_for(PHONE).new_page()
    visitor.goto(f"/budgets/{process}/projets/3")
    expect(visitor.locator(f"[data-live-region='budget-decision-note-{fountain}']")).to_have_attribute(
        "data-live-connected", "true")
    reader = visitor.context.new_page()
    reader.goto(f"/budgets/{process}/deliberation")
    expect(reader.locator("[data-live-region='budget-decision']")).to_have_attribute("data-live-connected", "true")
    expect(reader.locator("main")).to_contain_text("la délibération n'est pas encore enregistrée")
    for tab in (visitor, reader):
        tab.evaluate("window.notReloaded = true")

    elue.fill(f"#reason-{fountain}", "La fontaine sera refaite avec la rénovation du marché, déjà votée.")
    document = tmp_path / "deliberation-2026-042.pdf"
    document.write_bytes(PDF)
    elue.set_input_files("input[name=document]", str(document))
    elue.locator("main form.form button[type=submit]").click()
    expect(elue.locator(".flash-success")).to_contain_text("La délibération est enregistrée")
    main = elue.locator("main")
    expect(main).to_contain_text("2026-042")
    expect(main).to_contain_text("non financé par le conseil, bien que le résultat l'ait financé.")
    expect(main.locator("a[href$='/deliberation/document']")).to_contain_text("deliberation-2026-042.pdf")
    assert_accessible(elue, axe_source, "the decision recorded")
    # Announced live: the resident's two tabs show it, neither reloaded.
    expect(visitor.locator("main")).to_contain_text(
        "Le conseil ne finance pas ce projet, que le résultat du vote finançait.")
    expect(visitor.locator("main .decision-note")).to_contain_text("La fontaine sera refaite")
    expect(reader.locator("main")).to_contain_text("non financé par le conseil, bien que le résultat l'ait financé.")
    expect(reader.locator("main")).to_contain_text("2026-042")
    assert [tab.evaluate("window.notReloaded") for tab in (visitor, reader)] == [True, True]
    assert_accessible(visitor, axe_source, "a project's page with the decision swapped in live")
    visitor.context.close()

    # The facilitator updates the progress of the garden (project 1), on a phone.
    camille = signed_in(context_for, FACILITATOR)
    camille.goto(f"/budgets/{process}/projets/1/suivi")
    expect(camille.locator("main")).to_contain_text("Le conseil adopte le résultat du vote : ce projet est financé.")
    assert_accessible(camille, axe_source, "a project's follow-up")
    update_follow_up(camille, status="in_progress", progress=60, committed=35_000, spent=12_000)
    camille.fill("input[name=on]", "2027-03-01")
    camille.fill("input[name=label]", "Plantation des arbres fruitiers")
    camille.locator("form[action$='/jalons'] button[type=submit]").click()
    expect(camille.locator("ul.milestones")).to_contain_text("Plantation des arbres fruitiers")
    assert_accessible(camille, axe_source, "a project's follow-up updated")

    # The budget's progress: without the fountain, the garden weighs 40 000 of 65 000 €:
    # 60 % × 40/65 = 36.9 %.
    camille.goto(f"/budgets/{process}/suivi")
    expect(camille.locator("main")).to_contain_text(re.compile(r"36,9\s%\sréalisé"))
    assert_accessible(camille, axe_source, "the budget's follow-up")
