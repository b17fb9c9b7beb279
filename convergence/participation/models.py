"""Tables of the participation services, all prefixed ``participation_``.

Everything people do *about* an item of a plug-in (a need, a proposal, a budget project,
a declaration article) hangs off one :class:`Subject`: the item points at its subject
(``subject_id``, see :class:`convergence.participation.subjects.HasSubject`), and
comments, supports, status changes and links point at the subject. No (type, id) pair:
every reference is a real foreign key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models.base import utcnow
from ..models.users import User

COMMENT_MAX, REASON_MAX = 5_000, 2_000
HIDE, RESTORE = "hide", "restore"


class Subject(db.Model):
    """What an item of a plug-in is to the participation services; ``plugin`` names the
    plug-in that answers the ``subject-label`` hook for it."""

    __tablename__ = "participation_subjects"
    __table_args__ = (
        CheckConstraint("supports_count >= 0", name="supports_not_negative"),
        CheckConstraint("comments_count >= 0", name="comments_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plugin: Mapped[str] = mapped_column(String(60))
    # Kept in step with their tables in the same UPDATE as the row they count, so that
    # lists sort and show counts without a join, exact under concurrent requests.
    supports_count: Mapped[int] = mapped_column(Integer, default=0)
    comments_count: Mapped[int] = mapped_column(Integer, default=0)
    # Set once, by the one support that reached the item's threshold.
    threshold_reached_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Comment(db.Model):
    __tablename__ = "participation_comments"
    __table_args__ = (Index("ix_participation_comments_subject", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("participation_subjects.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("participation_comments.id", ondelete="CASCADE"),
                                                  nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                  index=True)
    body: Mapped[str] = mapped_column(Text)
    # The sanitised HTML of the body, rendered once when written: a page of hundreds of
    # comments then costs no Markdown work (None for rows written before it existed).
    body_html: Mapped[str | None] = mapped_column(Text, nullable=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    reports_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class Report(db.Model):
    """A person's report of a comment; one per person and comment, by the database."""

    __tablename__ = "participation_reports"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("participation_comments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ModerationAction(db.Model):
    """The moderation log: every comment hidden or restored, with its reason, who and when."""

    __tablename__ = "participation_moderation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("participation_subjects.id", ondelete="CASCADE"),
                                            index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("participation_comments.id", ondelete="SET NULL"),
                                                   nullable=True)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    by: Mapped[User | None] = relationship()


class Support(db.Model):
    """A support or a signature: one per person and subject, enforced by the database."""

    __tablename__ = "participation_supports"
    __table_args__ = (UniqueConstraint("subject_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("participation_subjects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StatusChange(db.Model):
    """Who changed an item's status, when and why; never edited."""

    __tablename__ = "participation_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("participation_subjects.id", ondelete="CASCADE"),
                                            index=True)
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    by: Mapped[User | None] = relationship()


class Link(db.Model):
    """A reference from one item to another (a proposal answering a need …), shown on both
    sides; ``source`` is the item that made the reference."""

    __tablename__ = "participation_links"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id"),
        CheckConstraint("source_id <> target_id", name="not_to_itself"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("participation_subjects.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("participation_subjects.id", ondelete="CASCADE"),
                                           index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
