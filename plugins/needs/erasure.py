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

from .models import Comment, Need, Support


def _count(model, column, user) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(column == user.id))


def summary(user) -> list[tuple[str, str, str]]:
    needs, comments, supports = (_count(Need, Need.author_id, user), _count(Comment, Comment.user_id, user),
                                 _count(Support, Support.user_id, user))
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
    supported = db.select(Support.need_id).where(Support.user_id == user.id).scalar_subquery()
    db.session.execute(db.update(Need).where(Need.id.in_(supported))
                       .values(supports_count=Need.supports_count - 1)
                       .execution_options(synchronize_session=False))
    db.session.execute(db.delete(Support).where(Support.user_id == user.id))
    if keep_contributions:
        db.session.execute(db.update(Need).where(Need.author_id == user.id)
                           .values(author_id=None, show_author=False).execution_options(synchronize_session=False))
        db.session.execute(db.update(Comment).where(Comment.user_id == user.id).values(user_id=None)
                           .execution_options(synchronize_session=False))
    else:
        db.session.execute(db.delete(Comment).where(Comment.user_id == user.id))
        # Their supports, comments, status history and links go with them (ON DELETE CASCADE).
        db.session.execute(db.delete(Need).where(Need.author_id == user.id))
