"""References between items of different plug-ins, shown on both sides.

A link joins two subjects. Neither plug-in imports the other: to show a link, the core
asks the plug-in that owns the other subject for its label and address through the
``subject-label`` hook (see :mod:`convergence.hooks`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import hooks
from ..extensions import db
from .models import Link, Subject


@dataclass(frozen=True)
class Linked:
    subject_id: int
    plugin: str
    label: str
    url: str
    outgoing: bool  # True when this item made the reference


def link(source_id: int, target_id: int) -> None:
    """Record that ``source`` refers to ``target`` (once; a second time changes nothing)."""
    exists = db.session.scalar(db.select(Link.id).where(
        db.or_(db.and_(Link.source_id == source_id, Link.target_id == target_id),
               db.and_(Link.source_id == target_id, Link.target_id == source_id))))
    if exists is None and source_id != target_id:
        db.session.add(Link(source_id=source_id, target_id=target_id))


def linked(subject_id: int, plugin: str | None = None) -> list[Linked]:
    """Every item linked to the subject, either way, that its plug-in can still name
    (``plugin``: only those of one plug-in); in the order the links were made."""
    rows = db.session.execute(
        db.select(Link.source_id, Link.target_id, Subject.plugin)
        .join(Subject, Subject.id == db.case((Link.source_id == subject_id, Link.target_id),
                                             else_=Link.source_id))
        .where(db.or_(Link.source_id == subject_id, Link.target_id == subject_id))
        .order_by(Link.id)).all()
    others = [(target if source == subject_id else source, owner, source == subject_id)
              for source, target, owner in rows if plugin is None or owner == plugin]
    names = labels({(other, owner) for other, owner, _out in others})
    return [Linked(other, owner, *names[other], outgoing) for other, owner, outgoing in others if other in names]


def labels(subjects) -> dict[int, tuple[str, str]]:
    """subject id → (label, url), asked of each plug-in once for all its subjects."""
    by_plugin: dict[str, list[int]] = {}
    for subject_id, owner in subjects:
        by_plugin.setdefault(owner, []).append(subject_id)
    names: dict[int, tuple[str, str]] = {}
    for owner, ids in by_plugin.items():
        for answer in hooks.collect("subject-label", only=owner, subject_ids=sorted(ids)):
            names.update(answer)
    return names
