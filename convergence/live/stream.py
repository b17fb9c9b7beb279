"""The server-sent-events response of an assembly's or a circle's live channel."""

from __future__ import annotations

import json

from flask import Response, current_app

from ..extensions import db
from .broker import subscribe, subscribe_circle


def format_event(message: dict) -> str:
    return f"event: {message['event']}\ndata: {json.dumps(message['data'])}\n\n"


def event_stream(assembly_id: int) -> Response:
    """The stream of an assembly (``/assemblees/<id>/direct``)."""
    return _stream(lambda: subscribe(assembly_id))


def circle_event_stream(circle_id: int) -> Response:
    """The stream of a thematic circle (``/cercles/<id>/direct``)."""
    return _stream(lambda: subscribe_circle(circle_id))


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
