from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class PhaseTransition(db.Model):
    """A timed subject (a vote, a consent round…) entered a state: written once, by
    whoever gets there first (the worker at the deadline, or a facilitator's action);
    the unique key makes a second writer insert nothing (convergence/phases.py)."""

    __tablename__ = "phase_transitions"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "to_state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # "mj.vote"
    subject_id: Mapped[int] = mapped_column(Integer)
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
