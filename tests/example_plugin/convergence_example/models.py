"""The plug-in's one table, prefixed with its name like every plug-in table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from convergence.extensions import db
from convergence.models import User
from convergence.models.base import utcnow

MESSAGE_MAX = 280


class Greeting(db.Model):
    """A greeting left in a space: the commune itself (no assembly, no circle), one of its
    assemblies or one of its circles."""

    __tablename__ = "example_greetings"
    __table_args__ = (CheckConstraint("assembly_id IS NULL OR circle_id IS NULL", name="one_space"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    assembly_id: Mapped[int | None] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=True,
                                                    index=True)
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), nullable=True,
                                                  index=True)
    # SET NULL: an erased account's greetings may stay, signed « deleted account ».
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                  index=True)
    message: Mapped[str] = mapped_column(String(MESSAGE_MAX))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
