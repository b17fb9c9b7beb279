"""Which delegation a person speaks for in a meeting's declaration.

A person takes part in the declaration (tables and supports amendments, votes, signs) for
the one **registered** delegation of the meeting they belong to: as one of its members with
an account, or as the person who registered it. Voting and signing are the **mandated
delegate's**: the head of delegation when the head has an account here, otherwise the
person who registered it (the seed's form has the head register the delegation).
A delegation on the waiting list or cancelled has no voice.
"""

from __future__ import annotations

from convergence.extensions import db

from .models import Delegation, Member, Meeting


def delegation_of(meeting: Meeting | int, user) -> Delegation | None:
    if user is None or getattr(user, "id", None) is None:
        return None
    meeting_id = meeting if isinstance(meeting, int) else meeting.id
    is_member = db.select(Member.id).where(Member.delegation_id == Delegation.id, Member.user_id == user.id).exists()
    return db.session.scalar(
        db.select(Delegation).where(Delegation.meeting_id == meeting_id, Delegation.status == "registered",
                                    (Delegation.registered_by_id == user.id) | is_member)
        .order_by(Delegation.id).limit(1))


def is_mandated(delegation: Delegation, user) -> bool:
    """``user`` holds the delegation's mandate (votes and signs for it)."""
    if user is None or delegation.status != "registered":
        return False
    head = next((m for m in delegation.members if m.is_head), None)
    if head is not None and head.user_id is not None:
        return head.user_id == user.id
    return delegation.registered_by_id == user.id


def mandated_delegation(meeting: Meeting | int, user) -> Delegation | None:
    delegation = delegation_of(meeting, user)
    return delegation if delegation is not None and is_mandated(delegation, user) else None
