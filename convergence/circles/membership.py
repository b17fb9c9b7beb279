"""Writing a circle's memberships: the one place that adds or removes a person's roles in a
circle (entries and exits by consent, departures, decisions recorded after a meeting), so
that how memberships are stored is known here only."""

from __future__ import annotations

from ..extensions import db
from ..models import Circle, Membership
from ..permissions import clear_cache


def role_of(circle: Circle, user_id: int, role: str) -> Membership | None:
    return db.session.scalar(db.select(Membership).where(
        Membership.space_id == circle.space_id, Membership.user_id == user_id, Membership.role == role))


def is_member(circle: Circle, user_id: int) -> bool:
    return db.session.scalar(db.select(Membership.id).where(
        Membership.space_id == circle.space_id, Membership.user_id == user_id).limit(1)) is not None


def member_ids(circle: Circle) -> set[int]:
    """Everyone holding a role in the circle (co-lead, facilitator, guarantor or member)."""
    return set(db.session.scalars(db.select(Membership.user_id).where(Membership.space_id == circle.space_id)))


def members(circle: Circle) -> list[Membership]:
    return list(db.session.scalars(
        db.select(Membership).where(Membership.space_id == circle.space_id)
        .options(db.joinedload(Membership.user)).order_by(Membership.role, Membership.id)))


def add(circle: Circle, user_id: int, role: str = "member") -> Membership:
    membership = Membership(user_id=user_id, space_id=circle.space_id, role=role)
    db.session.add(membership)
    clear_cache()
    return membership


def remove(circle: Circle, user_id: int, role: str | None = None) -> list[str]:
    """Remove the person's role ``role`` in the circle, or all of them; the roles removed."""
    query = db.select(Membership).where(Membership.space_id == circle.space_id, Membership.user_id == user_id)
    if role is not None:
        query = query.where(Membership.role == role)
    removed = list(db.session.scalars(query))
    for membership in removed:
        db.session.delete(membership)
    clear_cache()
    return [m.role for m in removed]
