"""The account pages: registering, confirming, logging in and out, resetting the password,
the profile and the person's data — each a handler of the one request flow
(convergence/web/handlers.py). Logging in and opening a session commit in their own
services (accounts/ratelimit.py, session.py): an attempt is counted before the password is
checked, whatever happens next."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_login import current_user

from .. import hooks
from ..circles import entries
from ..consent.rounds import OUTCOME_LABELS, clock_outcome
from ..extensions import db, on_commit
from ..i18n import LOCALE_SESSION_KEY
from ..models import Membership, User
from ..web.downloads import json_download
from ..web.errors import abort_with
from ..web.forms import ConfirmForm, require_confirmed_post
from ..web.handlers import Handler, route
from ..web.pages import FormPage
from ..web.links import absolute_url
from ..web.safe_redirect import safe_next
from ..web.security import no_store
from . import ratelimit, registration, session
from .credentials import password_matches
from .forms import LoginForm, ProfileForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from .mail import send_mail
from .tokens import (TokenExpired, TokenInvalid, account_from_unlock_token, make_reset_token, make_unlock_token,
                     user_from_confirm_token, user_from_reset_token)

bp = Blueprint("accounts", __name__, url_prefix="/compte")


@route(bp, "/inscription", "register", methods=("GET", "POST"))
class Register(FormPage):
    form_class, template = RegisterForm, "accounts/register.html"

    def get(self):
        if current_user.is_authenticated:
            return redirect(url_for("web.home"))
        return self.render()

    def post(self):
        if current_user.is_authenticated:
            return redirect(url_for("web.home"))
        return super().post()

    def save(self, form):
        registration.register(form.display_name.data, form.email.data, form.password.data, form.locale.data,
                              safe_next(request.args.get("next")))
        return redirect(url_for("accounts.registered"))


@route(bp, "/inscription/message-envoye", "registered")
class Registered(Handler):
    """The one page every registration ends on, whether the address was new or not."""

    def get(self):
        return render_template("accounts/registered.html")


def _from_link(read, token: str, *, expired: str, invalid: str):
    """What a mailed link's token names; its French refusal (410 expired, 400 otherwise)."""
    try:
        return read(token)
    except TokenExpired:
        abort_with(410, expired)
    except TokenInvalid:
        abort_with(400, invalid)


@route(bp, "/inscription/confirmer/<token>", "confirm", methods=("GET", "POST"))
class Confirm(Handler):
    def load(self, token: str):
        self.user, self.next_path = _from_link(user_from_confirm_token, token,
            expired=_("This confirmation link has expired. Register again to receive a new one."),
            invalid=_("This confirmation link is not valid or has already been used. Try to log in."))

    def get(self):
        return render_template("accounts/confirm.html", form=ConfirmForm(formdata=None), user=self.user)

    def post(self):
        require_confirmed_post()
        self.user.email_confirmed = True
        user = self.user
        on_commit(db.session, lambda: hooks.user_registered.send(user))
        session.open_session(user)  # commits, with the confirmation
        flash(_("Welcome, %(name)s! Your account is ready.", name=self.user.display_name), "success")
        return redirect(safe_next(self.next_path) or url_for("web.home"))


@route(bp, "/connexion", "login", methods=("GET", "POST"))
class Login(FormPage):
    form_class, template = LoginForm, "accounts/login.html"

    def get(self):
        if current_user.is_authenticated:
            return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
        return self.render()

    def post(self):
        if current_user.is_authenticated:
            return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
        return super().post()

    def save(self, form):
        email = registration.normalise(form.email.data)
        attempt = ratelimit.attempt(email)
        if not attempt.allowed:
            if attempt.first_refusal:
                _mail_unlock_link(email, attempt.account)
            return render_template("accounts/throttled.html"), 429
        user = db.session.scalar(db.select(User).where(User.email == email))
        if password_matches(user, form.password.data):
            if user.email_confirmed:
                ratelimit.succeeded(attempt)
                session.open_session(user, remember=form.remember.data)
                return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
            # Not confirmed yet: the same answer as a wrong password (the one who typed it
            # may be a stranger testing an address), and the link once more in the mailbox.
            registration.send_confirmation(user, safe_next(request.args.get("next")))
        form.password.errors.append(_("Wrong e-mail address or password."))
        return self.invalid()


def _mail_unlock_link(email: str, account: str) -> None:
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        return
    send_mail(user.email, _("Logging in to Convergence has been paused"),
              _("Several attempts to log in to your account have failed, so logging in from there "
                "is paused for 15 minutes. If it was you, this link lets you log in again at once "
                "(valid for one day):\n\n%(link)s\n\nIf it was not you, nothing is needed: your "
                "password was not found, and you can still log in from your usual devices.",
                link=absolute_url("accounts.unlock", token=make_unlock_token(account))))


