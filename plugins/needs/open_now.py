"""needs' share of « Pour moi » (hook ``person-items``: the needs a person reported, one
query) and the one-tap « Signaler un besoin » of the commune and assembly pages (hook
``space-actions``)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from convergence.extensions import db
from convergence.models import Commune
from convergence.open_now import OpenItem, switched_on

from .models import Need


def person_items(user, limit):
    from .models import STATUS_LABELS

    rows = db.session.execute(
        db.select(Need.id, Need.title, Need.status, Need.created_at, Commune.slug, Commune.name)
        .join(Commune, Commune.id == Need.commune_id)
        .where(Need.author_id == user.id, Need.merged_into_id.is_(None), switched_on(Commune.space_id, "needs"))
        .order_by(Need.created_at.desc()).limit(limit)).all()
    return [OpenItem(kind=_("Need"), title=title, url=url_for("needs.show", slug=slug, need_id=need_id),
                     where=commune_name, status=str(STATUS_LABELS.get(status, status)), changed_at=created_at)
            for need_id, title, status, created_at, slug, commune_name in rows]


def space_actions(space, user):
    """« Signaler un besoin » in the commune (the assembly page asks its commune too)."""
    if space.kind != "commune":
        return []
    return [(_("Report a need"), url_for("needs.report", slug=space.owner.slug))]


def connect(plugin) -> None:
    """Called from the plug-in's ``init()``: this module's hooks, and the demo's needs."""
    from . import demo

    plugin.connect_hook("person-items", person_items)
    plugin.connect_hook("space-actions", space_actions)
    plugin.connect_hook("demo-commune-content", demo.load)
