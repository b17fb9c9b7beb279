from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

COMMUNE_KINDS = ("commune", "collectif", "liste_citoyenne")


class Commune(db.Model):
    """A commune, or a collective or citizen list working in one."""

    __tablename__ = "communes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="commune")
    description: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Filled when the commune is first flushed (convergence.spaces creates the space).
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), unique=True)

    space = relationship("Space", foreign_keys=[space_id])
    neighbourhoods: Mapped[list["Neighbourhood"]] = relationship(
        back_populates="commune", order_by="Neighbourhood.name", cascade="all, delete-orphan"
    )


class Neighbourhood(db.Model):
    __tablename__ = "neighbourhoods"
    __table_args__ = (UniqueConstraint("commune_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    commune: Mapped[Commune] = relationship(back_populates="neighbourhoods")
