"""The feasibility study: feasible with a revised cost or not feasible with a public
reason, by the facilitators or a named review circle, refused once the vote has opened;
only feasible projects go to the vote; and the rule of the élu·e·s, budget.decide."""

from __future__ import annotations

from convergence.extensions import db
from convergence.models import AuditEntry
from convergence.participation.models import StatusChange
from convergence.permissions import can
from plugins.budget import projects
from plugins.budget.models import Process, Project
from tests.fixtures import csrf_token, journal_acts, visible_text

from .pb_projects_fixtures import as_user, town  # noqa: F401


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _review(client, process, project, **fields):
    url = f"/budgets/{process.id}/projets/{project.number}"
    return client.post(url + "/etude", data={"csrf_token": csrf_token(client, url), **fields})


def test_a_facilitator_finds_a_project_feasible_at_a_revised_cost(app, town):
    process = town.process("review")
    project = town.project(process, "Une aire de jeux", cost=30_000)
    client = as_user(app, town.facilitator)
    queue = visible_text(client.get(f"/budgets/{process.id}/etude"))
    assert "1 projet à étudier" in queue and "Une aire de jeux" in queue
    response = _review(client, process, project, verdict="feasible", reason="Le terrain est communal.",
                       revised_cost="34 500")
    assert response.status_code == 302
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert (project.status, project.revised_cost, project.cost, project.vote_cost, project.review_reason,
            project.reviewed_by_id) == ("feasible", 34_500, 30_000, 34_500, "Le terrain est communal.",
                                        town.facilitator.id)
    assert [c.to_status for c in db.session.scalars(db.select(StatusChange).order_by(StatusChange.id))] == ["feasible"]
    page = _plain(visible_text(app.test_client().get(f"/budgets/{process.id}/projets/{project.number}")))
    assert "Réalisable Sur le bulletin pour 34 500 €." in page and "Le terrain est communal." in page
    assert "Coût revu par l'étude : 34 500 €" in page
    assert journal_acts(client, town.commune, "budget.review") == [
        f"Facilitatrice a jugé réalisable le projet n° 1 du budget participatif n° {process.id}."]


def test_not_feasible_needs_a_public_reason(app, town):
    process = town.process("review")
    project = town.project(process, "Un téléphérique", cost=9_000_000)
    client = as_user(app, town.facilitator)
    response = _review(client, process, project, verdict="not_feasible", reason="  ", revised_cost="")
    assert response.status_code == 422
    assert "Dites publiquement pourquoi le projet n'est pas réalisable." in visible_text(response)
    db.session.expire_all()
    assert db.session.get(Project, project.id).status == "submitted"
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0
    response = _review(client, process, project, verdict="not_feasible", reason="Hors des compétences de la commune.",
                       revised_cost="5")
    assert response.status_code == 302
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert (project.status, project.review_reason, project.revised_cost) == (
        "not_feasible", "Hors des compétences de la commune.", None)
    text = visible_text(app.test_client().get(f"/budgets/{process.id}/projets/{project.number}"))
    assert "Non réalisable Pas sur le bulletin." in text and "Hors des compétences de la commune." in text
    assert projects.on_ballot(db.session.get(Process, process.id)) == []


def test_bad_revised_costs_and_verdicts_are_refused(app, town):
    process = town.process("review")
    project = town.project(process)
    client = as_user(app, town.facilitator)
    for fields, message in (({"verdict": "feasible", "revised_cost": "-1"}, "Le montant ne peut pas être négatif."),
                            ({"verdict": "feasible", "revised_cost": "cher"}, "Écrivez le montant en euros"),
                            ({"verdict": "maybe"}, "Indiquez si le projet est réalisable.")):
        response = _review(client, process, project, reason="Raison", **fields)
        assert response.status_code == 422, fields
        assert message in visible_text(response), fields
        if "revised_cost" in fields:
            assert f'value="{fields["revised_cost"]}"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.get(Project, project.id).status, db.session.get(Project, project.id).revised_cost) == (
        "submitted", None)


def test_a_review_circle_s_members_review_and_other_residents_do_not(app, town, make):
    circle = town.circle()
    make.role(town.other, "member", circle=circle)
    process = town.process("review", review_circle_id=circle.id)
    project = town.project(process)
    resident = as_user(app, town.resident)
    assert _review(resident, process, project, verdict="feasible").status_code == 403
    assert resident.get(f"/budgets/{process.id}/etude").status_code == 403
    member = as_user(app, town.other)
    assert "Étudier sa faisabilité" in visible_text(member.get(f"/budgets/{process.id}/projets/{project.number}"))
    assert _review(member, process, project, verdict="feasible", reason="", revised_cost="").status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).status == "feasible"
    assert f"le cercle « {circle.name} »" in _plain(visible_text(member.get(f"/budgets/{process.id}")))
    without = town.process("review", title="Sans cercle")
    other_project = town.project(without)
    assert _review(member, without, other_project, verdict="feasible").status_code == 403


def test_the_review_is_refused_once_the_vote_has_opened(app, town):
    process = town.process("vote")
    project = town.project(process, status="submitted")
    client = as_user(app, town.facilitator)
    assert "Le vote est ouvert : l'étude de faisabilité ne peut plus changer." in _plain(
        visible_text(client.get(f"/budgets/{process.id}/projets/{project.number}")))
    response = _review(client, process, project, verdict="feasible", reason="", revised_cost="")
    assert response.status_code == 409
    assert "Le vote est ouvert : l'étude de faisabilité ne peut plus changer. Rien n'a été enregistré." in _plain(
        visible_text(response))
    db.session.expire_all()
    assert db.session.get(Project, project.id).status == "submitted"


def test_a_merged_project_is_not_studied(app, town):
    process = town.process("review")
    kept = town.project(process)
    merged = town.project(process, "Doublon", status="merged", merged_into_id=kept.id)
    response = _review(as_user(app, town.facilitator), process, merged, verdict="feasible", reason="", revised_cost="")
    assert response.status_code == 409 and "Ce projet a été fusionné ou retiré" in visible_text(response)


def test_only_elected_members_of_the_commune_decide(app, town, make):
    process = town.process("counting")
    admin = make.user(admin=True)
    elsewhere = make.commune("Voisine")
    elected_elsewhere = make.user()
    make.role(elected_elsewhere, "elected", commune=elsewhere)
    with app.test_request_context():
        assert can("budget.decide", process, user=town.elected)
        for person in (town.facilitator, town.resident, admin, elected_elsewhere, None):
            assert not can("budget.decide", process, user=person)
        assert can("budget.manage", process, user=town.facilitator) and not can("budget.manage", process,
                                                                                 user=town.elected)
