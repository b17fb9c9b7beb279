"""Home page, language switch and health check."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..extensions import db
from ..i18n import LOCALE_SESSION_KEY
from .safe_redirect import safe_next

bp = Blueprint("web", __name__)


@bp.get("/")
def home():
    from ..home import page

    return page()


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
