"""The list of a commune's needs with its filters, and what its map draws: the markers,
the outlines of the neighbourhoods under them, and Leaflet's own files."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Response, abort, request, send_from_directory

from convergence.web.errors import abort_with
from convergence.web.handlers import Handler, route

from .. import listing, lists, places
from ..forms import FiltersForm
from .base import CommunePage, bp

LEAFLET_FILES = {"leaflet.js", "leaflet.css"}


class Filtered(CommunePage):
    """A page of the filtered needs (filters in the query string: a GET form)."""

    def filters_form(self) -> FiltersForm:
        if not hasattr(self, "_filters"):
            self._filters = FiltersForm(request.args)
            self._filters.validate()
        return self._filters

    def filters(self) -> dict:
        form = self.filters_form()
        if form.errors:  # data (no page to draw again): the message alone
            abort_with(400, " ".join(str(m) for messages in form.errors.values() for m in messages))
        return form.filters()


@route(bp, "/communes/<slug>/besoins", "index")
class NeedsList(Filtered):
    def get(self):
        # A filter that names nothing: the list again, with the message next to it.
        return self.invalid(400) if self.filters_form().errors else self.render()

    def render(self):
        found = lists.of(self.commune)
        form = self.filters_form().offer(found)
        filters = form.filters()
        shown = listing.page(self.commune, filters, form.number())
        return self.page("needs/index.html", filters=filters, filters_form=form, shown=shown,
                         geo_url=self.to("needs.map_data", **{k: v for k, v in filters.items() if v}),
                         outlines_url=self.to("needs.neighbourhoods_map"))


def _geojson(data: dict) -> Response:
    return Response(json.dumps(data, separators=(",", ":")), mimetype="application/geo+json")


@route(bp, "/communes/<slug>/besoins/carte.geojson", "map_data")
class Markers(Filtered):
    def get(self):
        return _geojson(places.markers(self.commune, self.filters()))


@route(bp, "/communes/<slug>/besoins/quartiers.geojson", "neighbourhoods_map")
class NeighbourhoodOutlines(CommunePage):
    def get(self):
        return _geojson(places.neighbourhoods(self.commune, lists.neighbourhood_names(self.commune)))


@route(bp, "/besoins/leaflet/<path:filename>", "leaflet")
class LeafletFiles(Handler):
    """Leaflet's files, from the xstatic-leaflet package installed with the plug-in (never
    a CDN); they belong to no commune."""

    def load(self, filename):
        self.filename = filename

    def get(self):
        # Only the files the map needs, never the rest of the package.
        name = self.filename
        if name not in LEAFLET_FILES and not (name.startswith("images/") and name.count("/") == 1
                                              and name.endswith(".png")):
            abort(404)
        import xstatic.pkg.leaflet as xl

        return send_from_directory(Path(xl.BASE_DIR), name, max_age=86400)
