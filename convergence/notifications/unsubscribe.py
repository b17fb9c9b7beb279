"""The one-click link that stops the mails: a signed token naming the person, without
expiry (an old mail's link must still work), checked without logging in."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..web.links import absolute_url

SALT = "convergence.notifications.unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(user_id: int) -> str:
    return _serializer().dumps({"u": user_id})


def user_id_from(token: str) -> int | None:
    """The person the token was made for, or None for a forged or damaged token."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


def link_for(user_id: int) -> str:
    return absolute_url("notifications.unsubscribe", token=token_for(user_id))
