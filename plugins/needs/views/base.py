"""The needs blueprint and the pages every handler of the plug-in starts from: a commune's
page (the URL names the commune), and a need's page (it names one of its needs)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, redirect, render_template, url_for

from convergence.extensions import db
from convergence.loaders import commune_or_404
from convergence.web.handlers import Handler

from ..models import STATUS_LABELS, URGENCY_LABELS, Need
from ..plugin import NAME

bp = Blueprint("needs", __name__, root_path=str(Path(__file__).parent.parent), template_folder="templates",
               static_folder="static", static_url_path="/besoins/static")


class CommunePage(Handler):
    """A page of the needs of the commune the URL names, switched on there."""

    feature = NAME

    def load(self, slug, **_values):
        self.commune = commune_or_404(slug)
        return self.commune

    def page(self, template: str, **context):
        return render_template(template, commune=self.commune, status_labels=STATUS_LABELS,
                               urgency_labels=URGENCY_LABELS, **context)

    def to(self, endpoint: str, anchor: str = "", **values):
        return url_for(endpoint, slug=self.commune.slug, **values) + anchor


class NeedPage(CommunePage):
    """A page of one need of the commune (404 for a need of another commune)."""

    def load(self, slug, need_id):
        commune = super().load(slug)
        self.need = db.session.scalar(db.select(Need).where(Need.id == need_id, Need.commune_id == commune.id))
        if self.need is None:
            abort(404)
        return commune

    def need_url(self, anchor: str = "", need=None) -> str:
        return self.to("needs.show", anchor, need_id=(need or self.need).id)

    def back(self, anchor: str = "", need=None):
        return redirect(self.need_url(anchor, need))
