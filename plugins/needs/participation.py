"""A need's supports (« Moi aussi ») and comments, through the core's participation
services on its subject. Nothing here commits; refusals are the core's Refused."""

from __future__ import annotations

from flask_babel import gettext as _

from convergence.participation import comments, supports

from .models import COMMENT_MAX


def has_supported(need, user) -> bool:
    return supports.has_supported(need.subject_id, user)


def add_support(need, user) -> None:
    """Add a support; :class:`AlreadySet` on a second one (the database decides)."""
    supports.add(need.subject_id, user, already=_("You already support this need."))


def withdraw_support(need, user) -> None:
    supports.withdraw(need.subject_id, user, not_supported=_("You do not support this need."))


def add_comment(need, user, body) -> None:
    """Write a comment; :class:`Refused` when it is empty or too long."""
    comments.add(need.subject_id, user, body, limit=COMMENT_MAX)
