from flask import Blueprint

from . import controllers

bp = Blueprint("assemblies", __name__)

bp.add_url_rule("/communes/<slug>/assemblees/nouvelle", "create", controllers.create, methods=["GET", "POST"])
bp.add_url_rule("/assemblees/<int:assembly_id>", "show", controllers.show)
bp.add_url_rule("/assemblees/<int:assembly_id>/modifier", "edit", controllers.edit, methods=["GET", "POST"])
bp.add_url_rule("/assemblees/<int:assembly_id>/ordre-du-jour", "agenda", controllers.agenda, methods=["GET", "POST"])
bp.add_url_rule("/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>", "edit_item",
                controllers.edit_item, methods=["GET", "POST"])
bp.add_url_rule("/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/<any(up, down):direction>",
                "move_item", controllers.move_item, methods=["POST"])
bp.add_url_rule("/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/supprimer", "delete_item",
                controllers.delete_item, methods=["POST"])
bp.add_url_rule("/assemblees/<int:assembly_id>/en-cours", "set_current", controllers.set_current, methods=["POST"])
bp.add_url_rule("/assemblees/<int:assembly_id>/projection", "projector", controllers.projector)
bp.add_url_rule("/assemblees/<int:assembly_id>/direct", "stream", controllers.stream)
