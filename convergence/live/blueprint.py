"""Live streams of the spaces that have no page of their own to hang one on: a commune's
(its assemblies and circles have theirs: /assemblees/<id>/direct, /cercles/<id>/direct)
and any space by id (kinds that plug-ins register)."""

from __future__ import annotations

from flask import Blueprint, abort

from ..extensions import db
from ..loaders import commune_or_404
from ..models import Space
from ..web.handlers import Handler, route
from .stream import event_stream

bp = Blueprint("live", __name__)


class Stream(Handler):
    """A space's server-sent events."""

    def get(self):
        return event_stream(self.space)


@route(bp, "/communes/<slug>/direct", "commune_stream")
class CommuneStream(Stream):
    permission = "commune.view"

    def load(self, slug: str):
        return commune_or_404(slug)


@route(bp, "/espaces/<int:space_id>/direct", "space_stream")
class SpaceStream(Stream):
    def load(self, space_id: int):
        space = db.session.get(Space, space_id)
        if space is None:
            abort(404)
        return space
