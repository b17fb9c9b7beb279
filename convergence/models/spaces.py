from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow


class Space(db.Model):
    """Where people meet and plug-ins work: a commune, an assembly, a thematic circle, or a
    kind a plug-in registers (see :mod:`convergence.spaces`). Each commune, assembly and
    circle has exactly one row; its members, invitations, switched-on plug-ins and settings
    point here.

    ``commune_id``: the commune the space belongs to (a commune's own space points at that
    commune). NULL only inside the flush that creates a commune, between the two inserts
    (the commune needs its space's id, the space the commune's).
    ``parent_id``: the space it sits in (an assembly's or circle's: its commune's space).
    """

    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    commune_id: Mapped[int | None] = mapped_column(
        ForeignKey("communes.id", ondelete="CASCADE", use_alter=True),
        nullable=True, index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    commune = relationship("Commune", foreign_keys=[commune_id], post_update=True)
    parent: Mapped["Space | None"] = relationship(remote_side=[id])

    # -- the Space API (the kind registry says what each kind means) --------------------
    @property
    def kind_info(self):
        from ..spaces import kind_of

        return kind_of(self.kind)

    @property
    def owner(self):
        """The Commune, Assembly, Circle (or plug-in object) this space is the space of."""
        owner = self.__dict__.get("_owner")
        if owner is None:
            model = self.kind_info.model
            owner = db.session.scalar(db.select(model).where(model.space_id == self.id))
            self.__dict__["_owner"] = owner
        return owner

    @property
    def title(self) -> str:
        return getattr(self.owner, self.kind_info.title_attribute)

    @property
    def url(self) -> str:
        return self.kind_info.url(self.owner)

    def __repr__(self) -> str:
        return f"<Space {self.id} {self.kind}>"


class SpaceFeature(db.Model):
    """Whether an enabled plug-in is switched on in one space: data, not configuration.
    No row: the plug-in's ``active_by_default``."""

    __tablename__ = "space_features"

    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True)
    plugin_name: Mapped[str] = mapped_column(String(60), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SpaceSetting(db.Model):
    """A plug-in's setting in one space, stored as text and read typed through the
    plug-in's declaration (convergence/space_settings.py). No row: the declared default."""

    __tablename__ = "space_settings"

    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True)
    plugin_name: Mapped[str] = mapped_column(String(60), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
