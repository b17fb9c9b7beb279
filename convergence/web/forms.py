"""Form helpers shared by every controller."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from .errors import abort_with


class ConfirmForm(FlaskForm):
    """Only the CSRF token: for buttons whose action is named in the URL."""


def form_status(form) -> int:
    """200 for a fresh form, 422 when a submitted one is shown again with its errors."""
    return 422 if form.is_submitted() else 200


def require_confirmed_post() -> None:
    """Refuse a button's POST whose CSRF token is missing or wrong, in the user's language."""
    if not ConfirmForm().validate_on_submit():
        abort_with(400, _("The form has expired. Reload the page and send it again."))
