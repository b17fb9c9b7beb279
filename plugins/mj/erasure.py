"""The majority-judgment plug-in's part in erasing an account (hooks
``account-erasure-summary`` and ``account-erasing``).

Ballots are linked to nobody and stay counted whatever the person chooses. That someone
took part stays with the vote (its count of participants is part of the result), no
longer naming them; votes they created and paper counts they entered are acts of the
assembly and stay, without their name.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from convergence.extensions import db

from .models import Participation, Vote


def _participations(user):
    """The person's participations in mj's ballot boxes (other methods' boxes are their
    plug-ins' to describe)."""
    return db.and_(Participation.user_id == user.id, Participation.box_id.in_(db.select(Vote.box_id)))


def summary(user) -> list[tuple[str, str, str]]:
    voted = db.session.scalar(db.select(db.func.count()).select_from(Participation).where(_participations(user)))
    if not voted:
        return []
    kept = _("your ballots stay counted, linked to nobody; the vote still counts one participant more, "
             "no longer named")
    return [(ngettext("%(num)d vote you took part in", "%(num)d votes you took part in", voted), kept, kept)]


def erase(user, keep_contributions: bool) -> None:
    # What ON DELETE SET NULL does too, said here: the participation stays, unnamed.
    db.session.execute(db.update(Participation).where(_participations(user)).values(user_id=None)
                       .execution_options(synchronize_session=False))
