"""What the plug-in contributes to the core's hooks."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from convergence.extensions import db
from convergence.web.links import absolute_url

from .models import Category, Comment, Need, Support


def commune_panel(commune):
    # One grouped query: counts by category of the commune's open needs.
    rows = db.session.execute(
        db.select(Category.label, db.func.count(Need.id))
        .join(Need, Need.category_id == Category.id)
        .where(Need.commune_id == commune.id, Need.merged_into_id.is_(None))
        .group_by(Category.label).order_by(db.func.count(Need.id).desc(), Category.label)
    ).all()
    return [Markup(render_template("needs/_panel.html", commune=commune, rows=rows))]


def exports(space, kind):
    if kind != "commune":  # needs belong to a commune
        return []
    return [(_l("Needs (CSV)"), absolute_url("needs.export_csv", slug=space.slug)),
            (_l("Needs map (GeoJSON)"), absolute_url("needs.export_geojson", slug=space.slug))]


def user_data(user):
    needs = db.session.execute(
        db.select(Need.id, Need.commune_id, Need.title, Need.description, Need.show_author, Need.created_at)
        .where(Need.author_id == user.id).order_by(Need.id)).all()
    supports = db.session.scalars(db.select(Support.need_id).where(Support.user_id == user.id)
                                  .order_by(Support.need_id)).all()
    comments = db.session.execute(db.select(Comment.need_id, Comment.body, Comment.created_at)
                                  .where(Comment.user_id == user.id).order_by(Comment.id)).all()
    if not (needs or supports or comments):
        return None  # nothing held about this person: no empty section in the export
    return {
        "needs_reported": [{"id": n.id, "commune_id": n.commune_id, "title": n.title,
                            "description": n.description, "show_author": n.show_author,
                            "created_at": n.created_at.isoformat()} for n in needs],
        "needs_supported": list(supports),
        "needs_comments": [{"need_id": c.need_id, "body": c.body, "created_at": c.created_at.isoformat()}
                           for c in comments],
    }
