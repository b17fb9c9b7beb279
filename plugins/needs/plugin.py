"""The needs-mapping plug-in: what it declares to the core; nothing else happens here.

Needs belong to a commune: the plug-in is switched per commune (on by default, on the
commune's « Outils » page, :mod:`convergence.features`). Switched off in a commune, or not
enabled in ``PLUGINS``: its URLs there are 404 and its panel is not shown.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from convergence.plugin_engine import Plugin

# Imported here so that the tables are in the metadata as soon as the plug-in loads.
from . import models  # noqa: F401

NAME = "needs"


class NeedsPlugin(Plugin):
    name = NAME
    title = _l("Needs map")
    description = _l("Residents report needs, facilitators consolidate them, other plug-ins link to them.")
    space_kinds = ("commune",)

    def init(self) -> None:
        from .journal import sentences  # its acts told in the journal of decisions
        self.connect_hook("journal-sentences", sentences)
        from . import hooks, permissions  # noqa: F401  (permissions registers the rules)

        hooks.connect(self)

    def on_enabled(self, space) -> None:
        """Switched on in a commune (or the commune created with it on): its default lists."""
        from .lists import add_defaults

        add_defaults(space.commune_id)

    def get_blueprints(self):
        from .views import bp

        return [bp]
