from flask import Blueprint

from ..web.security import no_store
from . import controllers, erasure_views

bp = Blueprint("accounts", __name__, url_prefix="/compte")

bp.add_url_rule("/inscription", "register", controllers.register, methods=["GET", "POST"])
bp.add_url_rule("/inscription/message-envoye", "registered", controllers.registered)
bp.add_url_rule("/inscription/confirmer/<token>", "confirm", controllers.confirm, methods=["GET", "POST"])
bp.add_url_rule("/connexion", "login", controllers.login, methods=["GET", "POST"])
bp.add_url_rule("/connexion/deblocage/<token>", "unlock", controllers.unlock, methods=["GET", "POST"])
bp.add_url_rule("/deconnexion", "logout", controllers.logout, methods=["POST"])
bp.add_url_rule("/mot-de-passe", "reset_request", controllers.reset_request, methods=["GET", "POST"])
bp.add_url_rule("/mot-de-passe/<token>", "reset_password", no_store(controllers.reset_password), methods=["GET", "POST"])
bp.add_url_rule("/profil", "profile", no_store(controllers.profile), methods=["GET", "POST"])
bp.add_url_rule("/appareils/deconnecter-les-autres", "log_out_other_devices", controllers.log_out_other_devices,
                methods=["POST"])
bp.add_url_rule("/mes-donnees.json", "data_export", no_store(controllers.data_export))
bp.add_url_rule("/supprimer", "erase", no_store(erasure_views.erase_own), methods=["GET", "POST"])
