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


def move_to(assembly, item) -> None:
    """Make ``item`` (one of the assembly's agenda items, or None) the current one; the
    caller commits. Who listens hears it after the commit: the ``agenda-moved-on`` signal
    and the live event ``agenda.moved``. The agenda page's buttons and a plug-in's
    « point suivant » (the facilitation console) both move the meeting through here."""
    from .. import hooks, live
    from ..extensions import db, on_commit
    from ..spaces import space_ref

    assembly.current_item_id = item.id if item else None
    moved = {"item_id": assembly.current_item_id, "title": item.title if item else ""}
    space = space_ref(assembly)  # read now: the object is expired after the commit
    on_commit(db.session, lambda: hooks.agenda_moved_on.send(assembly, item=item))
    on_commit(db.session, lambda: live.publish(space, "agenda.moved", moved))


def next_item(assembly):
    """The item after the current one in the agenda (the first when none is current), or
    None at the end."""
    items = list(assembly.agenda)
    if assembly.current_item_id is None:
        return items[0] if items else None
    index = next((n for n, i in enumerate(items) if i.id == assembly.current_item_id), None)
    if index is None:
        return items[0] if items else None
    return items[index + 1] if index + 1 < len(items) else None
