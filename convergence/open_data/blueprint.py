"""The « Données ouvertes » page of a commune, an assembly or a circle.

The kind of space comes from the URL (one route each) and is passed on to the ``exports``
hook with the space, so plug-ins never test an object's class."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from ..loaders import assembly_or_404, circle_or_404, commune_or_404
from ..web.handlers import Handler, route
from . import exports

bp = Blueprint("open_data", __name__)


# Per kind: its address, its loader (404), its name, the page it comes back to.
KINDS = {
    "commune": ("/communes/<slug>/donnees-ouvertes", commune_or_404, lambda space: space.name,
                lambda space: url_for("communes.show", slug=space.slug)),
    "assembly": ("/assemblees/<int:assembly_id>/donnees-ouvertes", assembly_or_404, lambda space: space.title,
                 lambda space: url_for("assemblies.show", assembly_id=space.id)),
    "circle": ("/cercles/<int:circle_id>/donnees-ouvertes", circle_or_404, lambda space: space.name,
               lambda space: url_for("circles.show", circle_id=space.id)),
}


class OpenDataPage(Handler):
    """One route per kind (``kind`` is the route's, never read from the object's class)."""

    kind = ""

    @property
    def permission(self):
        return f"{self.kind}.view"

    def load(self, **key):
        return KINDS[self.kind][1](*key.values())

    def get(self):
        _rule, _load, name_of, back_of = KINDS[self.kind]
        return render_template("open_data/show.html", kind=self.kind, space=self.space, name=name_of(self.space),
                               back=back_of(self.space), exports=exports(self.kind, self.space))


for _kind, (_rule, *_rest) in KINDS.items():
    route(bp, _rule, _kind)(type(f"{_kind.title()}OpenData", (OpenDataPage,), {"kind": _kind}))
