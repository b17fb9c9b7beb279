"""What the example plug-in declares to the core; nothing else happens here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from convergence.plugin_engine import Plugin

# Imported here so that the table is in the metadata as soon as the plug-in loads.
from . import models  # noqa: F401

NAME = "example"


class ExamplePlugin(Plugin):
    name = NAME
    title = _l("Example")
    description = _l("A page of greetings in each commune, assembly and circle, to show how a plug-in is made.")
    # Switched on or off in each of these spaces (their « Outils » page); on until then.
    space_kinds = ("commune", "assembly", "circle")

    def init(self) -> None:
        from . import hooks, permissions  # noqa: F401  (permissions registers the rules)

        hooks.connect(self)

    def get_blueprints(self):
        from .views import bp

        return [bp]
