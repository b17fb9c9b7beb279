"""The person's visits to « Pour moi »: what « since your last visit » compares to.

A visit starts when the page is opened more than :data:`VISIT_GAP` after the last time;
the page read again within a visit shows the same changes (reloading does not make them
vanish). This is the one write a GET of this page makes: at most one UPSERT-like row
change per visit, never per request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models.base import utcnow
from ..models.notifications import ForMeVisit

VISIT_GAP = timedelta(minutes=30)


def since_last_visit(user_id: int, now: datetime | None = None) -> datetime | None:
    """The time of the person's previous visit (None: a first visit); records this one."""
    now = now or utcnow()
    visit = db.session.get(ForMeVisit, user_id)
    if visit is None:
        db.session.add(ForMeVisit(user_id=user_id, visit_started_at=now, previous_visit_at=None))
        _commit()
        return None
    if now - visit.visit_started_at >= VISIT_GAP:
        visit.previous_visit_at, visit.visit_started_at = visit.visit_started_at, now
        _commit()
    return visit.previous_visit_at


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:  # the same person's other tab recorded the visit at the same instant
        db.session.rollback()
