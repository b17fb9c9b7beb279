"""Consent rounds (sociocracy): consent, objection with its reason, or stand-aside.

A round is about one version of the proposal. While it is open, each member gives one
answer and may change it. Objections are listed for treatment: the proposal is amended and
a new round opened, or a facilitator records how an objection was resolved. A round that
closes with answers and no unresolved objection adopts the proposal. An asynchronous round
closes at its deadline: the first request after it closes it (there is no scheduler).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from convergence import live
from convergence.extensions import db
from convergence.models.base import utcnow

from . import drafting
from .models import (ADOPTED, ANSWERS, CONSENT, DISCUSSION, OBJECTION, REASON_MAX, ROUND_ASYNC, ROUND_LIVE,
                     STAND_ASIDE, SUBMITTED, TO_ASSEMBLY, TO_CIRCLE, ConsentAnswer, ConsentRound, Proposal)
from .refusal import Refused

ANSWER_LABELS = {CONSENT: _l("Consent"), OBJECTION: _l("Objection"), STAND_ASIDE: _l("I stand aside")}
OUTCOME_ADOPTED, OUTCOME_OBJECTIONS, OUTCOME_NO_ANSWER = "adopted", "objections", "no_answer"
OUTCOME_LABELS = {
    OUTCOME_ADOPTED: _l("Adopted: no objection remained"),
    OUTCOME_OBJECTIONS: _l("Not adopted: objections remain to be treated"),
    OUTCOME_NO_ANSWER: _l("Closed without any answer"),
}

EVENT_OPENED, EVENT_ANSWER, EVENT_CLOSED = "proposals.round.opened", "proposals.round.answer", \
    "proposals.round.closed"
LIVE_EVENTS = [
    (EVENT_OPENED, _l("A consent round opens on a proposal.")),
    (EVENT_ANSWER, _l("Someone answers a consent round (the counts change).")),
    (EVENT_CLOSED, _l("A consent round closes, with its outcome.")),
]


def rounds(proposal: Proposal) -> list[ConsentRound]:
    """All rounds of the proposal with their answers (and who gave them), newest first."""
    return list(db.session.scalars(
        db.select(ConsentRound).where(ConsentRound.proposal_id == proposal.id)
        .options(db.selectinload(ConsentRound.answers).joinedload(ConsentAnswer.user))
        .order_by(ConsentRound.number.desc())).unique())


def open_round(proposal: Proposal, user, mode: str, deadline: datetime | None,
               submitted_to: str | None = None) -> ConsentRound:
    if proposal.status not in (DISCUSSION, SUBMITTED):
        raise Refused(_("A consent round can only be opened on a proposal in discussion or submitted."), 409)
    if mode not in (ROUND_LIVE, ROUND_ASYNC):
        raise Refused(_("Choose a live round or a round open until a deadline."))
    if mode == ROUND_ASYNC:
        if deadline is None:
            raise Refused(_("A round open until a deadline needs its deadline."))
        if deadline <= utcnow():
            raise Refused(_("The deadline is already past."))
    else:
        deadline = None
    last = db.session.execute(
        db.select(ConsentRound).where(ConsentRound.proposal_id == proposal.id)
        .order_by(ConsentRound.number.desc()).limit(1).with_for_update()).scalar()
    if last is not None and last.closed_at is None:
        raise Refused(_("A consent round is already open on this proposal."), 409)
    if proposal.status == DISCUSSION:
        if submitted_to == TO_CIRCLE and proposal.circle_id is None:
            raise Refused(_("This proposal has no circle to be submitted to."))
        proposal.submitted_to = submitted_to if submitted_to in (TO_ASSEMBLY, TO_CIRCLE) else TO_ASSEMBLY
        drafting.record_status(proposal, SUBMITTED, user, _("Consent round opened"))
    round_ = ConsentRound(proposal_id=proposal.id, number=(last.number + 1) if last else 1,
                          version=proposal.version, mode=mode, deadline=deadline, opened_by_id=user.id)
    db.session.add(round_)
    db.session.flush()
    return round_


def _locked(round_id: int) -> ConsentRound:
    return db.session.execute(db.select(ConsentRound).where(ConsentRound.id == round_id)
                              .with_for_update()).scalar_one()


def is_open(round_: ConsentRound, now=None) -> bool:
    return round_.closed_at is None and (round_.deadline is None or round_.deadline > (now or utcnow()))


def answer(round_: ConsentRound, user, value: str, reason) -> ConsentAnswer:
    if value not in ANSWERS:
        raise Refused(_("Answer consent, objection or stand-aside."))
    reason = (reason or "").strip()
    if value == OBJECTION and not reason:
        raise Refused(_("An objection needs its reason: say what in the proposal you cannot accept, and why."))
    if len(reason) > REASON_MAX:
        raise Refused(_("The reason is longer than %(n)d characters.", n=REASON_MAX))
    round_ = _locked(round_.id)  # serialised with the close: no answer slips in after it
    if not is_open(round_):
        db.session.rollback()
        raise Refused(_("This consent round is closed: answers are no longer taken."), 409)
    row = db.session.scalar(db.select(ConsentAnswer).where(ConsentAnswer.round_id == round_.id,
                                                           ConsentAnswer.user_id == user.id))
    if row is None:
        row = ConsentAnswer(round_id=round_.id, user_id=user.id)
        db.session.add(row)
    row.answer, row.reason, row.updated_at = value, reason, utcnow()
    row.resolved, row.resolution = False, ""
    return row


def resolve(answer_row: ConsentAnswer, user, note) -> None:
    """Record how an objection was treated (integrated, withdrawn by its author …)."""
    round_ = _locked(answer_row.round_id)
    if not is_open(round_):
        db.session.rollback()
        raise Refused(_("This consent round is closed: answers are no longer taken."), 409)
    if answer_row.answer != OBJECTION or answer_row.resolved:
        raise Refused(_("This is not an objection awaiting treatment."), 409)
    answer_row.resolution = drafting.clean_reason(
        note, required=True, what=_("Say how the objection was treated."))
    answer_row.resolved = True


def close(round_: ConsentRound, user, proposal: Proposal) -> str:
    """Close the round now; adopt the proposal if answers came and no objection remains."""
    round_ = _locked(round_.id)
    if round_.closed_at is not None:
        db.session.rollback()
        raise Refused(_("This consent round is already closed."), 409)
    return _close(round_, user, proposal, utcnow())


def _close(round_: ConsentRound, user, proposal: Proposal, at: datetime) -> str:
    answers = db.session.scalars(db.select(ConsentAnswer).where(ConsentAnswer.round_id == round_.id)).all()
    if not answers:
        outcome = OUTCOME_NO_ANSWER
    elif any(a.answer == OBJECTION and not a.resolved for a in answers):
        outcome = OUTCOME_OBJECTIONS
    else:
        outcome = OUTCOME_ADOPTED
    round_.closed_at, round_.outcome = at, outcome
    if outcome == OUTCOME_ADOPTED and proposal.status in (DISCUSSION, SUBMITTED):
        drafting.record_status(proposal, ADOPTED, user,
                               _("Consent round %(n)d closed with no objection remaining", n=round_.number))
    return outcome


def close_if_due(round_: ConsentRound | None, proposal: Proposal) -> bool:
    """Close an asynchronous round whose deadline has passed; True if this call closed it.
    The caller commits, then :func:`announce`s."""
    now = utcnow()
    if round_ is None or round_.closed_at is not None or round_.deadline is None or round_.deadline > now:
        return False
    round_ = _locked(round_.id)
    if round_.closed_at is not None:  # another request closed it first
        return False
    _close(round_, None, proposal, round_.deadline)
    return True


def counts(round_: ConsentRound) -> dict[str, int]:
    result = {value: 0 for value in ANSWERS}
    for row in round_.answers:
        result[row.answer] += 1
    return result


def announce(proposal: Proposal, event: str, round_: ConsentRound) -> None:
    """Tell the pages listening to the assembly (after the commit)."""
    live.publish(proposal.assembly, event, {"proposal_id": proposal.id, "round": round_.number,
                                            "outcome": round_.outcome})
