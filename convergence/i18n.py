"""Locale choice and locale-aware formatting. French first, English second."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_currency, format_decimal, get_translations, lazy_gettext
from flask_login import current_user

LOCALE_SESSION_KEY = "locale"


@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def select_locale() -> Locale:
    """The language of this request, as a Locale made once per language (Flask-Babel would
    parse the code again on every request)."""
    if not has_request_context():  # a command or a job: the platform's language
        return _locale(current_app.config["BABEL_DEFAULT_LOCALE"])
    languages = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return _locale(current_user.locale)
    chosen = session.get(LOCALE_SESSION_KEY)
    if chosen in languages:
        return _locale(chosen)
    return _locale(request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"])


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


def page_translations():
    """The catalogue of the current locale, found once per request (or per ``force_locale``).

    Flask-Babel looks the catalogue up again for every message: a dozen lookups through
    Flask's context proxies each time, for the twenty to fifty messages of a page. On the
    receipt page of a ballot, the hottest path (bench/README.md), that was a tenth of the
    worker's CPU. Kept next to Flask-Babel's own state for the context (``g._flask_babel``)
    with the locale it was found for: ``force_locale`` and ``refresh`` replace that locale,
    so a catalogue kept for another one is never used."""
    state = g.get("_flask_babel") if g else None
    if state is not None:
        kept = state.__dict__.get("convergence_catalogue")
        if kept is not None and kept[0] is state.__dict__.get("babel_locale"):
            return kept[1]
    catalogue = get_translations()
    state = g.get("_flask_babel") if g else None
    if state is not None and state.__dict__.get("babel_locale") is not None:
        state.convergence_catalogue = (state.babel_locale, catalogue)
    return catalogue


def install_template_gettext(app: Flask) -> None:
    """Templates translate through :func:`page_translations` (after ``babel.init_app``,
    which installs its own callables)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: page_translations().ugettext(text),
        ngettext=lambda singular, plural, n: page_translations().ungettext(singular, plural, n),
        pgettext=lambda context, text: page_translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: page_translations().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
