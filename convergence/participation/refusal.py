"""The participation services refuse with the core's one refusal type (convergence/refusal.py),
and say so with :class:`AlreadySet` when the action is already done."""

from __future__ import annotations

from ..refusal import Refused

__all__ = ["AlreadySet", "Refused"]


class AlreadySet(Refused):
    """The action is already done as asked (a second press, a replay): nothing changes."""

    def __init__(self, message: str):
        super().__init__(message, 409)
