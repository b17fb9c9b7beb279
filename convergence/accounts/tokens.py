"""Signed, expiring links mailed to a person: password reset (stops working once the
password changes), address confirmation (once the address is confirmed) and login unlock."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..models import User

SALT = "convergence.password-reset"
CONFIRM_SALT = "convergence.confirm-address"
UNLOCK_SALT = "convergence.login-unlock"
CONFIRM_MAX_AGE = 2 * 24 * 3600
UNLOCK_MAX_AGE = 24 * 3600


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _loads(token: str, salt: str, max_age: int):
    try:
        return _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenExpired() from error
    except BadSignature as error:
        raise TokenInvalid() from error


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _serializer(SALT).dumps({"u": user.id, "p": _fingerprint(user)})


def user_from_reset_token(token: str) -> User:
    data = _loads(token, SALT, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or data.get("p") != _fingerprint(user):
        raise TokenInvalid()
    return user


def make_confirm_token(user: User, next_path: str | None) -> str:
    # The password's fingerprint too: a later registration for the same unconfirmed
    # address (a new password) voids the earlier link.
    return _serializer(CONFIRM_SALT).dumps({"u": user.id, "p": _fingerprint(user), "n": next_path or ""})


def user_from_confirm_token(token: str) -> tuple[User, str]:
    data = _loads(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or user.email_confirmed or data.get("p") != _fingerprint(user):
        raise TokenInvalid()
    return user, data.get("n") or ""


def make_unlock_token(account_digest: str) -> str:
    return _serializer(UNLOCK_SALT).dumps(account_digest)


def account_from_unlock_token(token: str) -> str:
    digest = _loads(token, UNLOCK_SALT, UNLOCK_MAX_AGE)
    if not isinstance(digest, str):
        raise TokenInvalid()
    return digest
