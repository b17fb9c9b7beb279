"""Writing a proposal: creation, versions (the core's drafting service, with its conflict
detection, under the proposal's own rules), co-authors and status."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from convergence import audit
from convergence.drafting import versions
from convergence.extensions import db
from convergence.models import Circle, Version
from convergence.models.base import utcnow
from convergence.participation import history
from convergence.refusal import Refused, clean_reason
from convergence.web.inputs import whole_number

from .models import (ADOPTED, AUTHOR_ACTIVE, AUTHOR_INVITED, AUTHOR_REQUESTED, DISCUSSION, DRAFT, FINAL_STATUSES,
                     REJECTED, SUBMITTED, TO_ASSEMBLY, TO_CIRCLE, WITHDRAWN, Author, Proposal, ProposalRound)

STATUS_LABELS = {
    DRAFT: _l("Draft"),
    DISCUSSION: _l("In discussion"),
    SUBMITTED: _l("Submitted"),
    ADOPTED: _l("Adopted"),
    REJECTED: _l("Rejected"),
    WITHDRAWN: _l("Withdrawn"),
}

# Who may move a proposal where: authors move it forward or withdraw it; the assembly
# (its facilitators) records adoption or rejection.
AUTHOR_STEPS = {DRAFT: {DISCUSSION, WITHDRAWN}, DISCUSSION: {SUBMITTED, WITHDRAWN}, SUBMITTED: {WITHDRAWN}}
FACILITATOR_STEPS = {DISCUSSION: {SUBMITTED, ADOPTED, REJECTED}, SUBMITTED: {ADOPTED, REJECTED, DISCUSSION}}


Conflict = versions.Conflict


def empty_body() -> str:
    return _("The text of the proposal is required.")


def circle_of(assembly, raw) -> Circle | None:
    raw = str(raw or "").strip()
    if not raw:
        return None
    number = whole_number(raw)
    circle = db.session.get(Circle, number) if number is not None else None
    if circle is None or circle.commune_id != assembly.commune_id:
        raise Refused(_("Unknown circle."))
    return circle


def create(assembly, user, title, body, circle=None) -> Proposal:
    document = versions.create(user, title, body, empty_body=empty_body())
    proposal = Proposal(assembly_id=assembly.id, circle_id=getattr(circle, "id", None), document=document,
                        status=DRAFT, created_by_id=user.id, created_at=document.created_at,
                        updated_at=document.created_at)
    db.session.add(proposal)
    db.session.flush()
    db.session.add_all([
        Author(proposal_id=proposal.id, user_id=user.id, state=AUTHOR_ACTIVE),
    ])
    history.record(proposal.subject_id, None, DRAFT, user, at=document.created_at)
    return proposal


def save_version(proposal: Proposal, user, base_version, title, body, *, note: str = "",
                 amendment_id: int | None = None) -> Version:
    """Save a new version of the proposal's document on top of ``base_version``
    (:class:`Conflict` if another came first), unless a consent round is open on it."""
    refuse_while_in_round(proposal)
    saved = versions.save(proposal.document, user, base_version, title, body, note=note,
                          amendment_id=amendment_id, empty_body=empty_body())
    proposal.updated_at = saved.created_at
    return saved


def refuse_while_in_round(proposal: Proposal) -> None:
    if db.session.scalar(db.select(ProposalRound.id).where(ProposalRound.proposal_id == proposal.id,
                                                           ProposalRound.closed_at.is_(None))) is not None:
        # The answers given are about this version: it stays until the round closes.
        raise Refused(_("A consent round is open on this version: the text can change once it is closed."), 409)


def version(proposal: Proposal, number) -> Version | None:
    return versions.version(proposal.document, number)


# -- status ---------------------------------------------------------------------------------

def set_status(proposal: Proposal, to: str, user, *, reason: str = "", facilitator: bool,
               submitted_to: str | None = None) -> None:
    allowed = set(AUTHOR_STEPS.get(proposal.status, ()))
    if facilitator:
        allowed |= FACILITATOR_STEPS.get(proposal.status, set())
    if proposal.status in FINAL_STATUSES:
        raise Refused(_("This proposal is closed: its status can no longer change."), 409)
    if to not in allowed:
        raise Refused(_("This change of status is not possible now."), 409)
    required = to in (REJECTED, WITHDRAWN)
    reason = clean_reason(reason, required=required,
                          what=_("Give the reason for rejecting or withdrawing the proposal."))
    if to == SUBMITTED:
        if submitted_to not in (TO_ASSEMBLY, TO_CIRCLE):
            submitted_to = TO_ASSEMBLY
        if submitted_to == TO_CIRCLE and proposal.circle_id is None:
            raise Refused(_("This proposal has no circle to be submitted to."))
        proposal.submitted_to = submitted_to
    record_status(proposal, to, user, reason)


def record_status(proposal: Proposal, to: str, user, reason: str = "") -> None:
    """Change the status and keep the trace; decisions also go to the commune's journal."""
    history.record(proposal.subject_id, proposal.status, to, user, reason)
    proposal.status = to
    proposal.updated_at = utcnow()
    if to in (ADOPTED, REJECTED):
        audit.record(f"proposals.{to}", commune_id=proposal.assembly.commune_id,
                     target=f"proposal:{proposal.id}", title=proposal.title[:120], version=proposal.version,
                     reason=reason[:300])


