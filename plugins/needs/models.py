"""Tables of the needs-mapping plug-in, all prefixed ``needs_``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from convergence.extensions import db
from convergence.models import Circle, Commune, Neighbourhood, User
from convergence.models.base import utcnow
from convergence.participation.subjects import HasSubject

URGENCIES = ("low", "medium", "high")
STATUSES = ("reported", "recognised", "in_progress", "satisfied", "not_retained")
TITLE_MAX, DESCRIPTION_MAX, COMMENT_MAX = 200, 5000, 2000
CODE_MAX, LABEL_MAX = 40, 120
STATUS_LABELS = {
    "reported": _l("Reported"), "recognised": _l("Recognised"), "in_progress": _l("In progress"),
    "satisfied": _l("Satisfied"), "not_retained": _l("Not retained"),
}
URGENCY_LABELS = {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High")}


class _CommuneList:
    """An entry of a list each commune edits: a stable code and the label people read."""

    @declared_attr.directive
    def __table_args__(cls):
        return (UniqueConstraint("commune_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(CODE_MAX))
    label: Mapped[str] = mapped_column(String(LABEL_MAX))


class Category(_CommuneList, db.Model):
    """A category of needs, per commune; the list is edited by its facilitators."""

    __tablename__ = "needs_categories"


class Community(_CommuneList, db.Model):
    """A community concerned by needs (tenants, elderly people …), per commune."""

    __tablename__ = "needs_communities"


class Need(HasSubject, db.Model):
    """A need; its supports (« Me too »), comments, status history and links are the core's,
    on its subject (``subject_id``, ``supports_count``: see convergence/participation)."""

    __tablename__ = "needs_needs"
    subject_plugin = "needs"
    # The list, the map and the synthesis filter by commune first, then by these.
    __table_args__ = (
        Index("ix_needs_needs_commune_status", "commune_id", "status"),
        Index("ix_needs_needs_commune_category", "commune_id", "category_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    # RESTRICT: a category in use cannot disappear from under its needs.
    category_id: Mapped[int] = mapped_column(ForeignKey("needs_categories.id", ondelete="RESTRICT"))
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("needs_communities.id", ondelete="SET NULL"), nullable=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), nullable=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    urgency: Mapped[str] = mapped_column(String(10), default="medium")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                  index=True)
    show_author: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="reported")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="SET NULL"), nullable=True)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("needs_needs.id", ondelete="SET NULL"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    commune: Mapped[Commune] = relationship()
    category: Mapped[Category] = relationship()
    community: Mapped[Community | None] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    author: Mapped[User | None] = relationship()
    circle: Mapped[Circle | None] = relationship()
