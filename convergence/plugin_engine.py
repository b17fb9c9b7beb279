"""Finding, enabling and switching plug-ins.

Plug-ins are found through the ``convergence.plugins`` entry-point group and loaded
only if their name is listed in ``PLUGINS`` (installed is not enabled). An enabled
plug-in is then switched on or off per space, as data (:mod:`convergence.features`).
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from pathlib import Path

from flask import Blueprint, Flask, current_app

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
    #: Kinds of space (see convergence.spaces) the plug-in can be switched on in.
    space_kinds: tuple[str, ...] = ("assembly",)
    #: Whether a space has the plug-in switched on until someone switches it off.
    active_by_default: bool = True
    #: Typed settings per space (convergence.space_settings.Setting), edited on the
    #: space's « Outils » page.
    space_settings: tuple = ()

    def __init__(self, app: Flask):
        self.app = app
        self.settings = {
            key: app.config.get(f"PLUGIN_{self.name.upper()}_{key.upper()}", value)
            for key, value in self.default_settings.items()
        }

    # -- what a plug-in overrides --------------------------------------------------
    def init(self) -> None:
        """Connect signal receivers and hooks. Runs once per application."""

    def on_enabled(self, space) -> None:
        """Someone switched the plug-in on in ``space`` (a Space): prepare its defaults.
        Runs in the switching request (a POST), inside its transaction: add, do not commit.
        Also, for a plug-in ``active_by_default``, as a space is created, in the creating
        transaction, after the flush that inserts it: ``convergence.features.prepare_new_space``."""

    def on_disabled(self, space) -> None:
        """Someone switched the plug-in off in ``space``; same transaction rules."""

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
