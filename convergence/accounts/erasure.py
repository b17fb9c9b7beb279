"""Erasing an account (right to erasure): what goes, what stays, in one transaction.

Goes: the account (name, address, password hash), its sessions and roles (ON DELETE
CASCADE of the user row), the roles offered to its address, its failed-login records, and
its name in the journal. Stays, linked to nobody: ballots and participations, the journal's
acts. The person's contributions stay as « compte supprimé » or are deleted, as they
choose; each plug-in does its share through the hooks ``account-erasure-summary`` and
``account-erasing``, and the participation services (comments, reports, supports) theirs.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from .. import audit, hooks
from ..extensions import db
from ..models import CircleRequest, Commune, ConsentRound, Invitation, Membership, User
from ..participation import erasure as participation
from . import ratelimit

DELETED_ACCOUNT = _l("deleted account")


def summary(user: User) -> list[tuple[str, str, str]]:
    """(what, if kept, if deleted) for everything held about the person, said before they confirm."""
    roles = db.session.scalar(db.select(db.func.count()).select_from(Membership)
                              .where(Membership.user_id == user.id))
    gone = _("deleted")
    lines = [(_("Your account: name, e-mail address, password, language"), gone, gone),
             (_("Your sessions on every device"), _("ended"), _("ended"))]
    if roles:
        lines.append((ngettext("%(num)d role in communes, assemblies or circles",
                               "%(num)d roles in communes, assemblies or circles", roles), gone, gone))
    named = _("your name is replaced by « deleted account »; the acts stay")
    lines.append((_("Journal entries naming you"), named, named))
    return lines + hooks.collect("account-erasure-summary", user=user)


def erase(user: User, *, keep_contributions: bool, commune: Commune | None = None) -> None:
    """Erase ``user`` and commit. ``commune``: the commune whose facilitator erases the
    account on request; the act is recorded in its journal, without the person's name.
    The ON DELETE rules do the rest, on SQLite too (convergence/sqlite_keys.py)."""
    email = user.email
    hooks.collect("account-erasing", user=user, keep_contributions=keep_contributions)
    participation.erase(user, keep_contributions)
    audit.forget_person(user, str(DELETED_ACCOUNT))
    db.session.execute(db.delete(Invitation).where(Invitation.email == email))
    # A circle's requests about the person (to join, to exclude) go with their rounds.
    db.session.execute(db.delete(ConsentRound).where(ConsentRound.id.in_(
        db.select(CircleRequest.id).where(CircleRequest.person_id == user.id).scalar_subquery())))
    ratelimit.forget_failures(email)
    if commune is not None:
        audit.record("account.erased", commune_id=commune.id,
                     contributions="kept" if keep_contributions else "deleted")
    # The ORM delete also takes the object out of the session: it is never refreshed again.
    db.session.execute(db.delete(User).where(User.id == user.id))
    db.session.commit()
