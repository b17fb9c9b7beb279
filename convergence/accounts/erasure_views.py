"""The pages that erase an account: the person's own, from their profile, and a member's,
by a facilitator of their commune or a site administrator, on the person's request."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField
from wtforms.validators import DataRequired, InputRequired, Length

from ..extensions import db
from ..i18n import LOCALE_SESSION_KEY
from ..loaders import commune_or_404
from ..models import User
from ..permissions import require
from ..web.forms import form_status
from . import erasure


class ErasureForm(FlaskForm):
    # No default: what happens to the contributions is chosen, never assumed.
    contributions = RadioField(_l("What you wrote"), validators=[InputRequired(_l("Choose one of the two."))],
                               choices=[("keep", _l("Keep it, shown as « deleted account »")),
                                        ("delete", _l("Delete it"))])
    password = PasswordField(_l("Your password, to confirm"), validators=[DataRequired(), Length(max=200)])


def _confirmed(form: ErasureForm) -> bool:
    if not form.validate_on_submit():
        return False
    if not current_user.check_password(form.password.data):
        form.password.errors.append(_("The password is wrong."))
        return False
    return True


def _end_own_session() -> None:
    logout_user()
    locale = session.get(LOCALE_SESSION_KEY)
    session.clear()
    if locale:
        session[LOCALE_SESSION_KEY] = locale


@login_required
def erase_own():
    form = ErasureForm()
    if _confirmed(form):
        erasure.erase(current_user._get_current_object(), keep_contributions=form.contributions.data == "keep")
        _end_own_session()
        flash(_("Your account has been erased."), "success")
        return redirect(url_for("web.home"))
    return render_template("accounts/erase.html", form=form, person=current_user, commune=None,
                           lines=erasure.summary(current_user)), form_status(form)


@login_required
def erase_member(slug: str, user_id: int):
    commune = commune_or_404(slug)
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    require("account.erase", (commune, person))
    form = ErasureForm()
    if _confirmed(form):
        own = person.id == current_user.id
        erasure.erase(person, keep_contributions=form.contributions.data == "keep", commune=commune)
        if own:
            _end_own_session()
        flash(_("The account has been erased."), "success")
        return redirect(url_for("communes.members", slug=commune.slug))
    return render_template("accounts/erase.html", form=form, person=person, commune=commune,
                           lines=erasure.summary(person)), form_status(form)
