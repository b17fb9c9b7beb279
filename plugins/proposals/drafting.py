"""Writing a proposal: creation, versions with conflict detection, co-authors and status."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from convergence import audit
from convergence.extensions import db
from convergence.models import Circle
from convergence.models.base import utcnow
from convergence.participation import history
from convergence.web.inputs import whole_number

from .models import (ADOPTED, AUTHOR_ACTIVE, AUTHOR_INVITED, AUTHOR_REQUESTED, BODY_MAX, DISCUSSION, DRAFT,
                     FINAL_STATUSES, REASON_MAX, REJECTED, SUBMITTED, TITLE_MAX, TO_ASSEMBLY, TO_CIRCLE,
                     WITHDRAWN, Author, ConsentRound, Proposal, Version)
from .refusal import Refused

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


class Conflict(Refused):
    """Someone saved a newer version than the one being edited."""

    def __init__(self, current: Proposal, base: int):
        super().__init__(_("Someone saved a new version (version %(current)d) while you were editing "
                           "version %(base)d. Your text has not been saved: compare the changes below, "
                           "then save again.", current=current.version, base=base), 409)
        self.current = current
        self.base = base


def clean_text(title: str | None, body: str | None) -> tuple[str, str]:
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise Refused(_("The title is required."))
    if len(title) > TITLE_MAX:
        raise Refused(_("The title is longer than %(n)d characters.", n=TITLE_MAX))
    if not body:
        raise Refused(_("The text of the proposal is required."))
    if len(body) > BODY_MAX:
        raise Refused(_("The text is longer than %(n)d characters.", n=BODY_MAX))
    return title, body


def clean_reason(reason: str | None, *, required: bool, what=None) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise Refused(what or _("A reason is required."))
    if len(reason) > REASON_MAX:
        raise Refused(_("The reason is longer than %(n)d characters.", n=REASON_MAX))
    return reason


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
    title, body = clean_text(title, body)
    now = utcnow()
    proposal = Proposal(assembly_id=assembly.id, circle_id=getattr(circle, "id", None), title=title, body=body,
                        status=DRAFT, version=1, created_by_id=user.id, created_at=now, updated_at=now)
    db.session.add(proposal)
    db.session.flush()
    db.session.add_all([
        Author(proposal_id=proposal.id, user_id=user.id, state=AUTHOR_ACTIVE),
        Version(proposal_id=proposal.id, number=1, title=title, body=body, author_id=user.id, created_at=now),
    ])
    history.record(proposal.subject_id, None, DRAFT, user, at=now)
    return proposal


def save_version(proposal: Proposal, user, base_version, title, body, *, note: str = "",
                 amendment_id: int | None = None) -> Version:
    """Save a new version on top of ``base_version``; :class:`Conflict` if another came first.

    The check and the write are one conditional UPDATE, so of two people saving the same
    version at the same instant, on any app server, exactly one succeeds."""
    title, body = clean_text(title, body)
    base = whole_number(base_version)
    if base is None or base > proposal.version or base < 1:
        raise Refused(_("The version you edited is unknown. Reload the page."), 400)
    if base == proposal.version and title == proposal.title and body == proposal.body:
        raise Refused(_("Nothing has changed since the current version."))
    if db.session.scalar(db.select(ConsentRound.id).where(ConsentRound.proposal_id == proposal.id,
                                                          ConsentRound.closed_at.is_(None))) is not None:
        # The answers given are about this version: it stays until the round closes.
        raise Refused(_("A consent round is open on this version: the text can change once it is closed."), 409)
    now = utcnow()
    updated = db.session.execute(
        db.update(Proposal).where(Proposal.id == proposal.id, Proposal.version == base)
        .values(version=base + 1, title=title, body=body, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if updated != 1:
        db.session.rollback()
        db.session.refresh(proposal)
        raise Conflict(proposal, base)
    version = Version(proposal_id=proposal.id, number=base + 1, title=title, body=body, note=note[:300],
                      amendment_id=amendment_id, author_id=getattr(user, "id", None), created_at=now)
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        db.session.refresh(proposal)
        raise Conflict(proposal, base) from None
    db.session.expire(proposal, ["version", "title", "body", "updated_at"])
    return version


def version(proposal: Proposal, number) -> Version | None:
    number = whole_number(number)
    if number is None:
        return None
    return db.session.scalar(db.select(Version).where(Version.proposal_id == proposal.id,
                                                      Version.number == number))


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
