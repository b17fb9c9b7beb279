"""French error pages (in the user's language) for every status a user may meet.

An error page is drawn after something failed, often the database: the transaction may be
aborted, the connection gone. So the session is rolled back first, and when the failure
came from the database the page is drawn for an anonymous visitor (no query at all: the
language comes from the session or the browser, French by default). A page that still
cannot be drawn falls back on a fixed one: the person never meets the server's bare page —
nor when the connection is lost at the very end of a request (see ``_close_session``).
"""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Check what you entered and try again.")),
    401: (_l("Login required"), _l("Please log in to continue.")),
    403: (_l("Access refused"), _l("You do not have the right to do this here.")),
    404: (_l("Page not found"), _l("This page does not exist or has been removed.")),
    405: (_l("Method not allowed"), _l("This address does not accept this kind of request.")),
    409: (_l("Conflict"), _l("Someone else changed this at the same time. Reload the page and try again.")),
    410: (_l("No longer available"), _l("This link has expired or has been withdrawn.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    422: (_l("Invalid data"), _l("Some of the data you sent is not valid.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Please wait a few minutes and try again.")),
    500: (_l("Server error"), _l("Something went wrong on our side. The team has been told; please try again later.")),
    503: (_l("Service temporarily unavailable"),
          _l("The service is briefly unavailable. Please try again in a few seconds.")),
}
# Seconds a client is asked to wait after a 503: a database restart takes a few.
RETRY_AFTER = 5


def render_error(status: int, detail: str | None = None, *, database_failed: bool = False):
    headers = {"Retry-After": str(RETRY_AFTER)} if status == 503 else {}
    _roll_back()
    if database_failed:
        _forget_person()
    try:
        return _page(status, detail), status, headers
    except sa_exc.SQLAlchemyError:
        # The page itself read the database (the person, their language) and it failed.
        _roll_back()
        _forget_person()
    try:
        return _page(status, detail), status, headers
    except Exception:
        log.exception("the error page of a %s could not be drawn", status)
        return _fixed_page(status), status, headers


def _page(status: int, detail: str | None):
    title, message = _texts(status)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=str(title), message=str(detail or message))
    return render_template("errors/error.html", status=status, title=title, message=detail or message)


def _texts(status: int):
    return MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])


def _fixed_page(status: int) -> str:
    try:
        title, message = (str(text) for text in _texts(status))
    except Exception:  # even the catalog failed
        title, message = "Convergence", ""
    return (f'<!doctype html><html lang="fr"><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<h1>{escape(title)} ({status})</h1><p>{escape(message)}</p></html>")


def _roll_back() -> None:
    """Never query an aborted transaction; never keep half of a failed request's work."""
    from ..extensions import db

    try:
        db.session.rollback()
    except Exception:  # a dead connection: the session is invalidated either way
        log.warning("rollback after an error failed", exc_info=True)


def _close_session(_error=None) -> None:
    """At the end of every request (before Flask-SQLAlchemy's own removal): give the
    connection back. If the database went away after the answer was ready — a ballot
    committed, then PostgreSQL restarted — the answer still goes out: closing rolls back
    what is left, and a lost connection has nothing left to roll back."""
    from ..extensions import db

    try:
        db.session.remove()
    except sa_exc.SQLAlchemyError as error:
        log.warning("database connection lost at the end of a request: %s", error)
        try:
            db.session.close()  # the connection is invalidated now: this only lets go of it
        except sa_exc.SQLAlchemyError:
            pass
        db.session.registry.clear()


def _forget_person() -> None:
    """Draw the page for an anonymous visitor: reading the person would query."""
    from ..extensions import login_manager

    g._login_user = login_manager.anonymous_user()


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) says the database is out of reach — down,
    restarting, the connection cut, the pool exhausted — rather than a wrong query."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, (sa_exc.DisconnectionError, sa_exc.TimeoutError)):
            return True
        if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, sa_exc.OperationalError):
            # SQLite calls a wrong query an OperationalError too: only « locked » is passing.
            return not type(error.orig).__module__.startswith("sqlite3") or "locked" in str(error.orig)
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def register_error_handlers(app: Flask) -> None:
    app.teardown_appcontext(_close_session)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        from flask_babel import gettext

        return render_error(400, gettext(
            "The form has expired or did not come from this site. Reload the page and send it again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 401:
            from flask import redirect, url_for

            if request.method == "GET":
                return redirect(url_for("accounts.login", next=request.full_path))
        detail = getattr(error, "convergence_message", None)
        return render_error(error.code or 500, detail)

    @app.errorhandler(Exception)
    def unexpected(error):
        if database_unavailable(error):
            log.warning("database unavailable on %s %s: %s", request.method, request.path, error)
            return render_error(503, database_failed=True)
        # Logged with its trace for the team; the user only sees the French page.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500, database_failed=isinstance(error, sa_exc.SQLAlchemyError))


def abort_with(status: int, message: str):
    """Abort with a specific message for the user (already translated)."""
    from werkzeug.exceptions import default_exceptions

    error = default_exceptions.get(status, InternalServerError)()
    error.convergence_message = message
    raise error
