"""The « Pour moi » page, in the core's request flow."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from .. import open_now
from ..web.handlers import Handler, route
from . import changes, visits

bp = Blueprint("for_me", __name__)


@route(bp, "/pour-moi", "page")
class ForMe(Handler):
    decorators = [login_required]

    def get(self):
        since = visits.since_last_visit(current_user.id)
        return render_template(
            "for_me/page.html", since=since,
            open_items=open_now.open_now(current_user),
            mine=open_now.person_items(current_user),
            journal=changes.journal_counts(current_user, since) if since is not None else [])
