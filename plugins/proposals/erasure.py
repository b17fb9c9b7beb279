"""The proposals plug-in's part in erasing an account (hooks ``account-erasure-summary``
and ``account-erasing``).

Signatures and reports go in every case (the counts follow); consent answers stay, without
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
from convergence.models import Amendment, ConsentAnswer, Document

from .models import (AMENDMENT_ACCEPTED, AUTHOR_ACTIVE, DISCUSSION, DRAFT, Author, Comment, Proposal, ProposalRound,
                     Report, Support)


def _count(statement) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(statement.subquery()))


def _on_proposals(amendment):
    """Amendments of proposals' texts (the drafting service also serves other plug-ins)."""
    return amendment.document_id.in_(db.select(Proposal.document_id).scalar_subquery())


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
    amendments = _count(db.select(Amendment.id).where(Amendment.author_id == uid, _on_proposals(Amendment)))
    comments = _count(db.select(Comment.id).where(Comment.author_id == uid))
    supports = _count(db.select(Support.id).where(Support.user_id == uid))
    answers = _count(db.select(ConsentAnswer.id).join(ProposalRound, ProposalRound.id == ConsentAnswer.round_id)
                     .where(ConsentAnswer.user_id == uid))
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


def _recount(column, model, key, ids) -> None:
    if ids:
        counted = db.select(db.func.count()).select_from(model).where(key == Proposal.id).scalar_subquery()
        db.session.execute(db.update(Proposal).where(Proposal.id.in_(ids)).values({column: counted})
                           .execution_options(synchronize_session=False))


def erase(user, keep_contributions: bool) -> None:
    uid = user.id
    supported = db.session.scalars(db.select(Support.proposal_id).where(Support.user_id == uid)).all()
    db.session.execute(db.delete(Support).where(Support.user_id == uid))
    _recount("supports_count", Support, Support.proposal_id, supported)
    reported = db.select(Report.comment_id).where(Report.user_id == uid).scalar_subquery()
    db.session.execute(db.update(Comment).where(Comment.id.in_(reported))
                       .values(reports_count=Comment.reports_count - 1).execution_options(synchronize_session=False))
    db.session.execute(db.delete(Report).where(Report.user_id == uid))
    if keep_contributions:
        return  # authorship goes with the account (ON DELETE CASCADE / SET NULL)
    commented = db.session.scalars(db.select(Comment.proposal_id).where(Comment.author_id == uid).distinct()).all()
    answered = db.select(Comment.parent_id).where(Comment.parent_id.is_not(None)).scalar_subquery()
    db.session.execute(db.update(Comment).where(Comment.author_id == uid, Comment.id.in_(answered))
                       .values(body="", body_html="", author_id=None).execution_options(synchronize_session=False))
    db.session.execute(db.delete(Comment).where(Comment.author_id == uid))
    _recount("comments_count", Comment, Comment.proposal_id, commented)
    db.session.execute(db.delete(Amendment).where(Amendment.author_id == uid, _on_proposals(Amendment),
                                                  Amendment.state != AMENDMENT_ACCEPTED))
    # Signatures and comments go with the proposal (ON DELETE CASCADE); its text, versions
    # and amendments with its drafting document, deleted after it (the proposal points at it).
    own = db.session.execute(db.select(Proposal.id, Proposal.document_id)
                             .where(Proposal.id.in_(_own_proposals(user).scalar_subquery()))).all()
    if own:
        db.session.execute(db.delete(Proposal).where(Proposal.id.in_([p for p, _d in own])))
        db.session.execute(db.delete(Document).where(Document.id.in_([d for _p, d in own])))
