"""Reading and setting a person's choice (no row: no mail)."""

from __future__ import annotations

from ..extensions import db
from ..models.base import utcnow
from ..models.notifications import NotificationPreference


def wants_openings(user_id: int) -> bool:
    return bool(db.session.scalar(
        db.select(NotificationPreference.openings).where(NotificationPreference.user_id == user_id)))


def set_openings(user_id: int, wanted: bool) -> None:
    """In the caller's transaction; setting what is already set changes nothing else."""
    row = db.session.get(NotificationPreference, user_id)
    if row is None:
        db.session.add(NotificationPreference(user_id=user_id, openings=wanted))
    elif row.openings != wanted:
        row.openings, row.updated_at = wanted, utcnow()
