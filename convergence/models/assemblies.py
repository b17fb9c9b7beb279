from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .communes import Commune

ASSEMBLY_KINDS = ("assemblee_populaire", "commune_des_communes")
ASSEMBLY_STATUSES = ("planned", "open", "closed")
# Agenda-item kinds of the core; plug-ins add theirs through the `agenda_item_kinds` hook.
CORE_AGENDA_KINDS = ("accueil", "pleniere", "atelier", "restitution", "pause", "repas", "autre")


class Assembly(db.Model):
    """A popular assembly, or an inter-communal meeting such as a Commune des Communes."""

    __tablename__ = "assemblies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default="assemblee_populaire")
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    current_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL", use_alter=True), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Filled when first flushed (convergence.spaces creates the space).
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), unique=True)

    commune: Mapped[Commune] = relationship()
    space = relationship("Space", foreign_keys=[space_id])
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="assembly",
        order_by="AgendaItem.position",
        cascade="all, delete-orphan",
        foreign_keys="AgendaItem.assembly_id",
    )

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="pleniere")
    description: Mapped[str] = mapped_column(Text, default="")

    assembly: Mapped[Assembly] = relationship(back_populates="agenda", foreign_keys=[assembly_id])

