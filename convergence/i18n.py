"""Locale choice and locale-aware formatting. French first, English second."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import format_currency, format_decimal, lazy_gettext
from flask_login import current_user

LOCALE_SESSION_KEY = "locale"


def select_locale() -> str:
    if not has_request_context():  # a command or a job: the platform's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = session.get(LOCALE_SESSION_KEY)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


LOGIN_MESSAGE = "Please log in to continue."
# Listed for extraction; Flask-Login passes the message id to login_message() at flash time.
_ = lazy_gettext("Please log in to continue.")


def login_message(message: str) -> str:
    from flask_babel import gettext

    return gettext(message)


def money(amount) -> str:
    return format_currency(amount, current_app.config["CURRENCY"])


def number(value) -> str:
    return format_decimal(value)
