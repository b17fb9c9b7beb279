"""Tables of the Commune des Communes plug-in, all prefixed ``cdc_``.

A **meeting** sits on an assembly of the host commune (its agenda, live channel, roles and
journal are the assembly's); its **programme** is its own sessions (several at once in
different rooms: the workshops). A **delegation** is one registration: a collective (a
commune of the platform or a collective described in the form) or a person coming alone,
with its people (:class:`Member`, an account when the person registering is one of them),
its head of delegation — the mandated delegate who will sign and vote for it — and its
mandate. What the delegation asks of the organisers (lodging per night, meals, workshops)
are rows of their own, so that the organisers' counts are sums in SQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from convergence.extensions import db
from convergence.models import Assembly, Commune, User
from convergence.models.base import utcnow

NAME_MAX, TEXT_MAX, SHORT_MAX = 200, 5000, 120
MANDATE_KINDS = ("imperatif", "semi_imperatif", "libre")
STATUSES = ("registered", "waiting", "cancelled")
SESSION_KINDS = ("accueil", "pleniere", "atelier", "restitution", "repas", "pause", "soiree")
LODGING_MODES = ("host", "hall", "own")
DOCUMENT_MAX_BYTES = 2 * 1024 * 1024


class Meeting(db.Model):
    """An inter-communal meeting, hosted by the commune of its assembly."""

    __tablename__ = "cdc_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"), unique=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    #: Registrations may be made and changed until then (UTC); later ones wait.
    registration_deadline: Mapped[datetime] = mapped_column(DateTime)
    #: At most so many delegations, and so many people, registered; the next ones wait.
    delegation_cap: Mapped[int | None] = mapped_column(Integer, nullable=True)
    people_cap: Mapped[int | None] = mapped_column(Integer, nullable=True)
    invitation: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    #: Sent to registered delegations only (the seed: « communiqué après votre inscription »).
    venue_details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    assembly: Mapped[Assembly] = relationship()
    sessions: Mapped[list[Session]] = relationship(
        back_populates="meeting", order_by="(Session.starts_at, Session.room, Session.id)",
        cascade="all, delete-orphan")


class Session(db.Model):
    """One part of the programme: a plenary, a workshop in a room, a restitution, a meal…"""

    __tablename__ = "cdc_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("cdc_meetings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(NAME_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    room: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    #: Places in the room (a workshop); None: no limit said.
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)

    meeting: Mapped[Meeting] = relationship(back_populates="sessions")


class Delegation(db.Model):
    """One registration to a meeting."""

    __tablename__ = "cdc_delegations"
    __table_args__ = (CheckConstraint("people_count >= 1", name="people_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("cdc_meetings.id", ondelete="CASCADE"), index=True)
    #: "collective" (a delegation) or "alone" (a person coming without a collective).
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default="registered")
    #: The commune of the platform it comes from, when it is one (or represents one).
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="SET NULL"), nullable=True)
    collective_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    home_town: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    collective_form: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    initiatives: Mapped[str] = mapped_column(Text, default="")
    municipal_list: Mapped[bool] = mapped_column(Boolean, default=False)
    municipal_functioning: Mapped[str] = mapped_column(Text, default="")
    why_alone: Mapped[str] = mapped_column(Text, default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    social_networks: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    people_count: Mapped[int] = mapped_column(Integer)
    mandate_kind: Mapped[str] = mapped_column(String(20), default="libre")
    mandate_text: Mapped[str] = mapped_column(Text, default="")
    #: The delegation's voice in the joint declaration's votes (one delegation, one voice
    #: unless the organisers give the weight its mandate says).
    vote_weight: Mapped[int] = mapped_column(Integer, default=1)
    proposals: Mapped[str] = mapped_column(Text, default="")
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    lodging_mode: Mapped[str] = mapped_column(String(8), default="own")
    by_train: Mapped[bool] = mapped_column(Boolean, default=False)
    arrival: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    shuttle_people: Mapped[int] = mapped_column(Integer, default=0)
    #: Opens the door: the QR code of the whole delegation.
    checkin_token: Mapped[str] = mapped_column(String(32), unique=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                         nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    commune: Mapped[Commune | None] = relationship()
    registered_by: Mapped[User | None] = relationship()
    members: Mapped[list[Member]] = relationship(back_populates="delegation", order_by="Member.position",
                                                 cascade="all, delete-orphan")
    nights: Mapped[list[LodgingNeed]] = relationship(order_by="LodgingNeed.night", cascade="all, delete-orphan")
    meals: Mapped[list[MealOrder]] = relationship(cascade="all, delete-orphan")
    workshops: Mapped[list[WorkshopChoice]] = relationship(cascade="all, delete-orphan")
    # Loaded only when asked for (its bytes are not for every page).
    document: Mapped[MandateDocument | None] = relationship(cascade="all, delete-orphan", uselist=False)

    @property
    def name(self) -> str:
        return self.collective_name or (self.members[0].name if self.members else "")

    @property
    def head(self) -> Member | None:
        return next((m for m in self.members if m.is_head), None)


class Member(db.Model):
    """A person of a delegation: named (an account when it is the person who registered),
    or one of the people counted without a name. ``is_head``: the head of delegation, who
    holds its mandate."""

    __tablename__ = "cdc_members"
    __table_args__ = (UniqueConstraint("delegation_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    checkin_token: Mapped[str] = mapped_column(String(32), unique=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    delegation: Mapped[Delegation] = relationship(back_populates="members")


class LodgingNeed(db.Model):
    """How many people of a delegation need a bed on a night (the night starting that day)."""

    __tablename__ = "cdc_lodging_needs"
    __table_args__ = (CheckConstraint("people >= 1", name="people_positive"),)

    delegation_id: Mapped[int] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="CASCADE"),
                                               primary_key=True)
    night: Mapped[date] = mapped_column(Date, primary_key=True)
    people: Mapped[int] = mapped_column(Integer)


class MealOrder(db.Model):
    __tablename__ = "cdc_meal_orders"
    __table_args__ = (CheckConstraint("people >= 1", name="people_positive"),)

    delegation_id: Mapped[int] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="CASCADE"),
                                               primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("cdc_sessions.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    people: Mapped[int] = mapped_column(Integer)


class WorkshopChoice(db.Model):
    __tablename__ = "cdc_workshop_choices"
    __table_args__ = (CheckConstraint("people >= 1", name="people_positive"),)

    delegation_id: Mapped[int] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="CASCADE"),
                                               primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("cdc_sessions.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    people: Mapped[int] = mapped_column(Integer)


class MandateDocument(db.Model):
    """The mandate as the collective wrote it (its minutes, say): kept in the database,
    read by the delegation and the organisers only."""

    __tablename__ = "cdc_mandate_documents"

    delegation_id: Mapped[int] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="CASCADE"),
                                               primary_key=True)
    filename: Mapped[str] = mapped_column(String(NAME_MAX))
    content_type: Mapped[str] = mapped_column(String(SHORT_MAX))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class LodgingOffer(db.Model):
    """A resident of the host commune offers beds « chez l'habitant »."""

    __tablename__ = "cdc_lodging_offers"
    __table_args__ = (CheckConstraint("places >= 1", name="places_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("cdc_meetings.id", ondelete="CASCADE"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    places: Mapped[int] = mapped_column(Integer)
    #: The nights offered, as ISO dates separated by spaces (a handful at most).
    nights: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    host: Mapped[User] = relationship()

    @property
    def night_dates(self) -> list[date]:
        return [date.fromisoformat(n) for n in self.nights.split()]


class LodgingMatch(db.Model):
    """The organisers put so many people of a delegation with a host on a night."""

    __tablename__ = "cdc_lodging_matches"
    __table_args__ = (UniqueConstraint("offer_id", "delegation_id", "night"),
                      CheckConstraint("people >= 1", name="people_positive"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("cdc_lodging_offers.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="CASCADE"), index=True)
    night: Mapped[date] = mapped_column(Date)
    people: Mapped[int] = mapped_column(Integer)

    offer: Mapped[LodgingOffer] = relationship()
    delegation: Mapped[Delegation] = relationship()
