"""Security headers on every response, and what no cache may keep."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import Flask, g
from flask.globals import request_ctx

NO_STORE = "private, no-store"


def no_store(view):
    """Mark a view whose page holds a secret (voting codes, a receipt, a person's data, a
    reset token): no browser or proxy cache may keep it, whoever asks and whatever the
    view sets itself. Plug-ins put it on their own views."""

    @functools.wraps(view)
    def marked(*args, **kwargs):
        g.convergence_no_store = True
        return view(*args, **kwargs)

    return marked


def _personal(response) -> bool:
    """Whether the response was built for one person: their account was read (Flask-Login
    keeps the loaded user in ``g``), their session cookie read or changed, or a cookie set.
    Reading these loads nothing: no query is added to the request."""
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return True
    # The context's own attribute: the ``session`` proxy would mark the session accessed.
    session = request_ctx._session
    if session is not None and (session.accessed or session.modified):
        return True
    return "Set-Cookie" in response.headers


def register_security_headers(app: Flask) -> None:
    tile = urlsplit(app.config.get("TILE_URL", ""))
    tile_origin = f"{tile.scheme}://{tile.netloc}" if tile.netloc else ""
    # No inline script or style: every script and sheet is a file served by us.
    policy = "; ".join([
        "default-src 'self'",
        f"img-src 'self' data: {tile_origin}".strip(),
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])

    defaults = (("Content-Security-Policy", policy), ("X-Frame-Options", "DENY"),
                ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
                ("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)"))

    @app.after_request
    def headers(response):
        # The names a view set itself, read once (each Headers lookup scans every header).
        present = {name.lower() for name, _value in response.headers.items()}
        response.headers.extend([(name, value) for name, value in defaults if name.lower() not in present])
        # Safe by default: a page made for one person is never cached, unless its view set
        # its own Cache-Control (static files, public exports); a secret page never is.
        if g.get("convergence_no_store") or ("Cache-Control" not in response.headers and _personal(response)):
            response.headers["Cache-Control"] = NO_STORE
        return response
