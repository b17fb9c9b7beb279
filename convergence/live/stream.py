"""The server-sent-events response of a space's live channel."""

from __future__ import annotations

import json

from flask import Response, current_app

from ..extensions import db
from .broker import subscribe


def format_event(message: dict) -> str:
    return f"event: {message['event']}\ndata: {json.dumps(message['data'])}\n\n"


def event_stream(space) -> Response:
    """The stream of a space (``/assemblees/<id>/direct``, ``/cercles/<id>/direct``,
    ``/communes/<slug>/direct``). ``space``: a Space, its owner or a SpaceRef."""
    from ..spaces import space_ref

    ref = space_ref(space)  # read before the session goes
    return _stream(lambda: subscribe(ref))


def _stream(open_subscription) -> Response:
    heartbeat = current_app.config["LIVE_HEARTBEAT_SECONDS"]
    # A stream lives for minutes: give the database connection back before waiting.
    db.session.remove()
    subscription = open_subscription()

    def generate():
        with subscription:
            yield "retry: 3000\n: connected\n\n"
            while True:
                message = subscription.get(timeout=heartbeat)
                yield format_event(message) if message else ": keep-alive\n\n"

    return Response(
        generate(),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
