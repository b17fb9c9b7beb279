"""The French demo's participatory budgets (issue 10 item 9): switched on in the demo's
commune, a finished budget (result published with its explanations, the council's decision
with a departure, the follow-up) and one in its vote, written through the plug-in's
services — and the pages that show them."""

from __future__ import annotations

from convergence.extensions import db
from convergence.features import is_active
from convergence.models import Commune, User
from convergence.models.base import utcnow
from convergence.testing import login, visible_text
from plugins.budget import demo, status
from plugins.budget.models import Decision, FollowUp, PaperSheet, Process, Project, Result

from tests.fixtures import count_queries

PASSWORD = "demo-password-1"


def _load(runner) -> str:
    output = runner.invoke(args=["load-demo", "--password", PASSWORD])
    assert output.exit_code == 0, output.output
    return output.output


def _processes():
    found = {p.title: p for p in db.session.scalars(db.select(Process))}
    return found[demo.TITLE_2026], found[demo.TITLE_2027]


def test_the_demo_holds_a_finished_budget_and_one_in_its_vote(runner):
    output = _load(runner)
    assert "Budgets participatifs : « Budget participatif 2026 » terminé" in output.replace("\u202f", " ")
    assert "« Budget participatif 2027 » en vote jusqu'au" in output.replace("\u202f", " ")
    commune = db.session.scalar(db.select(Commune))
    assert is_active(commune, "budget")
    finished, voting = _processes()

    projects = db.session.scalars(db.select(Project).where(Project.process_id == finished.id)).all()
    assert len(projects) == 30
    not_feasible = [p for p in projects if p.status == "not_feasible"]
    assert sorted(p.number for p in not_feasible) == sorted(demo.NOT_FEASIBLE_2026)
    assert all(p.review_reason for p in not_feasible)
    assert db.session.scalar(db.select(db.func.count()).select_from(PaperSheet)
                             .where(PaperSheet.process_id == finished.id)) == sum(demo.PAPER_SHEETS)
    assert status.vote_state(finished) == "closed"
    result = db.session.get(Result, finished.id)
    assert result.state == "published" and result.rule.startswith("equalshares")
    assert result.ballots_count == sum(demo.PAPER_SHEETS) + 20
    assert result.total_cost <= finished.envelope
    # Equal shares and greedy part ways for at least one project (the seeded ballots see to it).
    part = result.details["parts"][0]
    assert set(part["greedy"]) != set(part["funded"])
    assert all(entry["why"] for entry in part["projects"])

    decision = db.session.scalar(db.select(Decision).where(Decision.process_id == finished.id))
    assert decision.recorded_by.email == "sophie.elue@demo.convergence.fr"
    assert len(decision.departures) == 1 and decision.departures[0].reason and decision.departures[0].funded
    follows = db.session.scalars(db.select(FollowUp)).all()
    assert sorted(f.status for f in follows) == ["done", "in_progress", "in_progress", "in_progress"]

    assert status.vote_state(voting) == "open"
    on_ballot = db.session.scalars(db.select(Project).where(Project.process_id == voting.id)).all()
    assert len(on_ballot) == 8 and {p.status for p in on_ballot} == {"feasible"}
    assert (voting.vote_closes_at - utcnow()).days == 13  # closes in two weeks (less a few seconds)
    assert db.session.get(Result, voting.id) is None

    again = runner.invoke(args=["load-demo"])
    assert again.exit_code == 0 and "déjà chargée" in again.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Process)) == 2


def test_the_demo_budget_pages(app, client, runner):
    _load(runner)
    finished, voting = _processes()
    funded = db.session.scalars(db.select(Project).where(Project.id.in_(
        [int(i) for i in db.session.get(Result, finished.id).funded]))).all()

    with count_queries(app) as queries:
        page = visible_text(client.get(f"/budgets/{finished.id}/resultats"))
    assert len(queries) <= 8  # as for any published result (test_results), whatever its 270 ballots
    for project in funded:
        assert project.title in page
    assert "Non financé" in page

    decision = visible_text(client.get(f"/budgets/{finished.id}/deliberation"))
    assert "DCM-2026-047" in decision and "ligne d'entretien des espaces publics" in decision

    suivi = visible_text(client.get(f"/budgets/{finished.id}/suivi"))
    assert "Réalisé" in suivi and "En cours" in suivi

    therese = db.session.scalar(db.select(User).where(User.email == "therese.vidal@demo.convergence.fr"))
    login(client, therese, PASSWORD)
    ballot = client.get(f"/budgets/{voting.id}/bulletin")
    assert ballot.status_code == 200
    text = visible_text(ballot)
    for title, *_rest in demo.PROJECTS_2027:
        assert title in text
