"""The one exception the core's services raise when they refuse an action, and the one
check of a typed reason (a rejection's, an objection's treatment, a moderation's …)."""

from __future__ import annotations

from flask_babel import gettext as _

REASON_MAX = 2_000


class Refused(Exception):
    """An action refused with a message for the person (already translated) and an HTTP
    status: 409 when the state changed under them, 422 for invalid input, 403 when the
    person may not do it. Raised before anything is written, or after a rollback."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


def clean_reason(reason: str | None, *, required: bool, what=None, limit: int = REASON_MAX) -> str:
    """The reason stripped, or :class:`Refused`: missing (``what`` says what to give) or too long."""
    reason = (reason or "").strip()
    if required and not reason:
        raise Refused(what or _("A reason is required."))
    if len(reason) > limit:
        raise Refused(_("The reason is longer than %(n)d characters.", n=limit))
    return reason