@route(bp, "/connexion/deblocage/<token>", "unlock", methods=("GET", "POST"))
class Unlock(Handler):
    def load(self, token: str):
        self.account = _from_link(account_from_unlock_token, token,
            expired=_("This unlock link has expired. Wait 15 minutes or reset your password."),
            invalid=_("This unlock link is not valid."))

    def get(self):
        return render_template("accounts/unlock.html", form=ConfirmForm(formdata=None))

    def post(self):
        require_confirmed_post()
        ratelimit.unlock(self.account)
        flash(_("You can log in again."), "success")
        return redirect(url_for("accounts.login"))


@route(bp, "/deconnexion", "logout", methods=("POST",))
class Logout(Handler):
    def post(self):
        session.end_session()
        # Nothing of the person's session outlives the logout (plug-ins keep voting codes
        # there); the chosen language stays.
        locale = flask_session.get(LOCALE_SESSION_KEY)
        flask_session.clear()
        if locale:
            flask_session[LOCALE_SESSION_KEY] = locale
        flash(_("You are logged out."), "info")
        return redirect(url_for("web.home"))


@route(bp, "/mot-de-passe", "reset_request", methods=("GET", "POST"))
class ResetRequest(FormPage):
    form_class, template = ResetRequestForm, "accounts/reset_request.html"

    def save(self, form):
        user = db.session.scalar(db.select(User).where(User.email == registration.normalise(form.email.data)))
        if user is not None:
            link = absolute_url("accounts.reset_password", token=make_reset_token(user))
            send_mail(user.email, _("Reset your Convergence password"),
                      _("To choose a new password, open this link within one hour:\n\n%(link)s\n\n"
                        "If you did not ask for it, ignore this message.", link=link))
        # The same answer whether or not the address has an account.
        flash(_("If an account exists for this address, a link has been sent to it."), "info")
        return redirect(url_for("accounts.login"))


@route(bp, "/mot-de-passe/<token>", "reset_password", methods=("GET", "POST"))
class ResetPassword(FormPage):
    form_class, template = ResetPasswordForm, "accounts/reset_password.html"
    decorators = (no_store,)

    def load(self, token: str):
        self.user = _from_link(user_from_reset_token, token,
            expired=_("This reset link has expired. Ask for a new one."),
            invalid=_("This reset link is not valid or has already been used."))

    def save(self, form):
        self.user.set_password(form.password.data)
        # Whoever knew the old password is logged out everywhere, this device included;
        # the link proved the mailbox, so the address is confirmed.
        session.revoke_all(self.user)
        self.user.email_confirmed = True
        ratelimit.forget_failures(self.user.email)
        flash(_("Your password has been changed. You can log in."), "success")
        return redirect(url_for("accounts.login"))


@route(bp, "/profil", "profile", methods=("GET", "POST"))
class Profile(FormPage):
    login_required = True
    decorators = (no_store,)
    template = "accounts/profile.html"
    posts = "ProfileForm"

    def page_form(self):
        return self.form(ProfileForm, obj=current_user)

    def context(self) -> dict:
        return dict(devices=session.active_sessions(current_user), current_session=current_user.session_id,
                    devices_form=ConfirmForm(formdata=None), circle_requests=entries.concerning(current_user),
                    request_labels=entries.REQUEST_LABELS, outcome_labels=OUTCOME_LABELS,
                    clock_outcome=clock_outcome)

    def save(self, form):
        if form.new_password.data:
            if not current_user.check_password(form.current_password.data or ""):
                form.current_password.errors.append(_("The current password is wrong."))
                return self.invalid()
            current_user.set_password(form.new_password.data)
            # Every other device logs in again with the new password; this one stays.
            session.revoke_all(current_user, keep_current=True)
        current_user.display_name = form.display_name.data.strip()
        current_user.locale = form.locale.data
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))


@route(bp, "/appareils/deconnecter-les-autres", "log_out_other_devices", methods=("POST",))
class LogOutOtherDevices(Handler):
    login_required = True

    def post(self):
        require_confirmed_post()
        session.revoke_all(current_user, keep_current=True)
        flash(_("Your other devices are logged out."), "success")
        return redirect(url_for("accounts.profile", _anchor="appareils"))


@route(bp, "/mes-donnees.json", "data_export")
class DataExport(Handler):
    """The person's own data (right of access), with each plug-in's share."""

    login_required = True
    decorators = (no_store,)

    def get(self):
        memberships = db.session.scalars(
            db.select(Membership).where(Membership.user_id == current_user.id)
            .options(db.joinedload(Membership.space))
        ).all()
        data = {
            "account": {
                "email": current_user.email,
                "display_name": current_user.display_name,
                "locale": current_user.locale,
                "created_at": current_user.created_at.isoformat(),
            },
            "memberships": [
                {"space_id": m.space_id, "space_kind": m.space.kind, "commune_id": m.space.commune_id,
                 "role": m.role, "since": m.created_at.isoformat()}
                for m in memberships
            ],
            "devices": [
                {"device": d.device, "logged_in": d.created_at.isoformat(), "last_seen": d.last_seen_at.isoformat()}
                for d in session.active_sessions(current_user)
            ],
        }
        data.update(entries.personal_data(current_user))
        for share in hooks.collect("user-data", user=current_user):
            data.update(share)
        return json_download(data, "mes-donnees-convergence.json")

