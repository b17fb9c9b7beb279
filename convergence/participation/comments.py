"""Threaded comments on a subject, reports by members, moderation with its log.

Nothing here commits or checks rights: the plug-in's handler checks its rule (see
``participation.moderate`` in :mod:`convergence.participation.permissions`), calls one
function, and commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..web.inputs import whole_number
from ..web.markdown import render_markdown
from .counts import forget_counts
from .models import COMMENT_MAX, HIDE, REASON_MAX, RESTORE, Comment, ModerationAction, Report, Subject
from .refusal import AlreadySet, Refused

# Replies deeper than this are shown at this depth: a thread stays readable on a phone.
MAX_DEPTH = 4


@dataclass
class Thread:
    comment: Comment
    replies: list["Thread"] = field(default_factory=list)
    depth: int = 0


def clean_reason(reason: str | None, *, required: bool, what=None) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise Refused(what or _("A reason is required."))
    if len(reason) > REASON_MAX:
        raise Refused(_("The reason is longer than %(n)d characters.", n=REASON_MAX))
    return reason


def add(subject_id: int, user, body, parent_id=None, *, limit: int = COMMENT_MAX) -> Comment:
    """Write a comment (an answer to ``parent_id`` when given) and count it on the subject."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Refused(_("The comment is empty."))
    if len(body) > limit:
        raise Refused(_("The comment is longer than %(n)d characters.", n=limit))
    parent = None
    raw = str(parent_id or "").strip()
    if raw:
        number = whole_number(raw)
        parent = db.session.get(Comment, number) if number is not None else None
        if parent is None or parent.subject_id != subject_id:
            raise Refused(_("The comment you answer does not exist."))
    comment = Comment(subject_id=subject_id, parent_id=getattr(parent, "id", None), author_id=user.id,
                      body=body, body_html=str(render_markdown(body)))
    db.session.add(comment)
    db.session.execute(db.update(Subject).where(Subject.id == subject_id)
                       .values(comments_count=Subject.comments_count + 1)
                       .execution_options(synchronize_session=False))
    forget_counts(subject_id, "comments_count")
    return comment


def of_subject(subject_id: int, comment_id: int) -> Comment | None:
    comment = db.session.get(Comment, comment_id)
    return comment if comment is not None and comment.subject_id == subject_id else None


def threads(subject_id: int) -> list[Thread]:
    """Every comment of the subject in one query, arranged in threads, oldest first."""
    comments = db.session.scalars(db.select(Comment).where(Comment.subject_id == subject_id)
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
    reason = clean_reason(reason, required=False)
    db.session.add(Report(comment_id=comment.id, user_id=user.id, reason=reason))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AlreadySet(_("You have already reported this comment.")) from None
    db.session.execute(db.update(Comment).where(Comment.id == comment.id)
                       .values(reports_count=Comment.reports_count + 1)
                       .execution_options(synchronize_session=False))


def moderate(comment: Comment, user, action: str, reason) -> ModerationAction:
    """Hide a comment (a reason is required) or show it again; both go to the log."""
    if action == HIDE:
        if comment.hidden:
            raise Refused(_("This comment is already hidden."), 409)
        reason = clean_reason(reason, required=True, what=_("Give the reason for hiding the comment."))
        comment.hidden, comment.hidden_reason = True, reason
    elif action == RESTORE:
        if not comment.hidden:
            raise Refused(_("This comment is not hidden."), 409)
        reason = clean_reason(reason, required=False)
        comment.hidden, comment.hidden_reason = False, ""
    else:
        raise Refused(_("Unknown moderation action."), 400)
    entry = ModerationAction(subject_id=comment.subject_id, comment_id=comment.id, action=action, reason=reason,
                             by_id=user.id)
    db.session.add(entry)
    return entry


def reported(subject_ids, limit: int = 100) -> list[Comment]:
    """Reported comments still shown, most reported first, among the subjects selected by
    ``subject_ids`` (a select of subject ids, e.g. those of an assembly's proposals)."""
    return list(db.session.scalars(
        db.select(Comment).where(Comment.subject_id.in_(subject_ids), Comment.reports_count > 0,
                                 Comment.hidden.is_(False))
        .options(db.joinedload(Comment.author))
        .order_by(Comment.reports_count.desc(), Comment.id).limit(limit)))


def report_reasons(comment_ids) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = {}
    if comment_ids:
        for comment_id, reason in db.session.execute(
                db.select(Report.comment_id, Report.reason).where(Report.comment_id.in_(list(comment_ids)))
                .order_by(Report.id)):
            if reason:
                reasons.setdefault(comment_id, []).append(reason)
    return reasons


def log(subject_ids, limit: int = 200) -> list[ModerationAction]:
    """The moderation log of the subjects selected by ``subject_ids``, newest first."""
    return list(db.session.scalars(db.select(ModerationAction).where(ModerationAction.subject_id.in_(subject_ids))
                                   .options(db.joinedload(ModerationAction.by))
                                   .order_by(ModerationAction.id.desc()).limit(limit)))


def move(from_subject_id: int, to_subject_id: int) -> None:
    """Move every comment (with its replies and log) to another subject: a merge of duplicates."""
    for model in (Comment, ModerationAction):
        db.session.execute(db.update(model).where(model.subject_id == from_subject_id)
                           .values(subject_id=to_subject_id).execution_options(synchronize_session=False))
    _recount([from_subject_id, to_subject_id])


def _recount(subject_ids) -> None:
    counted = db.select(db.func.count(Comment.id)).where(Comment.subject_id == Subject.id).scalar_subquery()
    db.session.execute(db.update(Subject).where(Subject.id.in_(list(subject_ids))).values(comments_count=counted)
                       .execution_options(synchronize_session=False))
    for subject_id in subject_ids:
        forget_counts(subject_id, "comments_count")
