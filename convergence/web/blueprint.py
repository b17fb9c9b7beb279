"""Home page, language switch and health check."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..extensions import db
from ..i18n import LOCALE_SESSION_KEY
from ..models import Assembly, Commune
from .safe_redirect import safe_next

bp = Blueprint("web", __name__)


@bp.get("/")
def home():
    communes = db.session.scalars(db.select(Commune).order_by(Commune.name).limit(50)).all()
    upcoming = db.session.scalars(
        db.select(Assembly)
        .where(Assembly.status != "closed")
        .order_by(Assembly.starts_at)
        .options(db.joinedload(Assembly.commune))
        .limit(20)
    ).all()
    return render_template("home.html", communes=communes, upcoming=upcoming)


@bp.post("/langue")
def set_language():
    code = request.form.get("lang", "")
    if code in current_app.config["LANGUAGES"]:
        session[LOCALE_SESSION_KEY] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("web.home"))


@bp.get("/donnees-personnelles")
def personal_data():
    return render_template("personal_data.html")


@bp.get("/healthz")
def health():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
