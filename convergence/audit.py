"""The audit trail of official acts: append-only, written in the same transaction."""

from __future__ import annotations

from flask_login import current_user

from .extensions import db
from .models import AuditEntry


def record(action: str, *, commune_id: int | None, target: str = "", **details) -> AuditEntry:
    actor = current_user.id if getattr(current_user, "is_authenticated", False) else None
    entry = AuditEntry(actor_id=actor, action=action, commune_id=commune_id, target=target, details=details)
    db.session.add(entry)
    return entry
