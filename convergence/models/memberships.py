from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .spaces import Space
from .users import User

# Roles in a commune or an assembly, and the roles of a circle (what each grants: the
# table in convergence/permissions.py).
SPACE_ROLES = ("resident", "facilitator", "guarantor", "elected", "admin")
CIRCLE_ROLES = ("co_lead", "facilitator", "guarantor", "member")


class Membership(db.Model):
    """A person's role in one space (a commune, an assembly, a circle …)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "space_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()
    space: Mapped[Space] = relationship()
