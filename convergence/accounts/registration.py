"""Registration that does not tell whether an address already has an account.

Every registration ends on the same page, « check your mailbox », and sends one mail to the
address: a confirmation link for a new account, or « someone tried to create an account with
your address » for an existing one. A new account cannot log in before its address is
confirmed, so logging in with the password just typed tells nothing either (the answer is
the same wrong-password one). Until then, a newer registration for the same address replaces
the pending one: only the owner of the mailbox can confirm, so nobody can hold an address.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import User
from ..web.links import absolute_url
from .mail import send_mail
from .tokens import make_confirm_token


def normalise(email: str) -> str:
    return email.strip().lower()


def register(display_name: str, email: str, password: str, locale: str, next_path: str | None) -> None:
    email = normalise(email)
    candidate = User(email=email, display_name=display_name.strip(), locale=locale, email_confirmed=False)
    # Hashed in every case: a new registration and a known address take the same time.
    candidate.set_password(password)
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        db.session.add(candidate)
        try:
            db.session.commit()
        except IntegrityError:  # the same address registered at the same moment
            db.session.rollback()
            user = db.session.scalar(db.select(User).where(User.email == email))
        else:
            send_confirmation(candidate, next_path)
            return
    if not user.email_confirmed:
        user.display_name, user.locale, user.password_hash = (candidate.display_name, candidate.locale,
                                                              candidate.password_hash)
        db.session.commit()
        send_confirmation(user, next_path)
        return
    send_mail(user.email, _("Someone tried to create a Convergence account with your address"),
              _("Someone, perhaps you, tried to create a Convergence account with this address, "
                "which already has one. Nothing has changed.\n\n"
                "To log in: %(login)s\nForgotten password: %(reset)s\n\n"
                "If it was not you, you can ignore this message.",
                login=absolute_url("accounts.login"), reset=absolute_url("accounts.reset_request")))


def send_confirmation(user: User, next_path: str | None) -> None:
    link = absolute_url("accounts.confirm", token=make_confirm_token(user, next_path))
    send_mail(user.email, _("Confirm your Convergence account"),
              _("Welcome, %(name)s! To confirm your address and open your account, follow this link "
                "within two days:\n\n%(link)s\n\nIf you did not create an account, ignore this message: "
                "nothing will be opened.", name=user.display_name, link=link))
