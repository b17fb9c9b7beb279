"""Home page, language switch, the personal-data page and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..extensions import db
from ..i18n import LOCALE_SESSION_KEY
from ..models import Assembly, Commune
from .handlers import Handler, route
from .safe_redirect import safe_next

bp = Blueprint("web", __name__)


@route(bp, "/", "home")
class Home(Handler):
    def get(self):
        communes = db.session.scalars(db.select(Commune).order_by(Commune.name).limit(50)).all()
        upcoming = db.session.scalars(
            db.select(Assembly)
            .where(Assembly.status != "closed")
            .order_by(Assembly.starts_at)
            .options(db.joinedload(Assembly.commune))
            .limit(20)
        ).all()
        return render_template("home.html", communes=communes, upcoming=upcoming)


@route(bp, "/langue", "set_language", methods=("POST",))
class SetLanguage(Handler):
    def post(self):
        code = request.form.get("lang", "")
        if code in current_app.config["LANGUAGES"]:
            session[LOCALE_SESSION_KEY] = code
            if current_user.is_authenticated:
                current_user.locale = code  # the flow commits
        return redirect(safe_next(request.form.get("next")) or url_for("web.home"))


@route(bp, "/donnees-personnelles", "personal_data")
class PersonalData(Handler):
    def get(self):
        return render_template("personal_data.html")


@route(bp, "/healthz", "health")
class Health(Handler):
    def get(self):
        db.session.execute(db.text("SELECT 1"))
        return {"status": "ok"}
