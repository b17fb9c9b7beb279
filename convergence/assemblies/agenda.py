"""Agenda kinds (the core's plus the plug-ins') and moving through the agenda."""

from __future__ import annotations

from datetime import datetime, time

from .. import hooks
from .forms import CORE_KIND_LABELS


def kind_choices(assembly) -> list[tuple[str, str]]:
    choices = [(code, str(label)) for code, label in CORE_KIND_LABELS.items()]
    choices += [(code, str(label)) for code, label in hooks.collect("agenda-item-kinds", assembly=assembly)]
    return choices


def kind_label(code: str, choices: list[tuple[str, str]]) -> str:
    return dict(choices).get(code, code)


def combine(day: datetime, at: time | None) -> datetime | None:
    return datetime.combine(day.date(), at) if at else None


def renumber(items) -> None:
    for position, item in enumerate(items):
        item.position = position
