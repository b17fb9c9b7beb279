"""The plug-in's tables, prefixed ``facilitation_``: a speaking list per agenda item, its
requests (which become turns when the floor is given), and the minutes' notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (Boolean, CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String, Text,
                        text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from convergence.extensions import db
from convergence.models import User
from convergence.models.consent import ConsentRound
from convergence.models.base import utcnow

NAME_MAX = 80
PERSON_MAX = 100
GROUP_MAX = 80
KINDS = ("intervention", "reply", "procedure")
# waiting → speaking → done; waiting → withdrawn (by the person, or removed by the facilitator).
STATES = ("waiting", "speaking", "done", "withdrawn")


class SpeakingList(db.Model):
    """The speaking list of one agenda item: whether it still takes requests. Created the
    first time it is needed (the item's first request, or closing it)."""

    __tablename__ = "facilitation_lists"

    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"), index=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class SpeakingRequest(db.Model):
    """A request to speak on an agenda item, and the turn it becomes.

    ``person`` names who asked: ``u:<user id>`` for an account, ``n:<name>`` for a name the
    facilitator typed for someone without a phone. One waiting request per person and item
    is the database's rule (a partial unique index), so two presses, two phones or two
    workers at once cannot put anyone twice on the list. The timer of the turn is
    ``counted`` + the time since ``running_since`` (see clock.py): state from timestamps."""

    __tablename__ = "facilitation_requests"
    __table_args__ = (
        CheckConstraint("kind IN ('intervention', 'reply', 'procedure')", name="kind"),
        CheckConstraint("state IN ('waiting', 'speaking', 'done', 'withdrawn')", name="state"),
        Index("uq_facilitation_requests_one_waiting", "item_id", "person", unique=True,
              sqlite_where=text("state = 'waiting'"), postgresql_where=text("state = 'waiting'")),
        # At most one turn being spoken per item, whoever gives the floor at the same instant.
        Index("uq_facilitation_requests_one_speaking", "item_id", unique=True,
              sqlite_where=text("state = 'speaking'"), postgresql_where=text("state = 'speaking'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    # SET NULL: an erased account's turns stay counted in the statistics, linked to nobody.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    person: Mapped[str] = mapped_column(String(PERSON_MAX))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    kind: Mapped[str] = mapped_column(String(20), default="intervention")
    group: Mapped[str | None] = mapped_column("list_group", String(GROUP_MAX), nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="waiting")
    asked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    running_since: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    counted: Mapped[float] = mapped_column(Float, default=0.0)
    allotted: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User | None] = relationship()


class ItemNotes(db.Model):
    """What the note-taker wrote about an agenda item, for the minutes (Markdown)."""

    __tablename__ = "facilitation_notes"

    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class NoteTaker(db.Model):
    """A person the facilitation named to take the notes of an assembly's minutes."""

    __tablename__ = "facilitation_note_takers"

    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)

    user: Mapped[User] = relationship()


class ItemVote(db.Model):
    """A vote opened from the console on an agenda item: how the minutes find the decisions
    taken on the item without anyone typing them. ``vote_id`` is the majority-judgment
    plug-in's vote (no foreign key: that table belongs to another plug-in, read only through
    its api)."""

    __tablename__ = "facilitation_item_votes"

    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True)
    vote_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ItemRound(ConsentRound):
    """A consent round held live on an agenda item, opened from the console: the core's
    round (convergence/consent/rounds.py), its subject the item."""

    __tablename__ = "facilitation_item_rounds"

    id: Mapped[int] = mapped_column(ForeignKey("consent_rounds.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"), index=True)

    __mapper_args__ = {"polymorphic_identity": "facilitation"}
