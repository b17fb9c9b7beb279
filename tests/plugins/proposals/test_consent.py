"""Consent rounds: answers, objections with reasons, treatment, close, adoption, deadlines."""

from __future__ import annotations

from datetime import timedelta

from convergence import tasks
from convergence.extensions import db
from convergence.models import AuditEntry, PhaseTransition
from convergence.models.base import utcnow
from convergence.models import ConsentAnswer
from plugins.proposals.models import Proposal
from plugins.proposals.models import ProposalRound as ConsentRound

from .conftest import as_user, create, post


def page(proposal) -> str:
    return f"/propositions/{proposal.id}"


def reload(proposal) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, proposal.id)


def ready(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room)
    post(alice, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    return alice, as_user(app, room.facilitator), reload(proposal)


def open_round(client, proposal, **data):
    return post(client, page(proposal), page(proposal) + "/consentement", {"mode": "live", **data})


def answer(client, proposal, round_id, value, reason=""):
    return post(client, page(proposal), page(proposal) + f"/consentement/{round_id}/reponse",
                {"answer": value, "reason": reason})


def close(client, proposal, round_id):
    return post(client, page(proposal), page(proposal) + f"/consentement/{round_id}/cloture")


def test_an_objection_then_a_second_round_adopts_the_proposal(app, room):
    alice, facilitator, proposal = ready(app, room)
    assert open_round(facilitator, proposal).status_code == 302
    first = db.session.scalar(db.select(ConsentRound))
    assert (first.number, first.version, first.mode) == (1, 1, "live")
    assert reload(proposal).status == "submitted"
    bob, carol = as_user(app, room.bob), as_user(app, room.carol)
    # An objection without a reason is refused, nothing stored.
    refused = answer(bob, proposal, first.id, "objection")
    assert refused.status_code == 422 and "doit être motivée" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ConsentAnswer.id))) == 0
    assert answer(bob, proposal, first.id, "objection", "Le samedi ne convient pas aux familles").status_code == 302
    assert answer(carol, proposal, first.id, "consent").status_code == 302
    assert answer(alice, proposal, first.id, "stand_aside").status_code == 302
    shown = alice.get(page(proposal)).get_data(as_text=True)
    assert "Le samedi ne convient pas aux familles" in shown and "à traiter" in shown
    assert close(facilitator, proposal, first.id).status_code == 302
    db.session.refresh(first)
    assert first.outcome == "objections" and reload(proposal).status == "submitted"
    # Answering a closed round is refused.
    late = answer(carol, proposal, first.id, "objection", "Trop tard")
    assert late.status_code == 409 and "clos" in late.get_data(as_text=True)
    # The text is amended (by its author, through the facilitators' return to discussion) and a second round opens.
    post(facilitator, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    edit = page(proposal) + "/modifier"
    post(alice, edit, edit, {"title": proposal.title, "body": "Ouvert le dimanche.", "base_version": "1"})
    assert open_round(facilitator, proposal).status_code == 302
    second = db.session.scalar(db.select(ConsentRound).where(ConsentRound.number == 2))
    assert second.version == 2
    for client in (alice, bob, carol):
        assert answer(client, proposal, second.id, "consent").status_code == 302
    assert close(facilitator, proposal, second.id).status_code == 302
    proposal = reload(proposal)
    assert proposal.status == "adopted"
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "proposals.adopted")) is not None
    # Both rounds and every answer are kept and shown.
    shown = alice.get(page(proposal)).get_data(as_text=True)
    assert "Tour 1" in shown and "Tour 2" in shown and "Le samedi ne convient pas aux familles" in shown
    assert "Adoptée\u202f: aucune objection ne subsistait" in shown


def test_a_treated_objection_no_longer_blocks(app, room):
    _alice, facilitator, proposal = ready(app, room)
    open_round(facilitator, proposal)
    round_ = db.session.scalar(db.select(ConsentRound))
    bob = as_user(app, room.bob)
    answer(bob, proposal, round_.id, "objection", "Il manque le budget")
    row = db.session.scalar(db.select(ConsentAnswer))
    url = page(proposal) + f"/consentement/{round_.id}/objections/{row.id}"
    carol = as_user(app, room.carol)
    assert post(carol, page(proposal), url, {"resolution": "Je décide"}).status_code == 403
    assert post(facilitator, page(proposal), url, {"resolution": ""}).status_code == 422
    assert post(facilitator, page(proposal), url, {"resolution": "Budget ajouté en annexe"}).status_code == 302
    close(facilitator, proposal, round_.id)
    assert reload(proposal).status == "adopted"


def test_one_answer_per_person_that_may_change_until_the_close(app, room):
    _alice, facilitator, proposal = ready(app, room)
    open_round(facilitator, proposal)
    round_ = db.session.scalar(db.select(ConsentRound))
    bob = as_user(app, room.bob)
    answer(bob, proposal, round_.id, "objection", "Pas d'accord")
    answer(bob, proposal, round_.id, "consent")
    rows = db.session.scalars(db.select(ConsentAnswer)).all()
    assert [(r.user_id, r.answer, r.reason) for r in rows] == [(room.bob.id, "consent", "")]


