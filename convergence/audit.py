"""The audit trail of official acts: append-only, written in the same transaction."""

from __future__ import annotations

from flask_login import current_user

from .extensions import db
from .models import AuditEntry

# The journal keeps a short copy of what was acted on (the act itself names its object):
# a longer title is cut here, deliberately, rather than failing the act it records.
TARGET_LENGTH = AuditEntry.__table__.c.target.type.length


def record(action: str, *, commune_id: int | None, target: str = "", **details) -> AuditEntry:
    actor = current_user.id if getattr(current_user, "is_authenticated", False) else None
    if len(target) > TARGET_LENGTH:
        target = target[:TARGET_LENGTH - 1] + "…"
    entry = AuditEntry(actor_id=actor, action=action, commune_id=commune_id, target=target, details=details)
    db.session.add(entry)
    return entry
