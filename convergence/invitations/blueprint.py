from flask import Blueprint

from . import controllers

bp = Blueprint("invitations", __name__)

bp.add_url_rule("/invitations/nouvelle", "create", controllers.create, methods=["GET", "POST"])
bp.add_url_rule("/invitations/<int:invitation_id>", "show", controllers.show)
bp.add_url_rule("/invitations/<int:invitation_id>/qr.svg", "qr", controllers.qr)
bp.add_url_rule("/invitations/<int:invitation_id>/retirer", "revoke", controllers.revoke, methods=["POST"])
bp.add_url_rule("/i/<token>", "join", controllers.join, methods=["GET", "POST"])
