"""Amendments to a proposal: the core's drafting amendments, under the proposal's rules — open
while it is in discussion or submitted, decided by its authors (accepted: a new version;
rejected with a reason), and a rejected one may still go to the assembly."""

from __future__ import annotations

from flask_babel import gettext as _

from convergence.drafting import amendments as core
from convergence.extensions import db
from convergence.models import Amendment
from convergence.refusal import Refused, clean_reason

from . import drafting
from .models import DISCUSSION, SUBMITTED, Proposal

STATE_LABELS = core.STATE_LABELS
amended_body, decide = core.amended_body, core.decide


def _open(proposal: Proposal) -> None:
    if proposal.status not in (DISCUSSION, SUBMITTED):
        raise Refused(_("This proposal cannot be amended in its present state (%(status)s).",
                        status=drafting.STATUS_LABELS[proposal.status]), 409)


def proposal_of(amendment: Amendment) -> Proposal | None:
    """The proposal whose text the amendment amends (None for another plug-in's document)."""
    return db.session.scalar(db.select(Proposal).where(Proposal.document_id == amendment.document_id))


def propose(proposal: Proposal, user, paragraph, new_text, explanation) -> Amendment:
    _open(proposal)
    return core.propose(proposal.document, user, paragraph, new_text, explanation)


def take_in(amendment: Amendment, proposal: Proposal, user, note: str) -> None:
    """The version that takes the amendment in, under the proposal's rule (no round open)."""
    drafting.refuse_while_in_round(proposal)
    core.take_in(amendment, proposal.document, user, note, empty_body=drafting.empty_body())
    proposal.updated_at = amendment.decided_at


def accept(amendment: Amendment, user) -> None:
    proposal = proposal_of(amendment)
    _open(proposal)
    drafting.refuse_while_in_round(proposal)
    core.accept(amendment, proposal.document, user, empty_body=drafting.empty_body())
    proposal.updated_at = amendment.decided_at


def reject(amendment: Amendment, user, reason) -> None:
    _open(proposal_of(amendment))
    core.reject(amendment, user, clean_reason(reason, required=True,
                                              what=_("Give the reason for rejecting the amendment.")))


def withdraw(amendment: Amendment, user) -> None:
    core.withdraw(amendment, user)


def put_to_assembly(amendment: Amendment) -> None:
    _open(proposal_of(amendment))
    core.put_to_assembly(amendment)


def for_proposal(proposal: Proposal) -> list[Amendment]:
    return core.of_document(proposal.document_id)
