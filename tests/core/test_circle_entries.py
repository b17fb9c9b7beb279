"""Entries into and exits from a circle by consent of its members (seeds 001, 002): the
journey through the circle's page, checked in the database and on the pages."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest

from convergence import tasks
from convergence.extensions import db
from convergence.models import AuditEntry, Circle, CircleMembershipEvent, CircleRequest, ConsentAnswer, Membership, PhaseTransition, User
from convergence.models.base import utcnow
from tests.fixtures import browser_fields, login


@dataclass
class Scene:
    circle: Circle
    lead: User
    bob: User
    carol: User
    newcomer: User
    admin: User

    @property
    def page(self) -> str:
        return f"/cercles/{self.circle.id}"


@pytest.fixture
def scene(app, make):
    commune = make.commune("Saint-Consent")
    circle = Circle(commune_id=commune.id, name="Eau", purpose="Veiller sur l'eau de la commune")
    db.session.add(circle)
    db.session.commit()
    lead, bob, carol, newcomer = (make.user("Lucie"), make.user("Bob"), make.user("Carole"), make.user("Nour"))
    admin = make.user("Admin du site", admin=True)
    make.role(lead, "co_lead", circle=circle)
    make.role(bob, "member", circle=circle)
    make.role(carol, "member", circle=circle)
    return Scene(circle, lead, bob, carol, newcomer, admin)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def client_of(app, user):
    client = app.test_client()
    login(client, user)
    return client


def send(client, scene, url, data):
    return client.post(url, data={**browser_fields(client, scene.page), **data})


def ask(client, scene, message="J'habite près de la source et je voudrais aider."):
    return send(client, scene, scene.page + "/demandes/entree", {"message": message})


def answer(client, scene, request_id, value, reason=""):
    return send(client, scene, scene.page + f"/demandes/{request_id}/reponse",
                {f"r{request_id}-answer": value, f"r{request_id}-reason": reason})


def members(scene) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(db.select(Membership.user_id).where(Membership.space_id == scene.circle.space_id)))


def only_request() -> CircleRequest:
    db.session.expire_all()
    return db.session.scalars(db.select(CircleRequest)).one()


def test_a_request_to_join_adopted_by_every_member_makes_a_member(app, scene):
    newcomer = client_of(app, scene.newcomer)
    assert ask(newcomer, scene).status_code == 302
    request = only_request()
    assert (request.request, request.person_id, request.closed_at) == ("join", scene.newcomer.id, None)
    shown = text(newcomer.get(scene.page))
    assert "J'habite près de la source" in shown and "Demande d'entrée" in shown
    assert f'action="/cercles/{scene.circle.id}/demandes/{request.id}/reponse"' not in shown  # not theirs to answer
    for user in (scene.lead, scene.bob):
        assert answer(client_of(app, user), scene, request.id, "consent").status_code == 302
    assert scene.newcomer.id not in members(scene) and only_request().closed_at is None
    # The last answer awaited closes the round, which adopts the entry.
    assert answer(client_of(app, scene.carol), scene, request.id, "stand_aside", "Je connais peu").status_code == 302
    request = only_request()
    assert request.outcome == "adopted" and request.closed_at is not None
    assert db.session.scalar(db.select(Membership.role).where(Membership.space_id == scene.circle.space_id,
                                                               Membership.user_id == scene.newcomer.id)) == "member"
    event = db.session.scalars(db.select(CircleMembershipEvent)).one()
    assert (event.user_id, event.kind, event.round_id) == (scene.newcomer.id, "join", request.id)
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["circle.request_opened", "circle.request_closed", "circle.join"]
    assert db.session.scalars(db.select(AuditEntry.details).where(
        AuditEntry.action == "circle.request_closed")).one()["outcome"] == "adopted"
    page = text(newcomer.get(scene.page))
    assert "Par consentement des membres (tour %d)" % request.id in page
    profile = text(newcomer.get("/compte/profil"))
    assert "Eau" in profile and "Adoptée\u202f: aucune objection ne subsistait" in profile


def test_one_objection_keeps_the_person_out(app, scene):
    assert ask(client_of(app, scene.newcomer), scene).status_code == 302
    request = only_request()
    lead = client_of(app, scene.lead)
    # Without its reason the objection is refused on the same page, the choice kept, nothing stored.
    refused = answer(lead, scene, request.id, "objection", "")
    shown = text(refused)
    assert refused.status_code == 422 and "doit être motivée" in shown
    assert re.search(r'<input checked[^>]*value="objection"', shown)
    assert db.session.scalar(db.select(db.func.count(ConsentAnswer.id))) == 0
    assert answer(lead, scene, request.id, "objection", "Le cercle est complet cette saison").status_code == 302
    for user in (scene.bob, scene.carol):
        assert answer(client_of(app, user), scene, request.id, "consent").status_code == 302
    request = only_request()
    assert request.outcome == "objections"
    assert scene.newcomer.id not in members(scene)
    assert db.session.scalar(db.select(db.func.count(CircleMembershipEvent.id))) == 0
    page = client_of(app, scene.newcomer).get("/compte/profil").text
    assert "Non adoptée" in page


def test_an_exclusion_is_answered_by_everyone_but_the_person_concerned(app, scene):
    lead = client_of(app, scene.lead)
    response = send(lead, scene, scene.page + "/demandes/sortie",
                    {"sortie-person": str(scene.carol.id), "sortie-reason": "Absente depuis un an, sans nouvelles"})
    assert response.status_code == 302
    request = only_request()
    assert (request.request, request.person_id) == ("exclusion", scene.carol.id)
    carol = client_of(app, scene.carol)
    assert answer(carol, scene, request.id, "objection", "Je reviens bientôt").status_code == 403
    assert db.session.scalar(db.select(db.func.count(ConsentAnswer.id))) == 0
    assert answer(lead, scene, request.id, "consent").status_code == 302
    assert scene.carol.id in members(scene)
    assert answer(client_of(app, scene.bob), scene, request.id, "consent").status_code == 302
    assert only_request().outcome == "adopted"
    assert members(scene) == {scene.lead.id, scene.bob.id}
    event = db.session.scalars(db.select(CircleMembershipEvent)).one()
    assert (event.user_id, event.kind, event.round_id) == (scene.carol.id, "leave", request.id)


def test_a_site_administrator_who_is_not_a_member_cannot_answer(app, scene):
    assert ask(client_of(app, scene.newcomer), scene).status_code == 302
    request = only_request()
    admin = client_of(app, scene.admin)
    page = text(admin.get(scene.page))
    assert f"/demandes/{request.id}/reponse" not in page
    assert answer(admin, scene, request.id, "consent").status_code == 403
    assert db.session.scalar(db.select(db.func.count(ConsentAnswer.id))) == 0
    # Nor ask or propose in someone's place: those are a person's own voice too.
    assert "Proposer qu'un membre quitte le cercle" not in page


def test_leaving_by_ones_own_will_needs_no_round(app, scene):
    bob = client_of(app, scene.bob)
    assert send(bob, scene, scene.page + "/quitter", {}).status_code == 302
    assert scene.bob.id not in members(scene)
    assert db.session.scalar(db.select(db.func.count(CircleRequest.id))) == 0
    event = db.session.scalars(db.select(CircleMembershipEvent)).one()
    assert (event.user_id, event.kind, event.round_id, event.decision) == (scene.bob.id, "leave", None, "")
    assert "Départ de son plein gré" in text(bob.get(scene.page))


def test_a_request_sent_twice_opens_one_round_and_a_second_request_is_refused(app, scene):
    newcomer = client_of(app, scene.newcomer)
    data = {**browser_fields(newcomer, scene.page), "message": "Bonjour"}
    assert newcomer.post(scene.page + "/demandes/entree", data=data).status_code == 302
    assert newcomer.post(scene.page + "/demandes/entree", data=data).status_code == 303  # the same form again
    again = ask(newcomer, scene, "Une deuxième fois")
    assert again.status_code == 409 and "déjà ouverte" in text(again)
    assert "Une deuxième fois" in text(again)  # what they typed stays
    assert db.session.scalar(db.select(db.func.count(CircleRequest.id))) == 1


def test_a_circle_without_members_cannot_welcome_by_consent(app, make, scene):
    empty = Circle(commune_id=scene.circle.commune_id, name="Vide", purpose="Rien encore")
    db.session.add(empty)
    db.session.commit()
    newcomer = client_of(app, scene.newcomer)
    page = f"/cercles/{empty.id}"
    response = newcomer.post(page + "/demandes/entree", data={**browser_fields(newcomer, page), "message": "Moi"})
    assert response.status_code == 409 and "aucun membre" in text(response)
    assert db.session.scalar(db.select(db.func.count(CircleRequest.id))) == 0


def test_at_the_deadline_the_round_closes_once_with_the_answers_given(app, scene):
    assert ask(client_of(app, scene.newcomer), scene).status_code == 302
    request = only_request()
    assert answer(client_of(app, scene.bob), scene, request.id, "consent").status_code == 302
    request.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    for _ in range(2):  # a page after the deadline shows it decided by the clock, and writes nothing
        shown = app.test_client().get(scene.page)
        assert shown.status_code == 200 and "aucune objection ne subsistait" in text(shown)
    db.session.expire_all()
    assert only_request().closed_at is None and scene.newcomer.id not in members(scene)
    assert db.session.scalar(db.select(db.func.count(PhaseTransition.id))) == 0
    for _ in range(2):  # the worker's minute sweep closes it, once
        tasks.run_scheduled()
    db.session.expire_all()
    assert only_request().outcome == "adopted" and only_request().closed_at == request.deadline
    assert db.session.scalar(db.select(db.func.count(PhaseTransition.id))) == 1
    assert scene.newcomer.id in members(scene)
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(
        AuditEntry.action == "circle.request_closed")) == 1
    late = answer(client_of(app, scene.carol), scene, request.id, "objection", "Trop tard ?")
    assert late.status_code == 409 and db.session.scalar(db.select(db.func.count(ConsentAnswer.id))) == 1


def test_the_history_keeps_the_decisions_recorded_after_a_meeting(app, scene):
    lead = client_of(app, scene.lead)
    response = send(lead, scene, scene.page + "/decisions",
                    {"email": scene.newcomer.email, "kind": "join", "role": "member", "decided_on": "2026-11-20",
                     "decision": "Réunion du 20 novembre, aucune objection"})
    assert response.status_code == 302
    event = db.session.scalars(db.select(CircleMembershipEvent)).one()
    assert (event.round_id, event.recorded_by_id) == (None, scene.lead.id)
    page = text(lead.get(scene.page))
    assert "Consigné après une réunion\u202f: Réunion du 20 novembre, aucune objection" in page


def test_the_persons_requests_are_in_their_data_and_go_with_their_account(app, scene):
    from convergence.accounts.erasure import erase
    from convergence.models import ConsentRound

    newcomer = client_of(app, scene.newcomer)
    assert ask(newcomer, scene).status_code == 302
    request = only_request()
    assert answer(client_of(app, scene.bob), scene, request.id, "consent").status_code == 302
    data = newcomer.get("/compte/mes-donnees.json").get_json()
    assert [(r["request"], r["outcome"]) for r in data["circle_requests"]] == [("join", None)]
    bob_data = client_of(app, scene.bob).get("/compte/mes-donnees.json").get_json()
    assert [a["answer"] for a in bob_data["circle_consent_answers"]] == ["consent"]
    erase(db.session.get(User, scene.newcomer.id), keep_contributions=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(ConsentRound)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ConsentAnswer)) == 0


def test_past_its_deadline_a_request_reads_decided_by_the_clock_and_a_new_one_may_open(app, scene):
    """Before the worker closes it: the person's profile shows the outcome the answers give
    (not « awaiting answers »), and the request no longer blocks a new one about them."""
    newcomer = client_of(app, scene.newcomer)
    assert ask(newcomer, scene).status_code == 302
    request = only_request()
    assert answer(client_of(app, scene.lead), scene, request.id, "objection", "Pas cette saison").status_code == 302
    before = text(newcomer.get("/compte/profil"))
    assert "en attente des réponses des membres" in before
    request = only_request()
    request.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    profile = text(newcomer.get("/compte/profil"))
    assert "en attente des réponses des membres" not in profile and "Non adoptée" in profile
    assert only_request().closed_at is None  # the page wrote nothing
    again = ask(newcomer, scene, "Je redemande au printemps.")
    assert again.status_code == 302, text(again)[:300]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(CircleRequest.id))) == 2
