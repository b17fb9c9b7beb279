from flask import Blueprint

from . import controllers

bp = Blueprint("circles", __name__)

bp.add_url_rule("/communes/<slug>/cercles/nouveau", "create", controllers.create, methods=["GET", "POST"])
bp.add_url_rule("/cercles/<int:circle_id>", "show", controllers.show)
bp.add_url_rule("/cercles/<int:circle_id>/direct", "stream", controllers.stream)
bp.add_url_rule("/cercles/<int:circle_id>/modifier", "edit", controllers.edit, methods=["GET", "POST"])
bp.add_url_rule("/cercles/<int:circle_id>/decisions", "record_decision", controllers.record_decision,
                methods=["POST"])
bp.add_url_rule("/cercles/<int:circle_id>/demandes/entree", "ask_to_join", controllers.ask_to_join, methods=["POST"])
bp.add_url_rule("/cercles/<int:circle_id>/demandes/sortie", "propose_exit", controllers.propose_exit,
                methods=["POST"])
bp.add_url_rule("/cercles/<int:circle_id>/demandes/<int:request_id>/reponse", "answer", controllers.answer,
                methods=["POST"])
bp.add_url_rule("/cercles/<int:circle_id>/quitter", "leave", controllers.leave, methods=["POST"])
