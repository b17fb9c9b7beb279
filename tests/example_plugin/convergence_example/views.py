"""The greetings page of a commune, an assembly or a circle, and its JSON: each handler
loads what the URL names (404, also when switched off), checks access, does the work,
renders."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from convergence.extensions import db
from convergence.permissions import require
from convergence.web import replay
from convergence.web.forms import form_status

from . import greetings
from .forms import GreetingForm
from .places import place_or_404

bp = Blueprint("example", __name__, template_folder="templates")


def _page(kind: str, key):
    place = place_or_404(kind, key)
    form = GreetingForm()
    if form.is_submitted():
        require("example.greet", place)
    if form.validate_on_submit():
        greetings.leave(place, current_user, form.message.data)
        replay.claim(place.url())
        db.session.commit()
        flash(_("Thank you for your greeting."), "success")
        return redirect(place.url())
    return render_template("example/page.html", place=place, form=form,
                           greetings=greetings.of(place)), form_status(form)


def _json(kind: str, key):
    place = place_or_404(kind, key)
    return jsonify([{"message": g.message, "created_at": g.created_at.isoformat()} for g in greetings.of(place)])


@bp.route("/communes/<slug>/exemple", methods=["GET", "POST"])
def commune_page(slug: str):
    return _page("commune", slug)


@bp.route("/assemblees/<int:assembly_id>/exemple", methods=["GET", "POST"])
def assembly_page(assembly_id: int):
    return _page("assembly", assembly_id)


@bp.route("/cercles/<int:circle_id>/exemple", methods=["GET", "POST"])
def circle_page(circle_id: int):
    return _page("circle", circle_id)


@bp.get("/communes/<slug>/exemple.json")
def commune_json(slug: str):
    return _json("commune", slug)


@bp.get("/assemblees/<int:assembly_id>/exemple.json")
def assembly_json(assembly_id: int):
    return _json("assembly", assembly_id)


@bp.get("/cercles/<int:circle_id>/exemple.json")
def circle_json(circle_id: int):
    return _json("circle", circle_id)
