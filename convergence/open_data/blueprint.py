"""The « Données ouvertes » page of a commune, an assembly or a circle.

The kind of space comes from the URL (one route each) and is passed on to the ``exports``
hook with the space, so plug-ins never test an object's class."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from ..loaders import assembly_or_404, circle_or_404, commune_or_404
from ..web.handlers import Handler, route
from . import exports

bp = Blueprint("open_data", __name__)


class OpenDataPage(Handler):
    kind = ""

    @property
    def permission(self):
        return f"{self.kind}.view"

    def get(self):
        return render_template("open_data/show.html", kind=self.kind, space=self.space, name=self.name(),
                               back=self.back(), exports=exports(self.kind, self.space))


@route(bp, "/communes/<slug>/donnees-ouvertes", "commune")
class CommuneOpenData(OpenDataPage):
    kind = "commune"

    def load(self, slug: str):
        return commune_or_404(slug)

    def name(self):
        return self.space.name

    def back(self):
        return url_for("communes.show", slug=self.space.slug)


@route(bp, "/assemblees/<int:assembly_id>/donnees-ouvertes", "assembly")
class AssemblyOpenData(OpenDataPage):
    kind = "assembly"

    def load(self, assembly_id: int):
        return assembly_or_404(assembly_id)

    def name(self):
        return self.space.title

    def back(self):
        return url_for("assemblies.show", assembly_id=self.space.id)


@route(bp, "/cercles/<int:circle_id>/donnees-ouvertes", "circle")
class CircleOpenData(OpenDataPage):
    kind = "circle"

    def load(self, circle_id: int):
        return circle_or_404(circle_id)

    def name(self):
        return self.space.name

    def back(self):
        return url_for("circles.show", circle_id=self.space.id)
