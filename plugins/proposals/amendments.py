"""Amendments: a change to one paragraph or to the whole text, accepted by the authors (a
new version) or rejected with a reason; a rejected amendment may still go to the assembly."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.web.inputs import whole_number

from . import diff, drafting
from .models import (AMENDMENT_ACCEPTED, AMENDMENT_PENDING, AMENDMENT_REJECTED, AMENDMENT_WITHDRAWN, BODY_MAX,
                     DISCUSSION, SUBMITTED, Amendment, Proposal)
from .refusal import Refused

STATE_LABELS = {
    AMENDMENT_PENDING: _l("Awaiting the authors"),
    AMENDMENT_ACCEPTED: _l("Accepted"),
    AMENDMENT_REJECTED: _l("Rejected"),
    AMENDMENT_WITHDRAWN: _l("Withdrawn"),
}


def _open(proposal: Proposal) -> None:
    if proposal.status not in (DISCUSSION, SUBMITTED):
        raise Refused(_("This proposal cannot be amended in its present state (%(status)s).",
                        status=drafting.STATUS_LABELS[proposal.status]), 409)


def propose(proposal: Proposal, user, paragraph, new_text, explanation) -> Amendment:
    _open(proposal)
    new_text = (new_text or "").replace("\r\n", "\n").strip()
    explanation = (explanation or "").strip()
    if len(new_text) > BODY_MAX or len(explanation) > 5000:
        raise Refused(_("The amendment is too long."))
    parts = diff.paragraphs(proposal.body)
    raw = str(paragraph if paragraph is not None else "").strip()
    if raw in ("", "all"):
        index, original = None, proposal.body
        if not new_text:
            raise Refused(_("Write the amended text."))
    else:
        index = whole_number(raw, high=len(parts) - 1)
        if index is None:
            raise Refused(_("This paragraph does not exist in the current version."))
        original = parts[index]
    if new_text == original.strip():
        raise Refused(_("The amendment changes nothing."))
    amendment = Amendment(proposal_id=proposal.id, paragraph=index, base_version=proposal.version,
                          original_text=original, new_text=new_text, explanation=explanation,
                          author_id=user.id)
    db.session.add(amendment)
    return amendment


def amended_body(amendment: Amendment, body: str) -> str:
    """The proposal's current ``body`` with the amendment applied, if it still applies."""
    if amendment.paragraph is None:
        if body != amendment.original_text:
            raise Refused(_("The text has changed since this amendment was written: it no longer applies "
                            "as it is. Its author can propose it again on the current version."), 409)
        return amendment.new_text
    parts = diff.paragraphs(body)
    # The paragraph may have moved: find it by its words, not by its number.
    try:
        index = parts.index(amendment.original_text.strip())
    except ValueError:
        raise Refused(_("The paragraph this amendment changes has been edited since: it no longer applies "
                        "as it is."), 409) from None
    return diff.replace_paragraph(body, index, amendment.new_text)


def _pending(amendment: Amendment) -> None:
    if amendment.state != AMENDMENT_PENDING:
        raise Refused(_("This amendment has already been decided."), 409)


def accept(amendment: Amendment, user) -> None:
    proposal = amendment.proposal
    _open(proposal)
    _pending(amendment)
    body = amended_body(amendment, proposal.body)
    drafting.save_version(proposal, user, proposal.version, proposal.title, body,
                          note=_("Amendment #%(n)d accepted", n=amendment.id), amendment_id=amendment.id)
    decide(amendment, AMENDMENT_ACCEPTED, user)


def reject(amendment: Amendment, user, reason) -> None:
    _open(amendment.proposal)
    _pending(amendment)
    amendment.reason = drafting.clean_reason(reason, required=True,
                                             what=_("Give the reason for rejecting the amendment."))
    decide(amendment, AMENDMENT_REJECTED, user)


def withdraw(amendment: Amendment, user) -> None:
    _pending(amendment)
    decide(amendment, AMENDMENT_WITHDRAWN, user)


def put_to_assembly(amendment: Amendment) -> None:
    """Its author maintains a rejected amendment: the assembly will decide on it."""
    _open(amendment.proposal)
    if amendment.state != AMENDMENT_REJECTED:
        raise Refused(_("Only a rejected amendment can be put to the assembly."), 409)
    if amendment.to_assembly:
        raise Refused(_("This amendment is already put to the assembly."), 409)
    amendment.to_assembly = True


def decide(amendment: Amendment, state: str, user) -> None:
    amendment.state = state
    amendment.decided_by_id = getattr(user, "id", None)
    amendment.decided_at = utcnow()


def for_proposal(proposal: Proposal) -> list[Amendment]:
    return list(db.session.scalars(db.select(Amendment).where(Amendment.proposal_id == proposal.id)
                                   .options(db.joinedload(Amendment.author)).order_by(Amendment.id)))

