"""One participatory budget from start to finish, as its people go through the pages, on a
phone (Debian Chromium, 360 px), axe-core on every page: a resident submits a project in
the dépôt phase; the facilitator studies it feasible and another one not feasible; she opens
the vote by hand (its confirmation page); three residents vote, the rule status next to
« Valider mon vote » changing as projects are ticked; she closes the vote (the result is
computed by the deferred work, which runs in the server's process without a queue) and
publishes it from the results page, which says why a project is not funded; the élue
records the délibération; the facilitator updates a funded project's progress. The database
is read at each step: what the pages say is what was stored."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.budget_steps import open_the_project_form, update_follow_up
from tests.browser_support import DEMO_SLUG, FACILITATOR, PHONE, assert_accessible, demo_site, read_stored, \
    signed_in

pytestmark = pytest.mark.browser

ELECTED = "sophie.elue@demo.convergence.fr"
AMINA, BERNARD, CHLOE = ("amina.benali@demo.convergence.fr", "bernard.lefevre@demo.convergence.fr",
                         "chloe.martin@demo.convergence.fr")
RECEIPT = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
NNBSP = "\u202f"


def _seed(app) -> dict:
    """A budget of the demo's commune in its dépôt phase (vote dated weeks later): 60 000 €,
    1 to 3 projects a ballot; projects 1, 3 and 4 already studied feasible, 2 waiting."""
    from convergence.extensions import db
    from convergence.models import Commune, SpaceFeature, User
    from convergence.models.base import utcnow
    from plugins.budget.models import FEASIBLE, PHASES, SUBMITTED, Phase, Process, Project

    commune = db.session.scalar(db.select(Commune).where(Commune.slug == DEMO_SLUG))
    db.session.merge(SpaceFeature(space_id=commune.space_id, plugin_name="budget", active=True))
    now, day = utcnow(), timedelta(days=1)
    dated = {"submission": (now - day, now + 10 * day), "review": (now + 11 * day, now + 20 * day),
             "vote": (now + 21 * day, now + 30 * day)}
    process = Process(space_id=commune.space_id, title="Budget participatif 2028", envelope=60_000,
                      min_choices=1, max_choices=3)
    process.phases = [Phase(name=name, position=i, starts_at=dated.get(name, (None, None))[0],
                            ends_at=dated.get(name, (None, None))[1]) for i, name in enumerate(PHASES)]
    db.session.add(process)
    db.session.flush()
    author = db.session.scalar(db.select(User).where(User.email == BERNARD))
    seeded = [("Jardin partagé de la gare", 30_000, FEASIBLE), ("Piscine couverte", 900_000, SUBMITTED),
              ("Bancs place du Lavoir", 25_000, FEASIBLE), ("Piste cyclable rue Haute", 40_000, FEASIBLE)]
    for number, (title, cost, state) in enumerate(seeded, start=1):
        db.session.add(Project(process_id=process.id, number=number, title=title, cost=cost, status=state,
                               description=f"{title}.", description_html=f"<p>{title}.</p>",
                               author_id=author.id))
    db.session.commit()
    return {"process": process.id}


site = demo_site(plugins=["budget"], seed=_seed, offline=True)


def stored(site, read):
    """``read(db, models)`` in the served app, on a fresh session: what the pages stored."""
    from convergence.extensions import db
    from plugins.budget import models

    return read_stored(site, lambda: read(db, models))


def project(db, models, process_id: int, number: int):
    return db.session.scalar(db.select(models.Project).where(models.Project.process_id == process_id,
                                                             models.Project.number == number))


def study(page, axe_source: str, base: str, number: int, verdict: str, reason: str = "") -> None:
    page.goto(f"{base}/projets/{number}")
    assert_accessible(page, axe_source, f"project {number} before its study")
    form = page.locator("form[action$='/etude#etude']")
    form.locator(f"input[name=verdict][value={verdict}]").check()
    if reason:
        form.locator("textarea[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("L'étude de faisabilité a été enregistrée.")
    assert_accessible(page, axe_source, f"project {number} studied")


def vote(context_for, base: str, axe_source: str, who: str, numbers: list[int]) -> None:
    page = signed_in(context_for, who)
    page.goto(f"{base}/bulletin")
    line = page.locator("#ballot-status")
    expect(line).to_contain_text("choisissez-en au moins 1")
    assert_accessible(page, axe_source, f"the ballot of {who}")
    for count, number in enumerate(numbers, start=1):
        page.locator(f"form.budget-ballot input[name=project][value='{number}']").check()
        expect(line).to_contain_text(f"{count} projet choisi" if count == 1 else f"{count} projets choisis")
        expect(line).to_have_attribute("data-valid", "yes")
    expect(line).to_contain_text(f"Votre bulletin respecte les règles{NNBSP}:")
    page.locator("form.budget-ballot button[type=submit]").click()
    expect(page.locator(".budget-receipt")).to_have_text(RECEIPT)
    assert_accessible(page, axe_source, f"the receipt of {who}")
    page.context.close()


def test_a_budget_from_the_first_project_to_its_follow_up(context_for, site, axe_source):
    process_id = site["process"]
    base = f"/budgets/{process_id}"

    # 1. A resident submits a project (number 5) in the dépôt phase.
    amina = signed_in(context_for, AMINA)
    open_the_project_form(amina, base, axe_source)
    amina.fill("#title", "Abri à vélos près de l'école")
    amina.fill("#description", "Un abri **couvert** pour vingt vélos.")
    amina.fill("#cost", "8 500")
    amina.locator("main form.form button[type=submit]").click()
    amina.wait_for_url(re.compile(rf"{base}/projets/5$"))
    expect(amina.locator("h1")).to_contain_text("Abri à vélos près de l'école")
    assert_accessible(amina, axe_source, "the submitted project")
    shelter = stored(site, lambda db, m: project(db, m, process_id, 5))
    assert (shelter.title, shelter.cost, shelter.status) == ("Abri à vélos près de l'école", 8_500, "submitted")
    amina.context.close()

    # 2. The facilitator studies it feasible, and the swimming pool not feasible.
    camille = signed_in(context_for, FACILITATOR)
    camille.goto(f"{base}/etude")
    expect(camille.locator("main")).to_contain_text("Abri à vélos près de l'école")
    assert_accessible(camille, axe_source, "the study queue")
    study(camille, axe_source, base, 5, "feasible")
    pool_reason = "Le coût dépasse de loin l'enveloppe du budget participatif."
    study(camille, axe_source, base, 2, "not_feasible", pool_reason)
    expect(camille.locator("main")).to_contain_text(pool_reason)
    states = stored(site, lambda db, m: {n: (project(db, m, process_id, n).status,
                                             project(db, m, process_id, n).review_reason) for n in (2, 5)})
    assert states == {2: ("not_feasible", pool_reason), 5: ("feasible", "")}

    # 3. She opens the vote by hand, through its confirmation page.
    camille.goto(base)
    assert_accessible(camille, axe_source, "the process page (facilitator)")
    camille.get_by_role("link", name="Ouvrir le vote maintenant").click()
    camille.wait_for_url(re.compile(rf"{base}/vote/ouvrir$"))
    expect(camille.locator("main")).to_contain_text("4 projets réalisables vont sur le bulletin.")
    assert_accessible(camille, axe_source, "opening the vote")
    camille.get_by_role("button", name="Oui, ouvrir le vote maintenant").click()
    camille.wait_for_url(re.compile(rf"{base}$"))
    expect(camille.locator(".flash-success")).to_contain_text("Le vote est ouvert")
    assert_accessible(camille, axe_source, "the process page, vote open")
    assert stored(site, lambda db, m: db.session.get(m.Process, process_id).vote_state) == "open"

    # 4. Three residents vote; the status sentence follows their ticks.
    vote(context_for, base, axe_source, AMINA, [1, 5])
    vote(context_for, base, axe_source, BERNARD, [1, 5, 3])
    vote(context_for, base, axe_source, CHLOE, [1, 4])

    # 5. She closes the vote; the result is computed, then published from the results page.
    camille.goto(base)
    camille.get_by_role("link", name="Clore le vote maintenant").click()
    camille.wait_for_url(re.compile(rf"{base}/vote/clore$"))
    assert_accessible(camille, axe_source, "closing the vote")
    camille.get_by_role("button", name="Oui, clore le vote maintenant").click()
    camille.wait_for_url(re.compile(rf"{base}/resultats$"))
    publish = camille.get_by_role("button", name="Publier le résultat")
    expect(publish).to_be_visible()
    assert_accessible(camille, axe_source, "the computed result")
    publish.click()
    expect(camille.locator(".budget-result-status")).to_contain_text("Publié le")
    assert_accessible(camille, axe_source, "the published result")
    result = stored(site, lambda db, m: db.session.get(m.Result, process_id))
    funded = stored(site, lambda db, m: sorted(project(db, m, process_id, n).id for n in (1, 5)))
    # 1 (30 000 €, three supporters) and 5 (8 500 €, two) are funded; 21 500 € are left,
    # too little for 3 (25 000 €) or 4 (40 000 €), whichever the rule.
    assert (result.state, sorted(result.funded), result.ballots_count) == ("published", funded, 3)

    # Anyone reads why the cycle track is not funded.
    visitor = context_for(PHONE).new_page()
    visitor.goto(f"{base}/resultats")
    not_funded = visitor.locator("main tr", has_text="Piste cyclable rue Haute")
    # The whole sentence: what its supporters had left, how many more supporters or how
    # low a cost it needed, and where their shares went (the figures of this run, which
    # tests/plugins/budget/test_explain.py checks by computing the rule again).
    expect(not_funded).to_contain_text(
        "Non financé\u202f: à la fin, il ne restait que 29\u202f249\xa0€, en tout, sur les parts des personnes qui "
        "le soutenaient. Il aurait été financé avec 1 personne de plus pour le soutenir, ou pour un coût de "
        "29\u202f249\xa0€ au plus. Les parts des personnes qui le soutenaient sont allées à\u202f: projet 1 "
        "(10\u202f000\xa0€).")
    assert_accessible(visitor, axe_source, "the published result (anonymous)")
    visitor.context.close()

    # 6. The élue records the délibération: the result adopted as it is.
    elue = signed_in(context_for, ELECTED)
    elue.goto(f"{base}/deliberation")
    assert_accessible(elue, axe_source, "the decision's form")
    elue.fill("input[name=number]", "2028-017")
    elue.fill("input[name=decided_on]", "2028-01-20")
    elue.fill("textarea[name=text]", "Le conseil municipal **adopte** le résultat du vote.")
    elue.locator("main form.form button[type=submit]").click()
    expect(elue.locator(".flash-success")).to_contain_text("La délibération est enregistrée")
    expect(elue.locator("main")).to_contain_text("2028-017")
    assert_accessible(elue, axe_source, "the decision recorded")
    decision = stored(site, lambda db, m: db.session.scalar(db.select(m.Decision).where(
        m.Decision.process_id == process_id)))
    assert (decision.number, decision.decided_on.isoformat()) == ("2028-017", "2028-01-20")

    # 7. The facilitator updates the progress of the shelter (project 5, funded).
    camille.goto(f"{base}/projets/5/suivi")
    expect(camille.locator("main")).to_contain_text(f"Le conseil adopte le résultat du vote{NNBSP}: "
                                                    "ce projet est financé.")
    assert_accessible(camille, axe_source, "the shelter's follow-up")
    update_follow_up(camille, status="in_progress", progress=40, committed=8500, spent=3000)
    assert_accessible(camille, axe_source, "the shelter's follow-up updated")
    follow_up = stored(site, lambda db, m: db.session.get(m.FollowUp, project(db, m, process_id, 5).id))
    assert (follow_up.status, follow_up.progress, follow_up.committed, follow_up.spent) == \
        ("in_progress", 40, 8500, 3000)
