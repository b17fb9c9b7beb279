"""Consent rounds (sociocracy) and their answers, shared by every space that decides by consent.

What a round is about lives in the table of whoever opened it, which extends the round
(joined-table: its primary key is the round's id), so a round has exactly one subject
without a generic (type, id) pair: a proposal's round, a request to join or leave a circle.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .users import User

CONSENT, OBJECTION, STAND_ASIDE = "consent", "objection", "stand_aside"
ANSWERS = (CONSENT, OBJECTION, STAND_ASIDE)
ROUND_LIVE, ROUND_ASYNC = "live", "async"
REASON_MAX = 2_000


class ConsentRound(db.Model):
    """A round, live in a meeting or open until a deadline; its outcome is set once, at the close."""

    __tablename__ = "consent_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Which table holds the subject (the polymorphic identity of the subclass).
    kind: Mapped[str] = mapped_column(String(30))
    mode: Mapped[str] = mapped_column(String(10), default=ROUND_LIVE)
    deadline: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # None while open; "adopted", "objections" or "no_answer" once closed.
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)

    answers: Mapped[list["ConsentAnswer"]] = relationship(order_by="ConsentAnswer.id",
                                                          cascade="all, delete-orphan")

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "round"}


class ConsentAnswer(db.Model):
    """One person's answer to a round: one per person, enforced by the database."""

    __tablename__ = "consent_answers"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        CheckConstraint("answer <> 'objection' OR length(reason) > 0", name="objection_has_reason"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("consent_rounds.id", ondelete="CASCADE"))
    # SET NULL when the account is erased: the outcome rests on the answer, which stays.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    answer: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User | None] = relationship()
