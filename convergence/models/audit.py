from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .users import User


class AuditEntry(db.Model):
    """An official act (role given, plug-in switched, circle entry decided …), never edited
    but to take a person's name out (account erasure). Chained: see convergence/journal_chain.py."""

    __tablename__ = "audit_entries"
    # The database's own guarantee that a chain never forks: one entry per place.
    __table_args__ = (UniqueConstraint("chain", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    action: Mapped[str] = mapped_column(String(80), index=True)
    commune_id: Mapped[int | None] = mapped_column(
        ForeignKey("communes.id", ondelete="CASCADE"), nullable=True, index=True
    )
    target: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # Set when the act's transaction commits (convergence/audit.py); NULL only inside it.
    # ``chain``: the commune's id, 0 for the entries without a commune.
    chain: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sequence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    previous_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Per field naming a person: {"salt": …}, or {"digest": …} once the name is erased.
    seals: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True)

    actor: Mapped[User | None] = relationship()
