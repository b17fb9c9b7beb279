"""Consent rounds on a proposal: the core's rounds (convergence/consent/), about one version
of the proposal, under the proposal's rules.

A round opens on a proposal in discussion (which it submits) or submitted. Objections are
listed for treatment: the proposal is amended and a new round opened, or a facilitator
records how an objection was resolved. A round that closes with answers and no unresolved
objection adopts the proposal. An asynchronous round closes at its deadline in the worker
(the core's timed kind ``consent.round``; :func:`_closed_by_the_clock` is its work here).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from convergence import live
from convergence.consent import rounds as core
from convergence.extensions import db
from convergence.models import ConsentAnswer
from convergence.permissions import can
from convergence.refusal import Refused

from . import drafting
from .models import ADOPTED, DISCUSSION, SUBMITTED, TO_ASSEMBLY, TO_CIRCLE, Proposal, ProposalRound

ANSWER_LABELS, OUTCOME_LABELS = core.ANSWER_LABELS, core.OUTCOME_LABELS
OUTCOME_ADOPTED, OUTCOME_OBJECTIONS, OUTCOME_NO_ANSWER = core.OUTCOME_ADOPTED, core.OUTCOME_OBJECTIONS, \
    core.OUTCOME_NO_ANSWER
is_open, counts, clock_outcome = core.is_open, core.counts, core.clock_outcome

EVENT_OPENED, EVENT_ANSWER, EVENT_CLOSED = "proposals.round.opened", "proposals.round.answer", \
    "proposals.round.closed"
LIVE_EVENTS = [
    (EVENT_OPENED, _l("A consent round opens on a proposal.")),
    (EVENT_ANSWER, _l("Someone answers a consent round (the counts change).")),
    (EVENT_CLOSED, _l("A consent round closes, with its outcome.")),
]


def rounds(proposal: Proposal) -> list[ProposalRound]:
    """All rounds of the proposal with their answers (and who gave them), newest first."""
    return list(db.session.scalars(
        db.select(ProposalRound).where(ProposalRound.proposal_id == proposal.id)
        .options(db.selectinload(ProposalRound.answers).joinedload(ConsentAnswer.user))
        .order_by(ProposalRound.number.desc())).unique())


def open_round(proposal: Proposal, user, mode: str, deadline: datetime | None,
               submitted_to: str | None = None) -> ProposalRound:
    if proposal.status not in (DISCUSSION, SUBMITTED):
        raise Refused(_("A consent round can only be opened on a proposal in discussion or submitted."), 409)
    deadline = core.schedule(mode, deadline)
    last = db.session.execute(
        db.select(ProposalRound).where(ProposalRound.proposal_id == proposal.id)
        .order_by(ProposalRound.number.desc()).limit(1).with_for_update()).scalar()
    if last is not None and last.closed_at is None:
        raise Refused(_("A consent round is already open on this proposal."), 409)
    if proposal.status == DISCUSSION:
        if submitted_to == TO_CIRCLE and proposal.circle_id is None:
            raise Refused(_("This proposal has no circle to be submitted to."))
        proposal.submitted_to = submitted_to if submitted_to in (TO_ASSEMBLY, TO_CIRCLE) else TO_ASSEMBLY
        drafting.record_status(proposal, SUBMITTED, user, _("Consent round opened"))
    round_ = ProposalRound(proposal_id=proposal.id, number=(last.number + 1) if last else 1,
                           version=proposal.version)
    return core.start(round_, user, mode, deadline)


def answer(round_: ProposalRound, user, value: str, reason) -> ConsentAnswer:
    """Who is asked: the proposal's rule (``proposals.answer``, membership only)."""
    proposal = db.session.get(Proposal, round_.proposal_id)
    return core.answer(round_, user, value, reason,
                       asked=lambda person: can("proposals.answer", proposal, user=person),
                       objection_reason=_("An objection needs its reason: say what in the proposal you "
                                          "cannot accept, and why."))


def resolve(answer_row: ConsentAnswer, user, note) -> None:
    """Record how an objection was treated (integrated, withdrawn by its author …)."""
    core.resolve(answer_row, note)


def _apply(round_: ProposalRound, outcome: str, user, proposal: Proposal) -> str:
    if outcome == OUTCOME_ADOPTED and proposal.status in (DISCUSSION, SUBMITTED):
        drafting.record_status(proposal, ADOPTED, user,
                               _("Consent round %(n)d closed with no objection remaining", n=round_.number))
    return outcome


def close(round_: ProposalRound, user, proposal: Proposal) -> str:
    """Close the round now; adopt the proposal if answers came and no objection remains."""
    return _apply(round_, core.close(round_), user, proposal)


def settle(round_: ProposalRound | None) -> bool:
    """Before an action on the round: close it if its deadline has passed (commits and
    announces, as the worker does). True if this call closed it."""
    return core.settle(round_) is not None


def _closed_by_the_clock(round_: ProposalRound, outcome: str) -> None:
    _apply(round_, outcome, None, db.session.get(Proposal, round_.proposal_id))


def _announce_closed(round_: ProposalRound) -> None:
    announce(db.session.get(Proposal, round_.proposal_id), EVENT_CLOSED, round_)


def announce(proposal: Proposal, event: str, round_: ProposalRound) -> None:
    """Tell the pages listening to the assembly (after the commit)."""
    live.publish(proposal.assembly, event, {"proposal_id": proposal.id, "round": round_.number,
                                            "outcome": round_.outcome})


core.on_close(ProposalRound.__mapper__.polymorphic_identity, _closed_by_the_clock, _announce_closed)
