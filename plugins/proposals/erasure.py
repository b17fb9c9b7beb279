"""The proposals plug-in's part in erasing an account (hooks ``account-erasure-summary``
and ``account-erasing``).

Signatures, reports and comments are the core's (convergence/participation/erasure.py):
signatures and reports go in every case, comments stay unsigned or go. Consent answers stay, without
their author, because a round's outcome rests on them. Texts stay without their author, or
are deleted: comments (a comment others answered stays in place, emptied, so that their
answers remain), amendments not taken into the text, and proposals the person wrote alone
that are still drafts or in discussion. A proposal co-written with others or already
submitted or decided stays: it belongs to the assembly's record.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from convergence.extensions import db
from convergence.participation import erasure as participation

from .models import AMENDMENT_ACCEPTED, AUTHOR_ACTIVE, DISCUSSION, DRAFT, Amendment, Author, ConsentAnswer, Proposal


def _count(statement) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(statement.subquery()))


def _own_proposals(user):
    """Proposals deleted with the person's contributions: written alone, not yet submitted."""
    others = db.select(Author.id).where(Author.proposal_id == Proposal.id, Author.user_id != user.id,
                                        Author.state == AUTHOR_ACTIVE).exists()
    mine = db.select(Author.id).where(Author.proposal_id == Proposal.id, Author.user_id == user.id,
                                      Author.state == AUTHOR_ACTIVE).exists()
    return db.select(Proposal.id).where(mine, ~others, Proposal.status.in_((DRAFT, DISCUSSION)))


def summary(user) -> list[tuple[str, str, str]]:
    uid = user.id
    authored = _count(db.select(Author.id).where(Author.user_id == uid, Author.state == AUTHOR_ACTIVE))
    own = _count(_own_proposals(user))
    amendments = _count(db.select(Amendment.id).where(Amendment.author_id == uid))
    comments, supports = participation.counts(user, db.select(Proposal.subject_id))
    answers = _count(db.select(ConsentAnswer.id).where(ConsentAnswer.user_id == uid))
    lines = []
    if authored:
        lines.append((ngettext("%(num)d proposal you co-write", "%(num)d proposals you co-write", authored),
                      _("stay, without your name among the authors"),
                      ngettext("%(num)d written by you alone and not yet submitted is deleted; the others "
                               "stay, without your name", "%(num)d written by you alone and not yet submitted "
                               "are deleted; the others stay, without your name", own)))
    if amendments:
        lines.append((ngettext("%(num)d amendment", "%(num)d amendments", amendments),
                      _("stay, signed « deleted account »"),
                      _("are deleted, except those already taken into a text")))
    if comments:
        lines.append((ngettext("%(num)d comment on proposals", "%(num)d comments on proposals", comments),
                      _("stay, signed « deleted account »"),
                      _("are deleted (a comment others answered is emptied, so that their answers stay)")))
    if supports:
        lines.append((ngettext("%(num)d signature", "%(num)d signatures", supports),
                      _("are withdrawn"), _("are withdrawn")))
    if answers:
        lines.append((ngettext("%(num)d answer in consent rounds", "%(num)d answers in consent rounds", answers),
                      _("stay, without your name: a round's outcome rests on them"),
                      _("stay, without your name: a round's outcome rests on them")))
    return lines


def erase(user, keep_contributions: bool) -> None:
    if keep_contributions:
        return  # authorship goes with the account (ON DELETE CASCADE / SET NULL)
    db.session.execute(db.delete(Amendment).where(Amendment.author_id == user.id,
                                                  Amendment.state != AMENDMENT_ACCEPTED))
    # Versions, amendments, signatures and comments go with the proposal's subject (ON DELETE CASCADE).
    participation.forget(db.select(Proposal.subject_id).where(Proposal.id.in_(_own_proposals(user).scalar_subquery())))
