from flask import Blueprint

from ..accounts import erasure_views
from . import controllers

bp = Blueprint("communes", __name__, url_prefix="/communes")

bp.add_url_rule("/", "index", controllers.index)
bp.add_url_rule("/nouvelle", "create", controllers.create, methods=["GET", "POST"])
bp.add_url_rule("/<slug>", "show", controllers.show)
bp.add_url_rule("/<slug>/modifier", "edit", controllers.edit, methods=["GET", "POST"])
bp.add_url_rule("/<slug>/membres", "members", controllers.members)
bp.add_url_rule("/<slug>/membres/roles", "add_role", controllers.add_role, methods=["POST"])
bp.add_url_rule("/<slug>/membres/roles/<int:membership_id>/retirer", "remove_role",
                controllers.remove_role, methods=["POST"])
bp.add_url_rule("/<slug>/membres/<int:user_id>/effacer-le-compte", "erase_member", erasure_views.erase_member,
                methods=["GET", "POST"])
bp.add_url_rule("/<slug>/journal", "journal", controllers.journal)
