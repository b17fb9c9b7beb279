"""The one exception the participation services raise when they refuse an action."""

from __future__ import annotations


class Refused(Exception):
    """An action refused with a message for the person (already translated) and an HTTP
    status: 409 when the state changed under them (or the action was already done), 422
    for invalid input. Raised before anything is written, or after a rollback."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


class AlreadySet(Refused):
    """The action is already done as asked (a second press, a replay): nothing changes."""

    def __init__(self, message: str):
        super().__init__(message, 409)
