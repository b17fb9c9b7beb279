"""The « Données ouvertes » page of a commune, an assembly or a circle.

The kind of space comes from the URL (one route each) and is passed on to the ``exports``
hook with the space, so plug-ins never test an object's class."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from ..loaders import assembly_or_404, circle_or_404, commune_or_404
from ..permissions import require
from . import exports

bp = Blueprint("open_data", __name__)


def _page(kind: str, space, *, name: str, back: str):
    require(f"{kind}.view", space)
    return render_template("open_data/show.html", kind=kind, space=space, name=name, back=back,
                           exports=exports(kind, space))


@bp.get("/communes/<slug>/donnees-ouvertes")
def commune(slug: str):
    space = commune_or_404(slug)
    return _page("commune", space, name=space.name, back=url_for("communes.show", slug=space.slug))


@bp.get("/assemblees/<int:assembly_id>/donnees-ouvertes")
def assembly(assembly_id: int):
    space = assembly_or_404(assembly_id)
    return _page("assembly", space, name=space.title, back=url_for("assemblies.show", assembly_id=space.id))


@bp.get("/cercles/<int:circle_id>/donnees-ouvertes")
def circle(circle_id: int):
    space = circle_or_404(circle_id)
    return _page("circle", space, name=space.name, back=url_for("circles.show", circle_id=space.id))
