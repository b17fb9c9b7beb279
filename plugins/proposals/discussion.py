"""Threaded comments, reports by members and moderation by facilitators (with its log)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from convergence.extensions import db
from convergence.web.inputs import whole_number
from convergence.web.markdown import render_markdown

from . import drafting
from .models import COMMENT_MAX, Comment, ModerationAction, Proposal, Report
from .refusal import Refused

# Replies deeper than this are shown at this depth: a thread stays readable on a phone.
MAX_DEPTH = 4
HIDE, RESTORE = "hide", "restore"


@dataclass
class Thread:
    comment: Comment
    replies: list["Thread"] = field(default_factory=list)
    depth: int = 0


def add(proposal: Proposal, user, body, parent_id=None) -> Comment:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Refused(_("The comment is empty."))
    if len(body) > COMMENT_MAX:
        raise Refused(_("The comment is longer than %(n)d characters.", n=COMMENT_MAX))
    parent = None
    raw = str(parent_id or "").strip()
    if raw:
        number = whole_number(raw)
        parent = db.session.get(Comment, number) if number is not None else None
        if parent is None or parent.proposal_id != proposal.id:
            raise Refused(_("The comment you answer does not exist."))
    comment = Comment(proposal_id=proposal.id, parent_id=getattr(parent, "id", None), author_id=user.id,
                      body=body, body_html=str(render_markdown(body)))
    db.session.add(comment)
    db.session.execute(db.update(Proposal).where(Proposal.id == proposal.id)
                       .values(comments_count=Proposal.comments_count + 1)
                       .execution_options(synchronize_session=False))
    return comment


def threads(proposal: Proposal) -> list[Thread]:
    """Every comment of the proposal in one query, arranged in threads, oldest first."""
    comments = db.session.scalars(db.select(Comment).where(Comment.proposal_id == proposal.id)
                                  .options(db.joinedload(Comment.author)).order_by(Comment.id)).all()
    nodes = {c.id: Thread(c) for c in comments}
    roots = []
    for comment in comments:
        node = nodes[comment.id]
        parent = nodes.get(comment.parent_id)
        if parent is None:
            roots.append(node)
            continue
        while parent.depth >= MAX_DEPTH:  # flatten beyond the depth shown
            parent = nodes[parent.comment.parent_id]
        node.depth = parent.depth + 1
        parent.replies.append(node)
    return roots


def report(comment: Comment, user, reason) -> None:
    reason = drafting.clean_reason(reason, required=False)
    db.session.add(Report(comment_id=comment.id, user_id=user.id, reason=reason))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Refused(_("You have already reported this comment."), 409) from None
    db.session.execute(db.update(Comment).where(Comment.id == comment.id)
                       .values(reports_count=Comment.reports_count + 1)
                       .execution_options(synchronize_session=False))


def moderate(comment: Comment, assembly_id: int, user, action: str, reason) -> None:
    if action == HIDE:
        if comment.hidden:
            raise Refused(_("This comment is already hidden."), 409)
        reason = drafting.clean_reason(reason, required=True, what=_("Give the reason for hiding the comment."))
        comment.hidden, comment.hidden_reason = True, reason
    elif action == RESTORE:
        if not comment.hidden:
            raise Refused(_("This comment is not hidden."), 409)
        reason = drafting.clean_reason(reason, required=False)
        comment.hidden, comment.hidden_reason = False, ""
    else:
        raise Refused(_("Unknown moderation action."), 400)
    db.session.add(ModerationAction(assembly_id=assembly_id, comment_id=comment.id,
                                    proposal_id=comment.proposal_id, action=action, reason=reason,
                                    by_id=user.id))


def reported(assembly_id: int, limit: int = 100) -> list[tuple[Comment, Proposal]]:
    """Reported comments still shown, most reported first: the facilitators' queue."""
    return list(db.session.execute(
        db.select(Comment, Proposal).join(Proposal, Proposal.id == Comment.proposal_id)
        .where(Proposal.assembly_id == assembly_id, Comment.reports_count > 0, Comment.hidden.is_(False))
        .options(db.joinedload(Comment.author))
        .order_by(Comment.reports_count.desc(), Comment.id).limit(limit)).all())


def report_reasons(comment_ids) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = {}
    if comment_ids:
        for comment_id, reason in db.session.execute(
                db.select(Report.comment_id, Report.reason).where(Report.comment_id.in_(list(comment_ids)))
                .order_by(Report.id)):
            if reason:
                reasons.setdefault(comment_id, []).append(reason)
    return reasons


def log(assembly_id: int, limit: int = 200) -> list[ModerationAction]:
    return list(db.session.scalars(db.select(ModerationAction).where(ModerationAction.assembly_id == assembly_id)
                                   .options(db.joinedload(ModerationAction.by))
                                   .order_by(ModerationAction.id.desc()).limit(limit)))
