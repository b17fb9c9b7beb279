"""Which enabled plug-ins are switched on in which space: data, journalled.

A plug-in (``PLUGINS`` in the configuration: installed and enabled) declares the kinds of
space it can be switched on in (``Plugin.space_kinds``), whether a space has it until
someone switches it off (``active_by_default``), the plug-ins it needs switched on with it
(``requires``), and what it prepares or tidies when switched (``on_enabled(space)`` /
``on_disabled(space)``, run in the switching request, a POST, in its transaction: a
plug-in never writes its defaults during a GET). A new space gets the defaults of the
plug-ins on there by default as if they had been switched on: :func:`prepare_new_space`
runs their ``on_enabled`` in the transaction that creates the space, right after the flush
that inserts it (so the commune and its defaults are committed together, or neither; no
journal entry: nobody switched anything). The switch is a
:class:`~convergence.models.SpaceFeature` row; no row means the default.

Reading: :func:`active_plugin_names` (one query per request and space) and
:func:`is_active`. A plug-in that loads its object by id reads the switch in that same
query with :func:`switch_column` and hands the value to :func:`note_switch`: no query of
its own.
"""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from . import audit, hooks
from .extensions import db
from .models import Space, SpaceFeature
from .plugin_engine import Plugin, enabled_plugins
from .spaces import SpaceRef, space_of, space_ref


class SwitchRefused(ValueError):
    """A switch that would leave a plug-in without one it requires (message translated)."""


def available_plugins(space) -> dict[str, Plugin]:
    """Enabled plug-ins that can be switched on in a space of this kind."""
    kind = space_ref(space).kind
    return {name: plugin for name, plugin in enabled_plugins().items() if kind in plugin.space_kinds}


def _active(ref: SpaceRef, plugin: Plugin, explicit: bool | None) -> bool:
    if ref.kind not in plugin.space_kinds:
        return False
    return plugin.active_by_default if explicit is None else bool(explicit)


def active_plugin_names(space) -> set[str]:
    """Enabled plug-ins switched on in ``space`` (a Space or its Commune/Assembly/Circle):
    one query per request and space."""
    ref = space_ref(space)
    cache = g.setdefault("_active_plugins", {})
    if ref.id not in cache:
        explicit = dict(db.session.execute(
            db.select(SpaceFeature.plugin_name, SpaceFeature.active).where(SpaceFeature.space_id == ref.id)
        ).all())
        cache[ref.id] = {name for name, plugin in enabled_plugins().items()
                         if _active(ref, plugin, explicit.get(name))}
    return cache[ref.id]


def switch_column(space_id, plugin_name: str):
    """The explicit switch of ``plugin_name`` in the space whose id is the SQL expression
    ``space_id`` (NULL when never set), as a column a plug-in adds to the query that loads
    its object (e.g. ``switch_column(Assembly.space_id, "mj")`` with the assembly joined):
    the switch then costs no query of its own. Pass the value read to :func:`note_switch`."""
    return (
        db.select(SpaceFeature.active)
        .where(SpaceFeature.space_id == space_id, SpaceFeature.plugin_name == plugin_name)
        .scalar_subquery()
    )


def note_switch(space, plugin_name: str, explicit: bool | None) -> bool:
    """Remember for this request a switch read through :func:`switch_column`; returns
    whether the plug-in is active in that space (a Space or its owner)."""
    ref = space_ref(space)
    plugin = enabled_plugins().get(plugin_name)
    active = plugin is not None and _active(ref, plugin, explicit)
    g.setdefault("_plugin_switches", {})[(ref.id, plugin_name)] = active
    return active


def is_active(space, plugin_name: str) -> bool:
    ref = space_ref(space)
    known = g.get("_plugin_switches", {}).get((ref.id, plugin_name))
    if known is not None:
        return known
    return plugin_name in active_plugin_names(ref)


def _forget(ref: SpaceRef) -> None:
    g.get("_active_plugins", {}).pop(ref.id, None)
    for key in [key for key in g.get("_plugin_switches", {}) if key[0] == ref.id]:
        g._plugin_switches.pop(key)


def check_requirements(space, wanted: set[str]) -> None:
    """Refuse a set of switched-on plug-ins where one lacks a plug-in it requires."""
    from flask_babel import gettext as _

    available = available_plugins(space)
    for name in sorted(wanted):
        missing = [required for required in available[name].requires
                   if required in available and required not in wanted]
        if missing:
            raise SwitchRefused(_("« %(plugin)s » needs « %(required)s » switched on too.",
                                  plugin=str(available[name].title or name),
                                  required=", ".join(str(available[r].title or r) for r in missing)))


def switch(space, wanted: set[str]) -> list[tuple[str, bool]]:
    """Switch on exactly ``wanted`` among the plug-ins available in ``space``: write the
    switches, run the plug-ins' ``on_enabled``/``on_disabled``, journal each change (in the
    caller's transaction: commit, then call :func:`announce`). Returns the changes."""
    space = space_of(space)
    available = available_plugins(space)
    wanted = set(wanted) & set(available)
    check_requirements(space, wanted)
    before = active_plugin_names(space)
    rows = {row.plugin_name: row for row in db.session.scalars(
        db.select(SpaceFeature).where(SpaceFeature.space_id == space.id))}
    changes = []
    for name, plugin in available.items():
        on = name in wanted
        row = rows.get(name) or SpaceFeature(space_id=space.id, plugin_name=name)
        row.active = on
        db.session.add(row)
        if on == (name in before):
            continue
        changes.append((name, on))
        (plugin.on_enabled if on else plugin.on_disabled)(space)
        audit.record("plugin.switched", commune_id=space.commune_id, target=space.title,
                     plugin=name, active=on)
    _forget(space_ref(space))
    return changes


def announce(space, changes: list[tuple[str, bool]]) -> None:
    """``plugin-toggled`` for each change, once committed."""
    for name, on in changes:
        hooks.plugin_toggled.send(space_of(space), plugin=name, active=on)


def prepare_new_space(space) -> None:
    """The plug-ins active by default in this new space prepare their defaults
    (``on_enabled``), in the creating transaction: what they add is flushed with it."""
    for plugin in available_plugins(space).values():
        if plugin.active_by_default:
            plugin.on_enabled(space)


_NEW = "convergence_spaces_to_prepare"


@event.listens_for(OrmSession, "after_flush")
def _note_new_spaces(session, _context) -> None:
    # ``session.new`` still lists what this flush inserted: the spaces now have their ids.
    spaces = [obj for obj in session.new if isinstance(obj, Space)]
    if spaces:
        session.info.setdefault(_NEW, []).extend(spaces)


@event.listens_for(OrmSession, "after_flush_postexec")
def _prepare_new_spaces(session, _context) -> None:
    spaces = session.info.pop(_NEW, None)
    if not spaces or not has_app_context():
        return
    # Queries here do not flush (the session is flushing); what on_enabled adds goes out
    # with the next flush, at the latest the commit's.
    for space in spaces:
        prepare_new_space(space)


@event.listens_for(OrmSession, "after_rollback")
def _forget_new_spaces(session) -> None:
    session.info.pop(_NEW, None)
