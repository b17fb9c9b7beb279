"""A refused action on a proposal's page draws that page again (issue 14, item 4): the
message next to the field it is about (or at the top, for a state that changed), what
the person typed kept, a 4xx status, and nothing written."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import Amendment, ConsentAnswer
from convergence.participation.models import Comment, ModerationAction, StatusChange
from plugins.proposals.models import Proposal, ProposalRound

from .conftest import as_user, create, post


def page(proposal) -> str:
    return f"/propositions/{proposal.id}"


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def in_discussion(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room)
    assert post(alice, page(proposal), page(proposal) + "/statut", {"status": "discussion"}).status_code == 302
    return alice, proposal


def with_a_round_open(app, room):
    _alice, proposal = in_discussion(app, room)
    facilitator = as_user(app, room.facilitator)
    post(facilitator, page(proposal), page(proposal) + "/consentement", {"mode": "live"})
    return proposal, db.session.scalar(db.select(ProposalRound))


def next_to(html: str, field_id: str, message: str) -> bool:
    """The field is marked invalid, described by its message, which says ``message``."""
    field = re.search(rf'<(?:input|textarea|select)[^>]*\bid="{field_id}"[^>]*>', html)
    error = re.search(rf'<p class="error" id="{field_id}-error">([^<]*)</p>', html)
    return field is not None and 'aria-invalid="true"' in field.group(0) and \
        f'{field_id}-error' in field.group(0) and error is not None and message in error.group(1)


def is_the_proposal_page(html: str, proposal) -> bool:
    return f"<h1>{proposal.title}</h1>" in html and "<title>Erreur\u202f:" in html


def test_an_objection_without_its_reason_stays_on_the_page_with_the_answer_ticked(app, room):
    proposal, round_ = with_a_round_open(app, room)
    bob = as_user(app, room.bob)
    refused = post(bob, page(proposal), page(proposal) + f"/consentement/{round_.id}/reponse",
                   {"answer": "objection", "reason": "  "})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and is_the_proposal_page(html, proposal)
    assert next_to(html, "round-reason", "Une objection doit être motivée")
    assert re.search(r'<input[^>]*checked[^>]*value="objection"|<input[^>]*value="objection"[^>]*checked', html)
    assert count(ConsentAnswer) == 0


def test_rejecting_an_amendment_without_a_reason_keeps_it_pending(app, room):
    alice, proposal = in_discussion(app, room)
    bob = as_user(app, room.bob)
    amend = page(proposal) + "/amendements/nouveau"
    assert post(bob, amend, amend, {"paragraph": "0", "new_text": "Un autre début.",
                                    "base_version": "1"}).status_code == 302
    amendment = db.session.scalar(db.select(Amendment))
    refused = post(alice, page(proposal), page(proposal) + f"/amendements/{amendment.id}/rejeter", {"reason": ""})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and is_the_proposal_page(html, proposal)
    assert next_to(html, f"reject-{amendment.id}", "Donnez la raison du rejet")
    db.session.expire_all()
    assert db.session.get(Amendment, amendment.id).state == "pending"


def test_a_rejection_or_a_withdrawal_without_its_reason_changes_no_status(app, room):
    alice, proposal = in_discussion(app, room)
    facilitator = as_user(app, room.facilitator)
    before = count(StatusChange)
    refused = post(facilitator, page(proposal), page(proposal) + "/statut", {"status": "rejected", "reason": ""})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and is_the_proposal_page(html, proposal)
    assert next_to(html, "decision-reason", "Donnez la raison")
    assert '<option selected value="rejected">' in html  # the decision chosen stays chosen
    withdrawn = post(alice, page(proposal), page(proposal) + "/statut", {"status": "withdrawn"})
    html = withdrawn.get_data(as_text=True)
    assert withdrawn.status_code == 422 and next_to(html, "withdraw-reason", "Donnez la raison")
    assert "<details open>" in html  # the folded form is shown open, with its message
    assert count(StatusChange) == before
    assert db.session.get(Proposal, proposal.id).status == "discussion"


def test_an_empty_or_too_long_comment_is_refused_on_the_page_and_nothing_is_counted(app, room):
    _alice, proposal = in_discussion(app, room)
    bob = as_user(app, room.bob)
    refused = post(bob, page(proposal), page(proposal) + "/commentaires", {"body": " \r\n "})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and is_the_proposal_page(html, proposal)
    assert next_to(html, "comment-body", "Le commentaire est vide")
    long = "Un avis très développé. " * 250
    refused = post(bob, page(proposal), page(proposal) + "/commentaires", {"body": long})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and next_to(html, "comment-body", "5000")
    assert long.strip() in html  # what was typed, kept in the field
    assert count(Comment) == 0 and db.session.get(Proposal, proposal.id).comments_count == 0


def test_a_replayed_status_change_says_on_the_page_that_it_is_done(app, room):
    _alice, proposal = in_discussion(app, room)
    facilitator = as_user(app, room.facilitator)
    decision = {"status": "adopted", "reason": "Vote à main levée"}
    assert post(facilitator, page(proposal), page(proposal) + "/statut", decision).status_code == 302
    before = count(StatusChange)
    again = post(facilitator, page(proposal), page(proposal) + "/statut", decision)
    html = again.get_data(as_text=True)
    assert again.status_code == 409 and is_the_proposal_page(html, proposal)
    assert "Cette proposition est close" in html and 'class="refusal' in html
    assert count(StatusChange) == before


def test_a_replayed_moderation_says_on_the_page_that_it_is_done(app, room):
    _alice, proposal = in_discussion(app, room)
    bob = as_user(app, room.bob)
    post(bob, page(proposal), page(proposal) + "/commentaires", {"body": "Hors sujet total"})
    comment = db.session.scalar(db.select(Comment))
    facilitator = as_user(app, room.facilitator)
    hide = page(proposal) + f"/commentaires/{comment.id}/moderation"
    assert post(facilitator, page(proposal), hide, {"action": "hide", "reason": "Hors sujet"}).status_code == 302
    again = post(facilitator, page(proposal), hide, {"action": "hide", "reason": "Hors sujet"})
    html = again.get_data(as_text=True)
    assert again.status_code == 409 and is_the_proposal_page(html, proposal)
    assert "déjà masqué" in html
    assert count(ModerationAction) == 1
    # From the moderation page, a hide without its reason stays there, next to the field.
    moderation = f"/assemblees/{room.assembly.id}/propositions/moderation"
    post(bob, page(proposal), page(proposal) + "/commentaires", {"body": "Un autre"})
    other = db.session.scalar(db.select(Comment).where(Comment.id != comment.id))
    post(as_user(app, room.carol), page(proposal), page(proposal) + f"/commentaires/{other.id}/signalement", {})
    refused = post(facilitator, moderation, page(proposal) + f"/commentaires/{other.id}/moderation",
                   {"action": "hide", "reason": "", "next": "moderation"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "<title>Erreur\u202f:" in html
    assert next_to(html, f"hide-{other.id}", "Donnez la raison")
    assert count(ModerationAction) == 1


def test_a_site_administrator_does_not_withdraw_an_amendment_in_its_authors_place(app, room, make):
    _alice, proposal = in_discussion(app, room)
    bob = as_user(app, room.bob)
    amend = page(proposal) + "/amendements/nouveau"
    post(bob, amend, amend, {"paragraph": "0", "new_text": "Un autre début.", "base_version": "1"})
    amendment = db.session.scalar(db.select(Amendment))
    administrator = as_user(app, make.user("Administratrice", admin=True))
    withdraw = page(proposal) + f"/amendements/{amendment.id}/retirer"
    assert post(administrator, page(proposal), withdraw).status_code == 403
    assert post(bob, page(proposal), withdraw).status_code == 302
    db.session.expire_all()
    assert db.session.get(Amendment, amendment.id).state == "withdrawn"


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=st.one_of(st.sampled_from(["consent", "objection", "stand_aside"]), st.text(max_size=12)),
       reason=st.text(max_size=2_100))
def test_any_answer_is_recorded_as_typed_or_refused_with_nothing_written(app, room, answer, reason):
    # The fixtures are built once for all the examples: one round open, Bob answering.
    round_ = db.session.scalar(db.select(ProposalRound))
    if round_ is None:
        _proposal, round_ = with_a_round_open(app, room)
    proposal = db.session.get(Proposal, round_.proposal_id)
    bob = as_user(app, room.bob)

    def bobs():
        db.session.expire_all()
        row = db.session.scalar(db.select(ConsentAnswer).where(ConsentAnswer.user_id == room.bob.id))
        return None if row is None else (row.answer, row.reason)

    before = bobs()
    response = post(bob, page(proposal), page(proposal) + f"/consentement/{round_.id}/reponse",
                    {"answer": answer, "reason": reason})
    assert response.status_code in (302, 400, 422), response.status_code
    if response.status_code == 302:
        assert bobs() == (answer, reason.strip()) and (answer != "objection" or reason.strip())
    else:
        assert bobs() == before
        if response.status_code == 422:  # drawn again: the proposal's page, with what was typed
            assert is_the_proposal_page(response.get_data(as_text=True), proposal)
