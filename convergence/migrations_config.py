"""Alembic set-up: the core's revisions plus one branch per enabled plug-in."""

from __future__ import annotations

from flask import current_app


def configure_alembic(config):
    locations = [config.get_main_option("script_location") + "/versions"]
    for plugin in current_app.extensions.get("convergence.plugins", {}).values():
        if plugin.migrations_path is not None:
            locations.append(str(plugin.migrations_path))
    config.set_main_option("version_locations", " ".join(locations))
    return config
