from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import hooks
from ..extensions import db
from ..i18n import LOCALE_SESSION_KEY
from ..models import Membership, User
from ..web.errors import abort_with
from ..web.forms import form_status
from ..web.safe_redirect import safe_next
from . import ratelimit
from .forms import LoginForm, ProfileForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from .mail import send_mail
from .tokens import TokenExpired, TokenInvalid, make_reset_token, user_from_reset_token


def _normalise(email: str) -> str:
    return email.strip().lower()


def register():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        email = _normalise(form.email.data)
        if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
            form.email.errors.append(_("An account already exists with this address."))
        else:
            user = User(email=email, display_name=form.display_name.data.strip(), locale=form.locale.data)
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            hooks.user_registered.send(user)
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
    return render_template("accounts/register.html", form=form), form_status(form)


def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
    form = LoginForm()
    if form.validate_on_submit():
        email = _normalise(form.email.data)
        if ratelimit.is_blocked(email):
            abort_with(429, _("Too many failed attempts. Wait 15 minutes or reset your password."))
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is not None and user.check_password(form.password.data):
            ratelimit.forget_failures(email)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
        ratelimit.record_failure(email)
        form.password.errors.append(_("Wrong e-mail address or password."))
    return render_template("accounts/login.html", form=form), form_status(form)


def logout():
    logout_user()
    # Nothing of the person's session outlives the logout (plug-ins keep receipts there);
    # the chosen language stays.
    locale = session.get(LOCALE_SESSION_KEY)
    session.clear()
    if locale:
        session[LOCALE_SESSION_KEY] = locale
    flash(_("You are logged out."), "info")
    return redirect(url_for("web.home"))


def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = db.session.scalar(db.select(User).where(User.email == _normalise(form.email.data)))
        if user is not None:
            link = url_for("accounts.reset_password", token=make_reset_token(user), _external=True)
            send_mail(user.email, _("Reset your Convergence password"),
                      _("To choose a new password, open this link within one hour:\n\n%(link)s\n\n"
                        "If you did not ask for it, ignore this message.", link=link))
        # The same answer whether or not the address has an account.
        flash(_("If an account exists for this address, a link has been sent to it."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form), form_status(form)


def reset_password(token: str):
    try:
        user = user_from_reset_token(token)
    except TokenExpired:
        abort_with(410, _("This reset link has expired. Ask for a new one."))
    except TokenInvalid:
        abort_with(400, _("This reset link is not valid or has already been used."))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        ratelimit.forget_failures(user.email)
        db.session.commit()
        flash(_("Your password has been changed. You can log in."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), form_status(form)


@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        if form.new_password.data:
            if not current_user.check_password(form.current_password.data or ""):
                form.current_password.errors.append(_("The current password is wrong."))
                return render_template("accounts/profile.html", form=form), 422
            current_user.set_password(form.new_password.data)
        current_user.display_name = form.display_name.data.strip()
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form), form_status(form)


@login_required
def data_export():
    """The person's own data (right of access), with each plug-in's share."""
    memberships = db.session.scalars(
        db.select(Membership).where(Membership.user_id == current_user.id)
    ).all()
    data = {
        "account": {
            "email": current_user.email,
            "display_name": current_user.display_name,
            "locale": current_user.locale,
            "created_at": current_user.created_at.isoformat(),
        },
        "memberships": [
            {"commune_id": m.commune_id, "assembly_id": m.assembly_id, "circle_id": m.circle_id,
             "role": m.role, "since": m.created_at.isoformat()}
            for m in memberships
        ],
    }
    for share in hooks.collect("user-data", user=current_user):
        data.update(share)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=mes-donnees-convergence.json"},
    )
