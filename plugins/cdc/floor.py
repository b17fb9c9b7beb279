"""Floor votes of the plenary, by delegation: on one amendment, or on the whole text.

Each registered delegation has one public voice (for, against, abstention) weighing its
``vote_weight``. Its mandated delegate casts it from a phone and may change it until the
close; an organiser may record it instead, for a delegation raising its card in the room.
At the close the weights are summed (floor_tally.py): an amendment carried goes into the
text (outcomes.adopt), one not carried is closed rejected; a vote on the whole text
carried adopts the declaration (adoption.py). Nothing here commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from convergence import audit
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.refusal import Refused

from . import adoption, declarations, delegates, floor_tally, outcomes
from .declaration_models import (AMENDING, ANSWER_AGREED, CHOICES, DRAFT, OUTCOME_REJECTED, VOTE_ON_ADOPTION,
                                 VOTE_ON_AMENDMENT, VOTING, Declaration, DeclarationAmendment, FloorVote, Voice)
from .models import Delegation


def votes_of(declaration: Declaration) -> list[FloorVote]:
    return list(db.session.scalars(db.select(FloorVote).where(FloorVote.declaration_id == declaration.id)
                                   .order_by(FloorVote.id)))


def amendments_by_id(declaration: Declaration) -> dict[int, DeclarationAmendment]:
    return {a.id: a for a in db.session.scalars(
        db.select(DeclarationAmendment).where(DeclarationAmendment.declaration_id == declaration.id))}


def votable(declaration: Declaration) -> list[DeclarationAmendment]:
    """The amendments a floor vote may be opened on: still open, not agreed with the
    committee, not in a group of exclusive wordings (those go to a majority judgment),
    and without a vote already."""
    voted = db.select(FloorVote.amendment_id).where(FloorVote.declaration_id == declaration.id,
                                                    FloorVote.amendment_id.is_not(None))
    rows = db.session.scalars(
        db.select(DeclarationAmendment).where(DeclarationAmendment.declaration_id == declaration.id,
                                              DeclarationAmendment.outcome.is_(None),
                                              DeclarationAmendment.exclusive_group.is_(None),
                                              DeclarationAmendment.id.not_in(voted))
        .order_by(DeclarationAmendment.number))
    return [a for a in rows if a.answer != ANSWER_AGREED]


def open_vote(declaration: Declaration, user, amendment: DeclarationAmendment | None = None) -> FloorVote:
    """Open a vote on ``amendment``, or on the whole text when it is None."""
    declarations.require_not_adopted(declaration)
    if declaration.state == DRAFT:
        raise Refused(_("The declaration is still a draft: open it to amendments before voting."), 409)
    if any(v.closed_at is None for v in votes_of(declaration)):
        raise Refused(_("A vote is already open: close it before opening another."), 409)
    if amendment is None:
        vote = FloorVote(declaration_id=declaration.id, subject=VOTE_ON_ADOPTION)
        target = declaration.document.title
    else:
        if amendment.declaration_id != declaration.id:
            raise Refused(_("This amendment is not one of this declaration."), 404)
        if amendment not in votable(declaration):
            raise Refused(_("Amendment A%(n)d cannot be put to a vote: it is decided, agreed with the "
                            "committee, in a group of exclusive wordings, or already voted.", n=amendment.number),
                          409)
        vote = FloorVote(declaration_id=declaration.id, subject=VOTE_ON_AMENDMENT, amendment_id=amendment.id)
        target = f"A{amendment.number}"
    if declaration.state == AMENDING:
        declaration.state = VOTING
    db.session.add(vote)
    db.session.flush()
    audit.record("cdc.floor.opened", commune_id=declaration.meeting.assembly.commune_id, target=target,
                 meeting=declaration.meeting.assembly.title)
    return vote


def require_open(vote: FloorVote) -> None:
    if vote.closed_at is not None:
        raise Refused(_("This vote is closed: its result can no longer change."), 409)


def voter(declaration: Declaration, user) -> Delegation:
    """The delegation ``user`` votes for, or a 403 saying why not."""
    delegation = delegates.mandated_delegation(declaration.meeting_id, user)
    if delegation is None:
        if delegates.delegation_of(declaration.meeting_id, user) is not None:
            raise Refused(_("Only the mandated delegate of your delegation votes for it."), 403)
        raise Refused(_("You vote for no delegation registered to this meeting: only a delegation's mandated "
                        "delegate votes."), 403)
    return delegation


def cast(vote: FloorVote, delegation: Delegation, choice: str, user, *, by_organiser: bool = False) -> Voice:
    """The delegation's voice (a new one replaces the previous one until the close)."""
    require_open(vote)
    if choice not in CHOICES:
        raise Refused(_("Choose for, against or abstention."))
    declaration = db.session.get(Declaration, vote.declaration_id)
    if delegation.meeting_id != declaration.meeting_id or delegation.status != "registered":
        raise Refused(_("This delegation is not registered to this meeting: it has no voice."), 403)
    voice = db.session.get(Voice, (vote.id, delegation.id))
    if voice is None:
        voice = Voice(floor_vote_id=vote.id, delegation_id=delegation.id)
        db.session.add(voice)
    voice.choice = choice
    voice.weight = max(delegation.vote_weight or 1, 1)
    voice.cast_by_id = getattr(user, "id", None)
    voice.by_organiser = by_organiser
    voice.created_at = utcnow()
    db.session.flush()
    return voice


def voices(vote: FloorVote) -> list[Voice]:
    """The public breakdown: every delegation's voice and weight, by delegation name."""
    rows = db.session.scalars(db.select(Voice).where(Voice.floor_vote_id == vote.id)
                              .options(joinedload(Voice.delegation).selectinload(Delegation.members)))
    return sorted(rows, key=lambda v: (v.delegation.name.casefold(), v.delegation_id))


def count(vote: FloorVote) -> floor_tally.Tally:
    return floor_tally.tally((v.choice, v.weight) for v in
                             db.session.scalars(db.select(Voice).where(Voice.floor_vote_id == vote.id)))


def close(vote: FloorVote, user) -> floor_tally.Tally:
    """Sum the weights, write the result, and do what it decides."""
    require_open(vote)
    declaration = db.session.get(Declaration, vote.declaration_id)
    declarations.require_not_adopted(declaration)
    result = count(vote)
    vote.weight_for, vote.weight_against, vote.weight_abstain = (result.weight_for, result.weight_against,
                                                                 result.weight_abstain)
    vote.carried = result.carried
    vote.closed_at = utcnow()
    if vote.subject == VOTE_ON_AMENDMENT:
        amendment = db.session.get(DeclarationAmendment, vote.amendment_id)
        target = f"A{amendment.number}"
        if result.carried:
            outcomes.adopt(amendment, user)
        else:
            outcomes.close(amendment, user, OUTCOME_REJECTED, _("Not carried by the floor vote."))
    else:
        target = declaration.document.title
    db.session.flush()
    audit.record("cdc.floor.closed", commune_id=declaration.meeting.assembly.commune_id, target=target,
                 meeting=declaration.meeting.assembly.title, carried=result.carried, weight_for=result.weight_for,
                 weight_against=result.weight_against, weight_abstain=result.weight_abstain)
    if vote.subject == VOTE_ON_ADOPTION and result.carried:
        adoption.adopt(declaration, user, "vote")
    return result
