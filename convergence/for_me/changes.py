"""What changed since the last visit in the person's communes: entries of each commune's
journal of decisions (one grouped query)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_

from ..extensions import db
from ..models import AuditEntry, Commune, Membership, Space


def journal_counts(user, since: datetime) -> list[tuple[Commune, int]]:
    """(commune, number of journal entries after ``since``) for each commune where the
    person holds a role, directly or in one of its assemblies or circles."""
    mine = db.select(Membership.space_id).where(Membership.user_id == user.id)
    communes = db.select(Space.commune_id).where(Space.id.in_(mine), Space.commune_id.is_not(None))
    rows = db.session.execute(
        db.select(Commune, func.count(AuditEntry.id))
        .join(AuditEntry, AuditEntry.commune_id == Commune.id)
        .where(or_(Commune.id.in_(communes), Commune.space_id.in_(mine)), AuditEntry.created_at > since)
        .group_by(Commune.id).order_by(Commune.name).limit(50)).all()
    return [(commune, count) for commune, count in rows]
