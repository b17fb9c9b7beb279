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

from .models import Participation


def summary(user) -> list[tuple[str, str, str]]:
    voted = db.session.scalar(db.select(db.func.count()).select_from(Participation)
                              .where(Participation.user_id == user.id))
    if not voted:
        return []
    kept = _("your ballots stay counted, linked to nobody; the vote still counts one participant more, "
             "no longer named")
    return [(ngettext("%(num)d vote you took part in", "%(num)d votes you took part in", voted), kept, kept)]


def erase(user, keep_contributions: bool) -> None:
    # What ON DELETE SET NULL does too, said here: the participation stays, unnamed.
    db.session.execute(db.update(Participation).where(Participation.user_id == user.id).values(user_id=None)
                       .execution_options(synchronize_session=False))
