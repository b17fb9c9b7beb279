"""Loading the objects named in a URL: 404 when absent, one query each."""

from __future__ import annotations

from flask import abort

from .extensions import db
from .models import Assembly, Circle, Commune


def commune_or_404(slug: str) -> Commune:
    commune = db.session.scalar(db.select(Commune).where(Commune.slug == slug))
    if commune is None:
        abort(404)
    return commune


def assembly_or_404(assembly_id: int) -> Assembly:
    assembly = db.session.scalar(
        db.select(Assembly).where(Assembly.id == assembly_id).options(db.joinedload(Assembly.commune))
    )
    if assembly is None:
        abort(404)
    return assembly


def circle_or_404(circle_id: int) -> Circle:
    circle = db.session.scalar(
        db.select(Circle).where(Circle.id == circle_id).options(db.joinedload(Circle.commune))
    )
    if circle is None:
        abort(404)
    return circle
