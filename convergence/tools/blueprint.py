from flask import Blueprint

from ..extensions import db
from ..loaders import assembly_or_404, circle_or_404, commune_or_404
from ..models import Space
from . import controllers

bp = Blueprint("tools", __name__)


def _space_or_404(space_id: int):
    from flask import abort

    space = db.session.get(Space, space_id)
    if space is None:
        abort(404)
    return space


bp.add_url_rule("/communes/<slug>/outils", "commune",
                lambda slug: controllers.page(commune_or_404(slug)), methods=["GET", "POST"])
bp.add_url_rule("/assemblees/<int:assembly_id>/outils", "assembly",
                lambda assembly_id: controllers.page(assembly_or_404(assembly_id)), methods=["GET", "POST"])
bp.add_url_rule("/cercles/<int:circle_id>/outils", "circle",
                lambda circle_id: controllers.page(circle_or_404(circle_id)), methods=["GET", "POST"])
# Kinds that plug-ins register have no address of their own here.
bp.add_url_rule("/espaces/<int:space_id>/outils", "space",
                lambda space_id: controllers.page(_space_or_404(space_id)), methods=["GET", "POST"])
