"""What the needs map contributes to the core's hooks (convergence/hooks.py)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from convergence.extensions import db
from convergence.models import Commune
from convergence.participation.models import Comment, Support
from convergence.web.links import absolute_url

from . import erasure
from .models import Category, Need


def connect(plugin) -> None:
    plugin.connect_hook("commune-panels", commune_panel)
    plugin.connect_hook("exports", exports)
    plugin.connect_hook("user-data", user_data)
    plugin.connect_hook("subject-label", subject_labels)
    plugin.connect_hook("account-erasure-summary", erasure.summary)
    plugin.connect_hook("account-erasing", erasure.erase)
    from . import open_now  # home page, « Pour moi », mails, one-tap actions, demo

    open_now.connect(plugin)


def commune_panel(commune):
    # One grouped query: counts by category of the commune's open needs.
    rows = db.session.execute(
        db.select(Category.label, db.func.count(Need.id))
        .join(Need, Need.category_id == Category.id)
        .where(Need.commune_id == commune.id, Need.merged_into_id.is_(None))
        .group_by(Category.label).order_by(db.func.count(Need.id).desc(), Category.label)
    ).all()
    return [Markup(render_template("needs/_panel.html", commune=commune, rows=rows))]


def exports(target, kind):
    if kind != "commune":  # needs belong to a commune
        return []
    return [(_l("Needs (CSV)"), absolute_url("needs.export_csv", slug=target.slug)),
            (_l("Needs map (GeoJSON)"), absolute_url("needs.export_geojson", slug=target.slug))]


def user_data(user):
    needs = db.session.execute(
        db.select(Need.id, Need.commune_id, Need.title, Need.description, Need.show_author, Need.created_at)
        .where(Need.author_id == user.id).order_by(Need.id)).all()
    supports = db.session.scalars(db.select(Need.id).join(Support, Support.subject_id == Need.subject_id)
                                  .where(Support.user_id == user.id).order_by(Need.id)).all()
    comments = db.session.execute(db.select(Need.id, Comment.body, Comment.created_at)
                                  .join(Comment, Comment.subject_id == Need.subject_id)
                                  .where(Comment.author_id == user.id).order_by(Comment.id)).all()
    if not (needs or supports or comments):
        return None  # nothing held about this person: no empty section in the export
    return {
        "needs_reported": [{"id": n.id, "commune_id": n.commune_id, "title": n.title,
                            "description": n.description, "show_author": n.show_author,
                            "created_at": n.created_at.isoformat()} for n in needs],
        "needs_supported": list(supports),
        "needs_comments": [{"need_id": c.id, "body": c.body, "created_at": c.created_at.isoformat()}
                           for c in comments],
    }


def subject_labels(subject_ids):
    """Hook ``subject-label``: « #12 Title » and the page of each need, in one query."""
    rows = db.session.execute(db.select(Need.subject_id, Need.id, Need.title, Commune.slug)
                              .join(Commune, Commune.id == Need.commune_id)
                              .where(Need.subject_id.in_(subject_ids))).all()
    return {subject_id: (f"#{need_id} {title}", url_for("needs.show", slug=slug, need_id=need_id))
            for subject_id, need_id, title, slug in rows}
