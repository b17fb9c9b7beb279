"""The signed-cookie session, with its serializer built once per key rather than twice
per request (Flask builds a new one, and derives its keys, for every load and save)."""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class CookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers: dict[tuple, object] = {}

    def get_signing_serializer(self, app: Flask):
        if not app.secret_key:
            return None
        # Keyed by the keys themselves: a changed SECRET_KEY (or its fallbacks) is honoured.
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            if len(self._serializers) > 8:
                self._serializers.clear()
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer


def register_session_interface(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()
