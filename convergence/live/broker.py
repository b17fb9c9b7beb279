"""Chooses the live backend from the configuration and exposes publish/subscribe.

Each space (commune, assembly, circle, a plug-in's kind) has its own channel,
``space:<space id>``; every backend carries any channel name.
"""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy.engine import make_url

from .backends import MemoryBackend, PostgresBackend, RedisBackend, encode


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


def channel(space) -> str:
    """The channel of a space (a Space, its Commune/Assembly/Circle, or a SpaceRef): one
    naming for every kind, read without a query."""
    from ..spaces import space_ref

    return f"space:{space_ref(space).id}"


def publish(space, event: str, data: dict | None = None) -> None:
    """Send ``event`` to every page listening to ``space``. Call after committing (read
    the space's id, e.g. ``space_ref(obj)``, before the commit expires ``obj``)."""
    backend().publish(channel(space), event, data or {})


def fits(space, event: str, data: dict) -> bool:
    """Whether ``data`` goes out in one event (PostgreSQL's NOTIFY takes 8000 bytes, and
    every backend keeps that limit): a publisher carrying rendered HTML checks first and,
    if not, sends less and lets pages fetch the rest."""
    try:
        encode(channel(space), event, data)
    except ValueError:
        return False
    return True


def subscribe(space):
    return backend().subscribe(channel(space))
