"""Per-space plug-in settings: typed, with defaults and bounds, edited on the space's
« Outils » page.

A plug-in declares its settings on its class::

    space_settings = (
        Setting("support_threshold", "int", 10, _l("Supports needed to reach the agenda"),
                low=1, high=100_000),
    )

and reads them with ``settings_of(space, "proposals")["support_threshold"]`` (the declared
default when nobody set it; every setting of a space is read in one query per request).
Types: ``bool``, ``int`` (``low``/``high`` bounds), ``choice`` (``choices``: (value, label)
pairs) and ``text`` (``max_length``). Values are stored as text in ``space_settings``;
:func:`write_settings` journals each change in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g

from . import audit
from .extensions import db
from .models import SpaceSetting
from .plugin_engine import enabled_plugins
from .spaces import space_of, space_ref

TYPES = ("bool", "int", "choice", "text")


@dataclass(frozen=True)
class Setting:
    key: str
    type: str
    default: Any
    label: Any = ""
    low: int | None = None
    high: int | None = None
    choices: tuple[tuple[str, Any], ...] = ()
    max_length: int = 200

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"setting {self.key!r}: type {self.type!r} is not one of {', '.join(TYPES)}")

    def read(self, stored: str | None) -> Any:
        """The typed value of what is stored (the default for nothing, or for a value the
        declaration no longer accepts: a bound narrowed since)."""
        if stored is None:
            return self.default
        if self.type == "bool":
            return stored == "1"
        if self.type == "int":
            try:
                value = int(stored)
            except ValueError:
                return self.default
            if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
                return self.default
            return value
        if self.type == "choice" and stored not in {code for code, _label in self.choices}:
            return self.default
        return stored

    def store(self, value: Any) -> str:
        if self.type == "bool":
            return "1" if value else "0"
        return str(value)


def declared(plugin_name: str) -> dict[str, Setting]:
    plugin = enabled_plugins().get(plugin_name)
    return {s.key: s for s in getattr(plugin, "space_settings", ())}


def _stored(space) -> dict[tuple[str, str], str]:
    ref = space_ref(space)
    cache = g.setdefault("_space_settings", {})
    if ref.id not in cache:
        rows = db.session.execute(db.select(SpaceSetting.plugin_name, SpaceSetting.key, SpaceSetting.value)
                                  .where(SpaceSetting.space_id == ref.id)).all()
        cache[ref.id] = {(plugin, key): value for plugin, key, value in rows}
    return cache[ref.id]


def settings_of(space, plugin_name: str) -> dict[str, Any]:
    """Every declared setting of ``plugin_name`` in ``space`` (a Space or its owner), typed."""
    stored = _stored(space)
    return {key: setting.read(stored.get((plugin_name, key))) for key, setting in declared(plugin_name).items()}


def write_settings(space, plugin_name: str, values: dict[str, Any]) -> list[str]:
    """Store the (already validated) ``values``; journal each one that changes. Returns the
    keys changed. The caller commits."""
    space = space_of(space)
    settings = declared(plugin_name)
    current = settings_of(space, plugin_name)
    rows = {row.key: row for row in db.session.scalars(db.select(SpaceSetting).where(
        SpaceSetting.space_id == space.id, SpaceSetting.plugin_name == plugin_name))}
    changed = []
    for key, value in values.items():
        setting = settings[key]
        if setting.read(setting.store(value)) == current[key] and key in rows:
            continue
        row = rows.get(key) or SpaceSetting(space_id=space.id, plugin_name=plugin_name, key=key)
        row.value = setting.store(value)
        db.session.add(row)
        if value != current[key]:
            changed.append(key)
            audit.record("setting.changed", commune_id=space.commune_id, target=space.title,
                         plugin=plugin_name, key=key, value=value)
    g.get("_space_settings", {}).pop(space.id, None)
    return changed
