from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .communes import Commune
from .consent import ConsentRound
from .users import User

JOIN, EXCLUSION = "join", "exclusion"


class Circle(db.Model):
    """A thematic circle: a semi-autonomous group with a purpose and a decision perimeter."""

    __tablename__ = "circles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(Text, default="")
    decision_perimeter: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Filled when first flushed (convergence.spaces creates the space).
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), unique=True)

    commune: Mapped[Commune] = relationship()
    space = relationship("Space", foreign_keys=[space_id])


class CircleMembershipEvent(db.Model):
    """An entry into or exit from a circle, as the circle's history shows it.

    Written when a consent round adopts a request (``round_id`` set), when a member leaves
    by their own will, or when a facilitator records a decision taken in a meeting (on
    paper: ``round_id`` empty, ``recorded_by`` the facilitator)."""

    __tablename__ = "circle_membership_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "join" or "leave"
    role: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    round_id: Mapped[int | None] = mapped_column(ForeignKey("consent_rounds.id", ondelete="SET NULL"),
                                                 nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class CircleRequest(ConsentRound):
    """A request to join a circle, or a member's proposal that another one leave it: a
    consent round of the circle's members (all of them but the person concerned)."""

    __tablename__ = "circle_requests"

    id: Mapped[int] = mapped_column(ForeignKey("consent_rounds.id", ondelete="CASCADE"), primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    # The person who would enter or leave.
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    request: Mapped[str] = mapped_column(String(10))  # JOIN or EXCLUSION
    message: Mapped[str] = mapped_column(Text, default="")
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    circle: Mapped[Circle] = relationship()
    person: Mapped[User] = relationship(foreign_keys=[person_id])
    asked_by: Mapped[User | None] = relationship(foreign_keys=[asked_by_id])

    __mapper_args__ = {"polymorphic_identity": "circle"}
