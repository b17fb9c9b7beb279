"""The link between a plug-in's item and the participation services.

A plug-in's model takes :class:`HasSubject` as a mixin and names itself in
``subject_plugin``::

    class Need(HasSubject, db.Model):
        __tablename__ = "needs_needs"
        subject_plugin = "needs"

The item then has ``subject_id`` (a unique foreign key, created with the item whatever
code path inserts it: a page, an import, the demo, a test) and ``subject``, loaded with
the item in the same query, so its counters cost nothing more on a list.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import ForeignKey, event, insert, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..models.base import utcnow
from .models import Subject


class HasSubject:
    subject_plugin: ClassVar[str]

    @declared_attr
    def subject_id(cls) -> Mapped[int]:
        # CASCADE: deleting the subject (see participation.forget) deletes the item with it.
        return mapped_column(ForeignKey("participation_subjects.id", ondelete="CASCADE"), unique=True)

    @declared_attr
    def subject(cls) -> Mapped[Subject]:
        return relationship(Subject, lazy="joined", innerjoin=True)

    @hybrid_property
    def supports_count(self) -> int:
        return self.subject.supports_count if self.subject is not None else 0

    @supports_count.inplace.expression
    @classmethod
    def _supports_count(cls):
        return select(Subject.supports_count).where(Subject.id == cls.subject_id).scalar_subquery()

    @hybrid_property
    def comments_count(self) -> int:
        return self.subject.comments_count if self.subject is not None else 0

    @comments_count.inplace.expression
    @classmethod
    def _comments_count(cls):
        return select(Subject.comments_count).where(Subject.id == cls.subject_id).scalar_subquery()


@event.listens_for(HasSubject, "before_insert", propagate=True)
def _give_a_subject(_mapper, connection, target) -> None:
    if target.subject_id is None and getattr(target, "subject", None) is None:
        target.subject_id = connection.execute(insert(Subject.__table__).values(
            plugin=target.subject_plugin, supports_count=0, comments_count=0, created_at=utcnow())
        ).inserted_primary_key[0]

