"""Arrivals at the door: the QR code of a delegation (everyone in it) or of one member
opens its check-in page on the organisers' phone; pressing « Arrivé·e » records the time
once (pressing again, or two phones at once, changes nothing)."""

from __future__ import annotations

from convergence.extensions import db
from convergence.models.base import utcnow

from .models import Delegation, Member


def find(token: str) -> tuple[Delegation, Member | None] | None:
    member = db.session.scalar(db.select(Member).where(Member.checkin_token == token))
    if member is not None:
        return member.delegation, member
    delegation = db.session.scalar(db.select(Delegation).where(Delegation.checkin_token == token))
    return None if delegation is None else (delegation, None)


def arrive(delegation: Delegation, member: Member | None) -> None:
    now = utcnow()
    # Conditional updates: the first press sets the time, any later one finds it set.
    people = [member.id] if member is not None else [m.id for m in delegation.members]
    db.session.execute(db.update(Member).where(Member.id.in_(people), Member.checked_in_at.is_(None))
                       .values(checked_in_at=now).execution_options(synchronize_session=False))
    db.session.execute(db.update(Delegation).where(Delegation.id == delegation.id,
                                                   Delegation.checked_in_at.is_(None))
                       .values(checked_in_at=now).execution_options(synchronize_session=False))
