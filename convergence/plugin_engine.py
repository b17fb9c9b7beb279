"""Finding, enabling and switching plug-ins.

Plug-ins are found through the ``convergence.plugins`` entry-point group and loaded
only if their name is listed in ``PLUGINS`` (installed is not enabled). An enabled
plug-in is then switched on or off per assembly, as data (:class:`AssemblyPlugin`).
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from pathlib import Path

from flask import Blueprint, Flask, current_app, g

from . import hooks

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "convergence.plugins"


class Plugin:
    """What a plug-in declares. Subclass it and point an entry point at the subclass."""

    #: Short identifier, also the prefix of the plug-in's tables and URLs.
    name: str = ""
    #: Human title, already wrapped in ``lazy_gettext`` by the plug-in.
    title: str = ""
    description: str = ""
    #: Names of the plug-ins this one needs enabled.
    requires: tuple[str, ...] = ()
    #: Settings with their defaults; overridden by ``PLUGIN_<NAME>_<KEY>`` in the config.
    default_settings: dict = {}
    #: Whether a new assembly has the plug-in switched on.
    active_by_default: bool = True

    def __init__(self, app: Flask):
        self.app = app
        self.settings = {
            key: app.config.get(f"PLUGIN_{self.name.upper()}_{key.upper()}", value)
            for key, value in self.default_settings.items()
        }

    # -- what a plug-in overrides --------------------------------------------------
    def init(self) -> None:
        """Connect signal receivers and hooks. Runs once per application."""

    def get_blueprints(self) -> list[Blueprint]:
        return []

    def get_cli_commands(self) -> list:
        return []

    @property
    def root_path(self) -> Path:
        import sys

        return Path(sys.modules[type(self).__module__].__file__).resolve().parent

    @property
    def migrations_path(self) -> Path | None:
        """Folder of this plug-in's Alembic revisions (its own branch), if it has tables."""
        path = self.root_path / "migrations"
        return path if path.is_dir() else None

    # -- helpers -------------------------------------------------------------------
    def connect_hook(self, name: str, function) -> None:
        hooks.connect(self.app, name, function, self.name)


def discover() -> dict[str, type[Plugin]]:
    """Every installed plug-in class, by entry-point name (nothing is imported twice)."""
    found = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        found[entry.name] = entry
    return found


def load_plugins(app: Flask) -> dict[str, Plugin]:
    """Instantiate the enabled plug-ins and register their blueprints and commands."""
    installed = discover()
    wanted = list(app.config.get("PLUGINS", []))
    loaded: dict[str, Plugin] = {}
    for name in wanted:
        if name not in installed:
            raise RuntimeError(
                f"plug-in {name!r} is enabled in PLUGINS but not installed "
                f"(installed: {', '.join(sorted(installed)) or 'none'})"
            )
        cls = installed[name].load()
        if not (isinstance(cls, type) and issubclass(cls, Plugin)):
            raise RuntimeError(f"entry point {name!r} does not name a Plugin subclass")
        cls.name = cls.name or name
        loaded[name] = cls(app)
    for plugin in loaded.values():
        missing = [req for req in plugin.requires if req not in loaded]
        if missing:
            raise RuntimeError(f"plug-in {plugin.name!r} requires {', '.join(missing)}")
    app.extensions["convergence.plugins"] = loaded
    for plugin in loaded.values():
        plugin.init()
        for blueprint in plugin.get_blueprints():
            app.register_blueprint(blueprint)
        for command in plugin.get_cli_commands():
            app.cli.add_command(command)
    return loaded


def enabled_plugins() -> dict[str, Plugin]:
    return current_app.extensions.get("convergence.plugins", {})


def active_plugin_names(assembly) -> set[str]:
    """Enabled plug-ins switched on in ``assembly`` (one query per request and assembly)."""
    cache = g.setdefault("_active_plugins", {})
    if assembly.id not in cache:
        from .extensions import db
        from .models import AssemblyPlugin

        rows = db.session.execute(
            db.select(AssemblyPlugin.plugin_name, AssemblyPlugin.active).where(
                AssemblyPlugin.assembly_id == assembly.id
            )
        ).all()
        explicit = dict(rows)
        cache[assembly.id] = {
            name
            for name, plugin in enabled_plugins().items()
            if explicit.get(name, plugin.active_by_default)
        }
    return cache[assembly.id]


def switch_column(assembly_id, plugin_name: str):
    """The explicit switch of ``plugin_name`` in the assembly whose id is the SQL expression
    ``assembly_id`` (NULL when never set), as a column a plug-in adds to the query that
    loads its object: the switch then costs no query of its own. Pass the value read to
    :func:`note_switch`."""
    from .extensions import db
    from .models import AssemblyPlugin

    return (
        db.select(AssemblyPlugin.active)
        .where(AssemblyPlugin.assembly_id == assembly_id, AssemblyPlugin.plugin_name == plugin_name)
        .scalar_subquery()
    )


def note_switch(assembly_id: int, plugin_name: str, explicit: bool | None) -> bool:
    """Remember for this request a switch read through :func:`switch_column`; returns
    whether the plug-in is active in that assembly."""
    plugin = enabled_plugins().get(plugin_name)
    active = plugin is not None and (plugin.active_by_default if explicit is None else bool(explicit))
    g.setdefault("_plugin_switches", {})[(assembly_id, plugin_name)] = active
    return active


def is_active(assembly, plugin_name: str) -> bool:
    known = g.get("_plugin_switches", {}).get((assembly.id, plugin_name))
    if known is not None:
        return known
    return plugin_name in active_plugin_names(assembly)
