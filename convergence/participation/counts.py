"""Counters are written by UPDATE statements, not through the session: what the session
holds of them is stale afterwards and must be read again."""

from __future__ import annotations

from sqlalchemy.orm.util import identity_key

from ..extensions import db
from .models import Subject


def forget_counts(subject_id: int, *names: str) -> None:
    subject = db.session.identity_map.get(identity_key(Subject, subject_id))
    if subject is not None:
        db.session.expire(subject, list(names) or None)