# -- co-authors -----------------------------------------------------------------------------

def authors(proposal: Proposal) -> list[Author]:
    return list(db.session.scalars(db.select(Author).where(Author.proposal_id == proposal.id)
                                   .options(db.joinedload(Author.user)).order_by(Author.id)))


def _author_row(proposal, user_id) -> Author | None:
    return db.session.scalar(db.select(Author).where(Author.proposal_id == proposal.id,
                                                     Author.user_id == user_id))


def invite(proposal: Proposal, user) -> Author:
    """An author invites someone; they become co-author when they accept."""
    return _come_closer(proposal, user, AUTHOR_INVITED,
                        _("This person is already an author or invited."))


def ask_to_join(proposal: Proposal, user) -> Author:
    return _come_closer(proposal, user, AUTHOR_REQUESTED, _("You have already asked to join this proposal."))


def _come_closer(proposal: Proposal, user, state: str, already: str) -> Author:
    """An invitation or a request (``state``); when it meets the other one, both are
    accepted and the person is a co-author."""
    row = _author_row(proposal, user.id)
    if row is None:
        row = Author(proposal_id=proposal.id, user_id=user.id, state=state)
        db.session.add(row)
        return row
    if {row.state, state} == {AUTHOR_INVITED, AUTHOR_REQUESTED}:
        row.state = AUTHOR_ACTIVE
        return row
    raise Refused(already, 409)


def accept_author(proposal: Proposal, user_id: int, *, by_author: bool) -> Author:
    """An author accepts a request, or the invited person accepts the invitation."""
    row = _author_row(proposal, user_id)
    expected = AUTHOR_REQUESTED if by_author else AUTHOR_INVITED
    if row is None or row.state != expected:
        raise Refused(_("There is no such request or invitation."), 409)
    row.state = AUTHOR_ACTIVE
    return row


def leave_or_decline(proposal: Proposal, user_id: int) -> None:
    """Decline an invitation or a request, or leave the authors (never the last one)."""
    row = _author_row(proposal, user_id)
    if row is None:
        raise Refused(_("There is no such request or invitation."), 409)
    if row.state == AUTHOR_ACTIVE:
        active = db.session.scalar(db.select(db.func.count(Author.id)).where(
            Author.proposal_id == proposal.id, Author.state == AUTHOR_ACTIVE))
        if active <= 1:
            raise Refused(_("A proposal keeps at least one author."), 409)
    db.session.delete(row)
