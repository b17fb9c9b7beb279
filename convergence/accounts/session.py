from __future__ import annotations

from ..extensions import db
from ..models import Membership, User


def load_user(user_id: str):
    """The logged-in person, with their roles in the same query: nearly every page then
    asks a permission, which finds the roles already loaded (see permissions._memberships)."""
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        return None
    rows = db.session.execute(
        db.select(User, Membership.commune_id, Membership.assembly_id, Membership.circle_id, Membership.role)
        .outerjoin(Membership, Membership.user_id == User.id)
        .where(User.id == key)
    ).all()
    if not rows:
        return None
    from ..permissions import remember_memberships

    user = rows[0][0]
    remember_memberships(user.id, [tuple(row[1:]) for row in rows if row[4] is not None])
    return user
