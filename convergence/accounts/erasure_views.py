"""The pages that erase an account: the person's own, from their profile, and a member's,
by a facilitator of their commune or a site administrator, on the person's request.

The erasure runs its own transaction (accounts/erasure.py: on SQLite it first commits to
switch foreign keys on, then commits the erasure), hence ``commits = False``."""

from __future__ import annotations

from flask import abort, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField
from wtforms.validators import DataRequired, InputRequired, Length

from ..extensions import db
from ..i18n import LOCALE_SESSION_KEY
from ..loaders import commune_or_404
from ..models import User
from ..web.handlers import route
from ..web.pages import FormPage
from ..web.security import no_store
from . import erasure


class ErasureForm(FlaskForm):
    # No default: what happens to the contributions is chosen, never assumed.
    contributions = RadioField(_l("What you wrote"), validators=[InputRequired(_l("Choose one of the two."))],
                               choices=[("keep", _l("Keep it, shown as « deleted account »")),
                                        ("delete", _l("Delete it"))])
    password = PasswordField(_l("Your password, to confirm"), validators=[DataRequired(), Length(max=200)])


def _end_own_session() -> None:
    logout_user()
    locale = session.get(LOCALE_SESSION_KEY)
    session.clear()
    if locale:
        session[LOCALE_SESSION_KEY] = locale


class ErasurePage(FormPage):
    login_required = True
    commits = False  # erasure.erase commits its own transaction (see above)
    decorators = (no_store,)
    form_class, template = ErasureForm, "accounts/erase.html"
    commune = None

    def save(self, form):
        if not current_user.check_password(form.password.data):
            form.password.errors.append(_("The password is wrong."))
            return self.invalid()
        own = self.person.id == current_user.id
        erasure.erase(self.person, keep_contributions=form.contributions.data == "keep", commune=self.commune)
        if own:
            _end_own_session()
        return self.done()

    def context(self) -> dict:
        return {"person": self.person, "commune": self.commune, "lines": erasure.summary(self.person)}


class EraseOwn(ErasurePage):
    def load(self):
        self.person = current_user._get_current_object() if current_user.is_authenticated else None

    def done(self):
        flash(_("Your account has been erased."), "success")
        return redirect(url_for("web.home"))


class EraseMember(ErasurePage):
    permission = "account.erase"

    def load(self, slug: str, user_id: int):
        self.commune = commune_or_404(slug)
        self.person = db.session.get(User, user_id)
        if self.person is None:
            abort(404)
        return self.commune

    def access_target(self):
        return (self.commune, self.person)

    def done(self):
        flash(_("The account has been erased."), "success")
        return redirect(url_for("communes.members", slug=self.commune.slug))


def register_own_erasure(blueprint) -> None:
    route(blueprint, "/supprimer", "erase", methods=("GET", "POST"))(EraseOwn)


def register_member_erasure(blueprint) -> None:
    route(blueprint, "/<slug>/membres/<int:user_id>/effacer-le-compte", "erase_member",
          methods=("GET", "POST"))(EraseMember)
