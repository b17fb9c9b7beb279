"""Supports and signatures: one per person and subject, a counter kept exact, and an
optional threshold reached exactly once.

The unique constraint refuses a second support from the same person, even at the same
instant. The counter is raised in one ``UPDATE … RETURNING``: the row lock orders
concurrent supports, so each sees its own count. The threshold is recorded by a
conditional UPDATE (``WHERE threshold_reached_at IS NULL``), so of two supports crossing
it at once, on any app server, exactly one is told it reached it — the one that announces.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models.base import utcnow
from .counts import forget_counts
from .models import Subject, Support
from .refusal import AlreadySet


@dataclass(frozen=True)
class Counted:
    count: int
    reached: bool  # this very support reached the threshold (True once per subject, ever)


def has_supported(subject_id: int, user) -> bool:
    return db.session.scalar(db.select(Support.id).where(Support.subject_id == subject_id,
                                                         Support.user_id == user.id)) is not None


def add(subject_id: int, user, *, threshold: int | None = None,
        already: str | None = None) -> Counted:
    """Count ``user``'s support; :class:`AlreadySet` (with ``already`` as message) if counted before."""
    message = already or _("You already support this.")
    if has_supported(subject_id, user):
        raise AlreadySet(message)
    db.session.add(Support(subject_id=subject_id, user_id=user.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AlreadySet(message) from None
    count, reached_at = db.session.execute(
        db.update(Subject).where(Subject.id == subject_id)
        .values(supports_count=Subject.supports_count + 1)
        .returning(Subject.supports_count, Subject.threshold_reached_at)
        .execution_options(synchronize_session=False)).one()
    reached = False
    if threshold is not None and count >= threshold and reached_at is None:
        reached = db.session.execute(
            db.update(Subject).where(Subject.id == subject_id, Subject.threshold_reached_at.is_(None))
            .values(threshold_reached_at=utcnow()).execution_options(synchronize_session=False)).rowcount == 1
    forget_counts(subject_id, "supports_count", "threshold_reached_at")
    return Counted(count, reached)


def withdraw(subject_id: int, user, *, not_supported: str | None = None) -> int:
    """Withdraw ``user``'s support; returns the new count. A threshold once reached stays reached."""
    deleted = db.session.execute(
        db.delete(Support).where(Support.subject_id == subject_id, Support.user_id == user.id)
        .execution_options(synchronize_session=False)).rowcount
    if not deleted:
        raise AlreadySet(not_supported or _("You do not support this."))
    count = db.session.execute(
        db.update(Subject).where(Subject.id == subject_id)
        .values(supports_count=Subject.supports_count - 1).returning(Subject.supports_count)
        .execution_options(synchronize_session=False)).scalar_one()
    forget_counts(subject_id, "supports_count")
    return count


def move(from_subject_id: int, to_subject_id: int) -> None:
    """Move supports to another subject (a merge of duplicates), once per person."""
    already = db.select(Support.user_id).where(Support.subject_id == to_subject_id)
    db.session.execute(db.delete(Support).where(Support.subject_id == from_subject_id, Support.user_id.in_(already))
                       .execution_options(synchronize_session=False))
    db.session.execute(db.update(Support).where(Support.subject_id == from_subject_id)
                       .values(subject_id=to_subject_id).execution_options(synchronize_session=False))
    recount([from_subject_id, to_subject_id])


def recount(subject_ids) -> None:
    subject_ids = list(subject_ids)
    if not subject_ids:
        return
    counted = db.select(db.func.count(Support.id)).where(Support.subject_id == Subject.id).scalar_subquery()
    db.session.execute(db.update(Subject).where(Subject.id.in_(subject_ids)).values(supports_count=counted)
                       .execution_options(synchronize_session=False))
    for subject_id in subject_ids:
        forget_counts(subject_id, "supports_count")

