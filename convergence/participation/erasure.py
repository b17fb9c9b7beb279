"""The participation services' part in erasing an account (see convergence/accounts/erasure.py).

Supports and reports say something about the person: they go in every case, and the
counts follow. Comments stay without their author (ON DELETE SET NULL of the account), or
are deleted; a comment others answered is then emptied in place, so that the answers stay.
A plug-in that deletes the person's items calls :func:`forget` on their subjects, and
says in its ``account-erasure-summary`` lines how many of its comments and supports go,
counted by :func:`counts`.
"""

from __future__ import annotations

from ..extensions import db
from .models import Comment, Report, Subject, Support


def counts(user, subject_ids) -> tuple[int, int]:
    """(comments, supports) of ``user`` on the subjects selected by ``subject_ids``."""
    def count(model, column):
        return db.session.scalar(db.select(db.func.count()).select_from(model)
                                 .where(column == user.id, model.subject_id.in_(subject_ids)))

    return count(Comment, Comment.author_id), count(Support, Support.user_id)


def forget(subject_ids) -> None:
    """Delete the subjects selected by ``subject_ids``, and with them (ON DELETE CASCADE)
    the items pointing at them and everything said about them."""
    db.session.execute(db.delete(Subject).where(Subject.id.in_(subject_ids.scalar_subquery()))
                       .execution_options(synchronize_session=False))


def erase(user, keep_contributions: bool) -> None:
    uid = user.id
    supported = db.session.scalars(db.select(Support.subject_id).where(Support.user_id == uid)).all()
    db.session.execute(db.delete(Support).where(Support.user_id == uid))
    _recount("supports_count", Support, supported)
    reported = db.select(Report.comment_id).where(Report.user_id == uid).scalar_subquery()
    db.session.execute(db.update(Comment).where(Comment.id.in_(reported))
                       .values(reports_count=Comment.reports_count - 1).execution_options(synchronize_session=False))
    db.session.execute(db.delete(Report).where(Report.user_id == uid))
    if keep_contributions:
        return  # authorship goes with the account (ON DELETE SET NULL)
    commented = db.session.scalars(db.select(Comment.subject_id).where(Comment.author_id == uid).distinct()).all()
    answered = db.select(Comment.parent_id).where(Comment.parent_id.is_not(None)).scalar_subquery()
    db.session.execute(db.update(Comment).where(Comment.author_id == uid, Comment.id.in_(answered))
                       .values(body="", body_html="", author_id=None).execution_options(synchronize_session=False))
    db.session.execute(db.delete(Comment).where(Comment.author_id == uid))
    _recount("comments_count", Comment, commented)


def _recount(column: str, model, subject_ids) -> None:
    if subject_ids:
        counted = db.select(db.func.count()).select_from(model).where(model.subject_id == Subject.id) \
            .scalar_subquery()
        db.session.execute(db.update(Subject).where(Subject.id.in_(subject_ids)).values({column: counted})
                           .execution_options(synchronize_session=False))
