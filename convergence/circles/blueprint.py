from flask import Blueprint

from . import controllers

bp = Blueprint("circles", __name__)

bp.add_url_rule("/communes/<slug>/cercles/nouveau", "create", controllers.create, methods=["GET", "POST"])
bp.add_url_rule("/cercles/<int:circle_id>", "show", controllers.show)
bp.add_url_rule("/cercles/<int:circle_id>/direct", "stream", controllers.stream)
bp.add_url_rule("/cercles/<int:circle_id>/modifier", "edit", controllers.edit, methods=["GET", "POST"])
bp.add_url_rule("/cercles/<int:circle_id>/decisions", "record_decision", controllers.record_decision,
                methods=["POST"])
