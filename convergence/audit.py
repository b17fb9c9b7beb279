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



# Acts whose entry names a person: role.* in ``target``, circle.* in ``person``; with the
# account's ``person_id`` since it was recorded, by name alone in older entries.
PERSON_ACTIONS = ("role.given", "role.withdrawn", "circle.join", "circle.leave", "circle.request_opened",
                  "circle.request_closed")


def forget_person(user, replacement: str) -> int:
    """Put ``replacement`` in place of the person's name in the journal entries naming them
    (the act stays); returns how many changed. Entries are never edited otherwise."""
    changed = 0
    for entry in db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.in_(PERSON_ACTIONS))):
        details = dict(entry.details or {})
        field = "person" if entry.action.startswith("circle.") else "target"
        named = details.get("person") if field == "person" else entry.target
        if details.get("person_id", user.id if named == user.display_name else None) != user.id:
            continue
        details.pop("person_id", None)
        if field == "person":
            details["person"] = replacement
        else:
            entry.target = replacement
        entry.details = details
        changed += 1
    return changed
