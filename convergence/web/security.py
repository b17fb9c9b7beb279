"""Security headers on every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask


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

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response
