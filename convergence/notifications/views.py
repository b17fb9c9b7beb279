"""The mail preference (linked from the profile) and the one-click unsubscribe, in the
core's request flow (convergence/web/handlers.py)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField

from ..extensions import csrf, db
from ..models import User
from ..web.handlers import Handler, route
from ..web.security import no_store
from . import preferences, unsubscribe

bp = Blueprint("notifications", __name__)


class PreferencesForm(FlaskForm):
    openings = BooleanField(_l("Send me a mail when a vote or a consent round opens to me"))


@route(bp, "/compte/courriels", "preferences", methods=("GET", "POST"))
class Preferences(Handler):
    decorators = [login_required]

    def get(self):
        return self.render()

    def post(self):
        form = self.form(PreferencesForm)
        if not form.validate():
            return self.invalid()
        preferences.set_openings(current_user.id, bool(form.openings.data))
        flash(_("Your choice is saved.") if form.openings.data
              else _("You will not receive these mails."), "success")
        return redirect(url_for("notifications.preferences"))

    def render(self):
        form = self.form(PreferencesForm)
        if not form.is_submitted():
            form.openings.data = preferences.wants_openings(current_user.id)
        return render_template("notifications/preferences.html", form=form)


@route(bp, "/courriels/arret/<token>", "unsubscribe", methods=("GET", "POST"))
class Unsubscribe(Handler):
    """The link of every mail. Opening it shows one button; pressing it (or a mail
    program's one-click POST, RFC 8058) stops the mails. A GET changes nothing: mail
    scanners open links by themselves. No login and no CSRF token: the signed token in the
    URL is the person's say-so, and pressing twice leaves the choice as it is."""

    decorators = [no_store, csrf.exempt]

    def load(self, token):
        user_id = unsubscribe.user_id_from(token)
        self.person = db.session.get(User, user_id) if user_id is not None else None
        if self.person is None:
            abort(404)
        self.token = token
        return None

    def get(self):
        return self.render()

    def post(self):
        preferences.set_openings(self.person.id, False)
        return render_template("notifications/unsubscribed.html", person=self.person)

    def render(self):
        return render_template("notifications/unsubscribe.html", person=self.person, token=self.token,
                               subscribed=preferences.wants_openings(self.person.id))
