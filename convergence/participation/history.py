"""Status history: every change of an item's status, from what to what, by whom, when and why."""

from __future__ import annotations

from datetime import datetime

from ..extensions import db
from .models import StatusChange


def record(subject_id: int, from_status: str | None, to_status: str, by=None, reason: str = "",
           at: datetime | None = None) -> StatusChange:
    change = StatusChange(subject_id=subject_id, from_status=from_status, to_status=to_status, reason=reason or "",
                          by_id=getattr(by, "id", None))
    if at is not None:
        change.at = at
    db.session.add(change)
    return change


def of(subject_id: int) -> list[StatusChange]:
    """The subject's history, oldest first, with who made each change (one query)."""
    return list(db.session.scalars(db.select(StatusChange).where(StatusChange.subject_id == subject_id)
                                   .options(db.joinedload(StatusChange.by)).order_by(StatusChange.id)))
