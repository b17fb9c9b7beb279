"""Live streams of the spaces that have no page of their own to hang one on: a commune's
(its assemblies and circles have theirs: /assemblees/<id>/direct, /cercles/<id>/direct)
and any space by id (kinds that plug-ins register)."""

from __future__ import annotations

from flask import Blueprint, abort

from ..extensions import db
from ..loaders import commune_or_404
from ..models import Space
from ..permissions import require
from .stream import event_stream

bp = Blueprint("live", __name__)


@bp.get("/communes/<slug>/direct")
def commune_stream(slug: str):
    commune = commune_or_404(slug)
    require("commune.view", commune)
    return event_stream(commune)


@bp.get("/espaces/<int:space_id>/direct")
def space_stream(space_id: int):
    space = db.session.get(Space, space_id)
    if space is None:
        abort(404)
    return event_stream(space)
