"""Absolute links (mails, invitations, QR codes) from the configured public address.

Never from the request: its Host header is whatever the client sent, so a reset asked
with ``Host: evil.example`` would mail a link to evil.example. Flask's external URLs are
therefore not used anywhere; every absolute link goes through here.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import current_app


def _adapter():
    app = current_app._get_current_object()
    public = app.config["PUBLIC_URL"]
    cached = app.extensions.get("convergence.public_adapter")
    if cached is None or cached[0] != public:
        base = urlsplit(public)
        adapter = app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
        cached = app.extensions["convergence.public_adapter"] = (public, adapter)
    return cached[1]


def absolute_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` under PUBLIC_URL (full endpoint names only)."""
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    url = _adapter().build(endpoint, values, force_external=True)
    return f"{url}#{quote(anchor)}" if anchor else url
