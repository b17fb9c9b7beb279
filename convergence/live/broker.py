"""Chooses the live backend from the configuration and exposes publish/subscribe.

Each assembly and each thematic circle has its own channel (``assembly:<id>``,
``circle:<id>``); every backend carries any channel name.
"""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy.engine import make_url

from .backends import MemoryBackend, PostgresBackend, RedisBackend


def make_backend(app: Flask, engine):
    choice = app.config.get("LIVE_BACKEND", "auto")
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if choice == "auto":
        if app.config.get("REDIS_URL"):
            choice = "redis"
        elif url.get_backend_name() == "postgresql":
            choice = "postgres"
        else:
            choice = "memory"
    if choice == "redis":
        return RedisBackend(app.config["REDIS_URL"])
    if choice == "postgres":
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresBackend(conninfo, engine)
    if choice == "memory":
        return MemoryBackend()
    raise RuntimeError(f"unknown LIVE_BACKEND {choice!r} (memory, postgres, redis or auto)")


def backend():
    live = current_app.extensions.get("convergence.live")
    if live is None:
        from ..extensions import db

        live = make_backend(current_app, db.engine)
        current_app.extensions["convergence.live"] = live
    return live


def assembly_channel(assembly_id: int) -> str:
    return f"assembly:{assembly_id}"


def circle_channel(circle_id: int) -> str:
    return f"circle:{circle_id}"


def publish(assembly_id: int, event: str, data: dict | None = None) -> None:
    """Send ``event`` to every page listening to the assembly. Call after committing."""
    backend().publish(assembly_channel(assembly_id), event, data or {})


def publish_circle(circle_id: int, event: str, data: dict | None = None) -> None:
    """Send ``event`` to every page listening to the thematic circle. Call after committing."""
    backend().publish(circle_channel(circle_id), event, data or {})


def subscribe(assembly_id: int):
    return backend().subscribe(assembly_channel(assembly_id))


def subscribe_circle(circle_id: int):
    return backend().subscribe(circle_channel(circle_id))
