"""French error pages (in the user's language) for every status a user may meet."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
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
}


def render_error(status: int, detail: str | None = None):
    title, message = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=str(title), message=str(detail or message)), status
    return render_template("errors/error.html", status=status, title=title,
                           message=detail or message), status


def register_error_handlers(app: Flask) -> None:
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
        # Logged with its trace for the team; the user only sees the French page.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)


def abort_with(status: int, message: str):
    """Abort with a specific message for the user (already translated)."""
    from werkzeug.exceptions import default_exceptions

    error = default_exceptions.get(status, InternalServerError)()
    error.convergence_message = message
    raise error
