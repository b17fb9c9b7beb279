"""Logged-in devices with a server-side identity.

A login creates a ``user_sessions`` row and gives the browser its random key; the session
cookie and the remember-me cookie carry that key (``login_manager.id_attribute``), the
table only its digest. Every request reads the person, their roles and the session row in
one query; a revoked or expired row logs nobody in, so logout, a password change or reset
and « déconnecter mes autres appareils » take effect at once on every device and for every
copy of a cookie. "Last seen" is written at most every SESSION_TOUCH_SECONDS, after the
response is ready, never on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask import Flask, current_app, g, request
from flask_login import current_user, login_user, logout_user

from ..extensions import db
from ..models import Membership, Space, User, UserSession, driver
from ..models.base import utcnow
from .devices import device_summary

TOUCH_KEY = "convergence.session_touch"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _expired_before():
    return utcnow() - timedelta(days=current_app.config["SESSION_LIFETIME_DAYS"])


def open_session(user: User, *, remember: bool = False) -> None:
    """Log ``user`` in on this device with a new session of their own."""
    key = secrets.token_urlsafe(32)
    # The person's ended sessions go when a new one starts: the table stays small without a job.
    db.session.execute(db.delete(UserSession).where(
        UserSession.user_id == user.id,
        db.or_(UserSession.revoked_at.is_not(None), UserSession.last_seen_at < _expired_before())))
    row = UserSession(key_digest=_digest(key), user_id=user.id,
                      device=device_summary(request.user_agent.string)[:80])
    db.session.add(row)
    db.session.commit()
    user.session_key, user.session_id = key, row.id
    login_user(user, remember=remember)


def end_session() -> None:
    """Logout: this device's session is revoked, whatever copies of its cookies exist."""
    if current_user.is_authenticated:
        revoke(db.select(UserSession.id).where(UserSession.id == current_user.session_id))
        db.session.commit()
    logout_user()


def revoke_all(user: User, *, keep_current: bool = False) -> None:
    """Revoke every session of ``user`` (except this device's, with ``keep_current``).
    The caller commits, with the change that called for it."""
    ids = db.select(UserSession.id).where(UserSession.user_id == user.id)
    if keep_current and getattr(user, "session_id", None):
        ids = ids.where(UserSession.id != user.session_id)
    revoke(ids)


def revoke(ids) -> None:
    db.session.execute(db.update(UserSession).where(UserSession.id.in_(ids), UserSession.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


def active_sessions(user: User) -> list[UserSession]:
    return db.session.scalars(
        db.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None),
               UserSession.last_seen_at >= _expired_before())
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).all()


# Every request of a logged-in person runs this: the driver reads it and the person is made
# from the row without the ORM's loading (models/driver.py), where both cost more than the
# session check itself.
_PERSON = driver.Shape(User)


@cache
def _person_of_session() -> driver.Statement:
    return driver.Statement.of_select(
        db.select(*_PERSON.columns, UserSession.id, UserSession.last_seen_at,
                  Membership.space_id, Space.kind, Space.commune_id, Membership.role)
        .select_from(User)
        .join(UserSession, UserSession.user_id == User.id)
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(Space, Space.id == Membership.space_id)
        .where(UserSession.key_digest == db.bindparam("digest"), UserSession.revoked_at.is_(None),
               UserSession.last_seen_at >= db.bindparam("since"))
    )


def load_user(key: str):
    """The person whose session has this key, with their roles, in ONE query: nearly every
    page then asks a permission, which finds the roles already loaded
    (permissions._memberships), and the session check costs no round trip of its own."""
    if not key or len(key) > 128:
        return None
    rows = driver.rows(_person_of_session(), {"digest": _digest(key), "since": _expired_before()})
    if not rows:
        return None
    from ..permissions import remember_memberships

    (user,) = _PERSON.objects(rows[0])
    session_id, last_seen = rows[0][_PERSON.width:_PERSON.width + 2]
    user.session_key, user.session_id = key, session_id
    remember_memberships(user.id, [tuple(row[_PERSON.width + 2:]) for row in rows
                                   if row[_PERSON.width + 2] is not None])
    if last_seen < utcnow() - timedelta(seconds=current_app.config["SESSION_TOUCH_SECONDS"]):
        g.setdefault(TOUCH_KEY, session_id)
    return user


def register_session_touch(app: Flask) -> None:
    @app.after_request
    def touch(response):
        session_id = g.pop(TOUCH_KEY, None)
        # Only after a request that went well: a failed one may hold an aborted transaction,
        # and the next request will write it anyway.
        if session_id is not None and response.status_code < 400:
            db.session.execute(db.update(UserSession).where(UserSession.id == session_id)
                               .values(last_seen_at=utcnow()))
            db.session.commit()
        return response
