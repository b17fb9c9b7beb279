"""Agenda kinds (the core's plus the plug-ins') and moving through the agenda."""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import to_user_timezone, to_utc

from .. import hooks
from .forms import CORE_KIND_LABELS


def kind_choices(assembly) -> list[tuple[str, str]]:
    choices = [(code, str(label)) for code, label in CORE_KIND_LABELS.items()]
    choices += [(code, str(label)) for code, label in hooks.collect("agenda-item-kinds", assembly=assembly)]
    return choices


def kind_label(code: str, choices: list[tuple[str, str]]) -> str:
    return dict(choices).get(code, code)


def combine(day: datetime, at: time | None) -> datetime | None:
    """The UTC moment of local time ``at`` on the local day of ``day`` (stored in UTC)."""
    if not at:
        return None
    local_day = to_user_timezone(day).date()
    return to_utc(datetime.combine(local_day, at))


def local_time(moment: datetime | None) -> time | None:
    return to_user_timezone(moment).time().replace(tzinfo=None) if moment else None


def append_item(assembly_id: int, **fields):
    """Add an item at the end of an assembly's agenda (plug-ins put their items there);
    the caller commits."""
    from ..extensions import db
    from ..models import AgendaItem

    last = db.session.scalar(db.select(db.func.coalesce(db.func.max(AgendaItem.position), 0))
                             .where(AgendaItem.assembly_id == assembly_id))
    item = AgendaItem(assembly_id=assembly_id, position=last + 1, **fields)
    db.session.add(item)
    return item


def renumber(items) -> None:
    for position, item in enumerate(items):
        item.position = position
