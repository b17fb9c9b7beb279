"""What a person asked to be told by mail, what was mailed to them, and when they last
looked at « Pour moi ». One row per person in the first and last tables (created when
first needed: no row means the default — no mail, no visit yet)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class NotificationPreference(db.Model):
    """A person's choice, on their profile: a mail when a vote or a consent round opens to
    them (opt-in)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    openings: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class NotificationSent(db.Model):
    """A mail about one opening went to one person: unique, so a task run twice (a retry,
    two workers) mails nobody twice."""

    __tablename__ = "notification_sends"
    __table_args__ = (UniqueConstraint("user_id", "kind", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The opening's kind as notifications name it: "mj.vote", "consent:proposals" …
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ForMeVisit(db.Model):
    """When the person last opened « Pour moi »: ``visit_started_at`` is the current visit,
    ``previous_visit_at`` the one before it, what « since your last visit » compares to."""

    __tablename__ = "for_me_visits"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    visit_started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    previous_visit_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
