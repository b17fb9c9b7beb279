"""The one exception the core's services raise when they refuse an action."""

from __future__ import annotations


class Refused(Exception):
    """An action refused with a message for the person (already translated) and an HTTP
    status: 409 when the state changed under them, 422 for invalid input, 403 when the
    person may not do it. Raised before anything is written, or after a rollback."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status
