from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .users import User

# Roles in a commune or an assembly, and the roles of a circle.
SPACE_ROLES = ("resident", "facilitator", "guarantor", "elected", "admin")
CIRCLE_ROLES = ("co_lead", "facilitator", "guarantor", "member")


class Membership(db.Model):
    """A person's role in exactly one space: a commune, an assembly or a circle.

    Three foreign keys rather than a generic (type, id) pair, so the database keeps
    referential integrity; the check constraint makes sure exactly one is set.
    """

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN commune_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN assembly_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN circle_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_space",
        ),
        Index("uq_memberships_commune_role", "user_id", "commune_id", "role", unique=True),
        Index("uq_memberships_assembly_role", "user_id", "assembly_id", "role", unique=True),
        Index("uq_memberships_circle_role", "user_id", "circle_id", "role", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    commune_id: Mapped[int | None] = mapped_column(
        ForeignKey("communes.id", ondelete="CASCADE"), nullable=True, index=True
    )
    assembly_id: Mapped[int | None] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=True, index=True
    )
    circle_id: Mapped[int | None] = mapped_column(
        ForeignKey("circles.id", ondelete="CASCADE"), nullable=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()
