"""Tables of the proposal-drafting plug-in, all prefixed ``proposals_``.

A proposal belongs to an assembly (and may be carried by one of the commune's circles).
Its current text lives on the proposal row; every save also writes an immutable
:class:`Version`, and ``version`` on the proposal is the number of the latest one, so
that two people saving the same version are told (the save is a conditional UPDATE).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from convergence.extensions import db
from convergence.models import Assembly, Circle, User
from convergence.models.base import utcnow
from convergence.participation.subjects import HasSubject

TITLE_MAX, BODY_MAX, COMMENT_MAX, REASON_MAX = 200, 50_000, 5_000, 2_000

# brouillon → en discussion → soumise → adoptée / rejetée ; retirée from any open state.
DRAFT, DISCUSSION, SUBMITTED, ADOPTED, REJECTED, WITHDRAWN = (
    "draft", "discussion", "submitted", "adopted", "rejected", "withdrawn")
STATUSES = (DRAFT, DISCUSSION, SUBMITTED, ADOPTED, REJECTED, WITHDRAWN)
FINAL_STATUSES = (ADOPTED, REJECTED, WITHDRAWN)
TO_ASSEMBLY, TO_CIRCLE = "assembly", "circle"

# Co-authorship: invited by an author, or asked for by a member; active once accepted.
AUTHOR_ACTIVE, AUTHOR_INVITED, AUTHOR_REQUESTED = "active", "invited", "requested"

AMENDMENT_PENDING, AMENDMENT_ACCEPTED, AMENDMENT_REJECTED, AMENDMENT_WITHDRAWN = (
    "pending", "accepted", "rejected", "withdrawn")

CONSENT, OBJECTION, STAND_ASIDE = "consent", "objection", "stand_aside"
ANSWERS = (CONSENT, OBJECTION, STAND_ASIDE)
ROUND_LIVE, ROUND_ASYNC = "live", "async"


class Proposal(HasSubject, db.Model):
    """A proposal; its signatures, comments and status history are the core's, on its
    subject (``subject_id``, ``supports_count``, ``comments_count``: see convergence/participation)."""

    __tablename__ = "proposals_proposals"
    subject_plugin = "proposals"
    __table_args__ = (
        # The list filters by assembly then status and pages newest first.
        Index("ix_proposals_proposals_assembly_status", "assembly_id", "status", "id"),
        Index("ix_proposals_proposals_assembly_id_desc", "assembly_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"))
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="SET NULL"), nullable=True,
                                                  index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=DRAFT)
    submitted_to: Mapped[str | None] = mapped_column(String(20), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"),
                                                       nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    assembly: Mapped[Assembly] = relationship()
    circle: Mapped[Circle | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class Author(db.Model):
    __tablename__ = "proposals_authors"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals_proposals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=AUTHOR_ACTIVE)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Version(db.Model):
    """One saved state of the text, never edited."""

    __tablename__ = "proposals_versions"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals_proposals.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(300), default="")
    amendment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class Amendment(db.Model):
    """A change proposed to one paragraph (``paragraph`` ≥ 0) or to the whole text (None)."""

    __tablename__ = "proposals_amendments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals_proposals.id", ondelete="CASCADE"),
                                             index=True)
    paragraph: Mapped[int | None] = mapped_column(Integer, nullable=True)
    base_version: Mapped[int] = mapped_column(Integer)
    # What the amended part said when the amendment was written: accepting it later checks
    # that the part still says so, rather than overwrite a text it has not seen.
    original_text: Mapped[str] = mapped_column(Text)
    new_text: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default=AMENDMENT_PENDING)
    reason: Mapped[str] = mapped_column(Text, default="")
    to_assembly: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class ConsentRound(db.Model):
    """A consent round on one version of a proposal, live in a meeting or open until a deadline."""

    __tablename__ = "proposals_consent_rounds"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals_proposals.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(10), default=ROUND_LIVE)
    deadline: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # None while open; "adopted" or "objections" once closed.
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)

    answers: Mapped[list["ConsentAnswer"]] = relationship(order_by="ConsentAnswer.id",
                                                          cascade="all, delete-orphan")


class ConsentAnswer(db.Model):
    __tablename__ = "proposals_consent_answers"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        CheckConstraint("answer <> 'objection' OR length(reason) > 0", name="objection_has_reason"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("proposals_consent_rounds.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    answer: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User | None] = relationship()