def test_rounds_are_run_by_facilitators_and_answered_by_participants(app, room):
    alice, facilitator, proposal = ready(app, room)
    assert open_round(alice, proposal).status_code == 403
    open_round(facilitator, proposal)
    twice = open_round(facilitator, proposal)
    assert twice.status_code == 409
    round_ = db.session.scalar(db.select(ConsentRound))
    outsider = as_user(app, room.outsider)
    assert answer(outsider, proposal, round_.id, "consent").status_code == 403
    assert answer(alice, proposal, round_.id, "maybe").status_code == 422
    assert close(alice, proposal, round_.id).status_code == 403
    # A round without any answer adopts nothing.
    empty = close(facilitator, proposal, round_.id)
    assert empty.status_code == 302
    db.session.refresh(round_)
    assert round_.outcome == "no_answer" and reload(proposal).status == "submitted"
    assert close(facilitator, proposal, round_.id).status_code == 409


def test_a_proposal_submitted_to_its_circle_is_answered_by_the_circle(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room, circle_id=str(room.circle.id))
    post(alice, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    facilitator = as_user(app, room.facilitator)
    assert open_round(facilitator, proposal, submitted_to="circle").status_code == 302
    assert reload(proposal).submitted_to == "circle"
    round_ = db.session.scalar(db.select(ConsentRound))
    bob, carol = as_user(app, room.bob), as_user(app, room.carol)
    assert answer(bob, proposal, round_.id, "consent").status_code == 403  # not in the circle
    assert answer(carol, proposal, round_.id, "consent").status_code == 302


def test_an_asynchronous_round_closes_itself_at_its_deadline(app, room):
    _alice, facilitator, proposal = ready(app, room)
    past = open_round(facilitator, proposal, mode="async", deadline="2001-01-01T10:00")
    assert past.status_code == 422
    assert open_round(facilitator, proposal, mode="async", deadline="demain").status_code == 422
    assert open_round(facilitator, proposal, mode="async").status_code == 422
    assert open_round(facilitator, proposal, mode="async", deadline="2999-01-01T10:00").status_code == 302
    round_ = db.session.scalar(db.select(ConsentRound))
    carol = as_user(app, room.carol)
    answer(carol, proposal, round_.id, "consent")
    # The deadline passes; the next visit closes it with its outcome.
    round_.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert answer(carol, proposal, round_.id, "stand_aside").status_code == 409
    assert carol.get(page(proposal)).status_code == 200
    db.session.expire_all()
    round_ = db.session.get(ConsentRound, round_.id)
    assert round_.outcome == "adopted" and round_.closed_at == round_.deadline
    assert reload(proposal).status == "adopted"


def test_past_its_deadline_a_page_shows_the_round_closed_and_the_worker_closes_it_once(app, room):
    _alice, facilitator, proposal = ready(app, room)
    assert open_round(facilitator, proposal, mode="async", deadline="2999-01-01T10:00").status_code == 302
    round_ = db.session.scalar(db.select(ConsentRound))
    carol = as_user(app, room.carol)
    answer(carol, proposal, round_.id, "consent")
    round_.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    for _ in range(2):  # the state comes from the clock: shown closed, nothing written
        shown = carol.get(page(proposal))
        assert shown.status_code == 200 and "aucune objection ne subsistait" in shown.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ConsentRound, round_.id).closed_at is None and reload(proposal).status == "submitted"
    assert db.session.scalar(db.select(db.func.count(PhaseTransition.id))) == 0
    for _ in range(2):  # the worker's sweep closes it, once
        tasks.run_scheduled()
    db.session.expire_all()
    round_ = db.session.get(ConsentRound, round_.id)
    assert round_.outcome == "adopted" and round_.closed_at == round_.deadline
    assert reload(proposal).status == "adopted"
    assert db.session.scalar(db.select(db.func.count(PhaseTransition.id)).where(
        PhaseTransition.kind == "consent.round")) == 1


def test_the_text_stays_during_a_round_and_is_reworked_after_it(app, room):
    alice, facilitator, proposal = ready(app, room)
    open_round(facilitator, proposal)
    round_ = db.session.scalar(db.select(ConsentRound))
    edit = page(proposal) + "/modifier"
    during = post(alice, edit, edit, {"title": proposal.title, "body": "Changé pendant le tour", "base_version": "1"})
    assert during.status_code == 409 and "tour de consentement est ouvert" in during.get_data(as_text=True)
    answer(as_user(app, room.bob), proposal, round_.id, "objection", "Trop vague")
    close(facilitator, proposal, round_.id)
    after = post(alice, edit, edit, {"title": proposal.title, "body": "Plus précis", "base_version": "1"})
    assert after.status_code == 302
    proposal = reload(proposal)
    assert (proposal.status, proposal.version, proposal.body) == ("submitted", 2, "Plus précis")
