"""The needs plug-in's part in erasing an account (hooks ``account-erasure-summary`` and
``account-erasing``).

A « Moi aussi » says something about the person (their housing, their health …): it goes
in every case, and the needs' counts follow. Needs and comments stay without their author,
or are deleted (a need with the supports and comments others gave it), as the person chose.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from convergence.extensions import db
from convergence.participation import erasure as participation

from .models import Need


def summary(user) -> list[tuple[str, str, str]]:
    needs = db.session.scalar(db.select(db.func.count()).select_from(Need).where(Need.author_id == user.id))
    comments, supports = participation.counts(user, db.select(Need.subject_id))
    lines = []
    if needs:
        lines.append((ngettext("%(num)d need you reported", "%(num)d needs you reported", needs),
                      _("stay on the map, without your name"),
                      _("are deleted, with the supports and comments others gave them")))
    if comments:
        lines.append((ngettext("%(num)d comment on a need", "%(num)d comments on needs", comments),
                      _("stay, signed « deleted account »"), _("are deleted")))
    if supports:
        lines.append((ngettext("%(num)d « Me too »", "%(num)d « Me too »", supports),
                      _("are withdrawn (they say something about you)"), _("are withdrawn")))
    return lines


def erase(user, keep_contributions: bool) -> None:
    """The person's supports and comments are the core's (convergence/participation/erasure.py);
    here, only the needs they reported."""
    if keep_contributions:
        db.session.execute(db.update(Need).where(Need.author_id == user.id)
                           .values(author_id=None, show_author=False).execution_options(synchronize_session=False))
    else:
        # Their supports, comments, status history and links go with their subjects (ON DELETE CASCADE).
        participation.forget(db.select(Need.subject_id).where(Need.author_id == user.id))
