"""Login throttling kept in the database, so it holds across workers and app servers."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app, request

from ..extensions import db
from ..models import LoginAttempt
from ..models.base import utcnow


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _since():
    return utcnow() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])


def is_blocked(email: str) -> bool:
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    since = _since()
    by_account = db.session.scalar(
        db.select(db.func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.email_digest == _digest(email), LoginAttempt.created_at >= since)
    )
    # An address may try several accounts (a shared room network), hence a wider bound.
    by_address = db.session.scalar(
        db.select(db.func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.remote_addr == (request.remote_addr or ""), LoginAttempt.created_at >= since)
    )
    return by_account >= limit or by_address >= limit * 6


def record_failure(email: str) -> None:
    db.session.execute(db.delete(LoginAttempt).where(LoginAttempt.created_at < _since()))
    db.session.add(LoginAttempt(email_digest=_digest(email), remote_addr=request.remote_addr or ""))
    db.session.commit()


def forget_failures(email: str) -> None:
    db.session.execute(db.delete(LoginAttempt).where(LoginAttempt.email_digest == _digest(email)))
