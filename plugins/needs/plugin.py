"""The needs-mapping plug-in: what it declares to the core.

Needs belong to a commune: the plug-in is switched per commune (on by default, on the
commune's « Outils » page, :mod:`convergence.features`). Switched off in a commune, or not
enabled in ``PLUGINS``: its URLs there are 404 and its panel is not shown.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from convergence.plugin_engine import Plugin

# Imported here so that the tables are in the metadata as soon as the plug-in loads.
from . import models  # noqa: F401


class NeedsPlugin(Plugin):
    name = "needs"
    title = _l("Needs map")
    description = _l("Residents report needs, facilitators consolidate them, other plug-ins link to them.")
    space_kinds = ("commune",)

    def init(self) -> None:
        from .journal import sentences  # its acts told in the journal of decisions
        self.connect_hook("journal-sentences", sentences)
        from . import hooks_impl, permissions  # noqa: F401  (registers the rules)

        self.connect_hook("commune-panels", hooks_impl.commune_panel)
        self.connect_hook("exports", hooks_impl.exports)
        self.connect_hook("user-data", hooks_impl.user_data)
        self.connect_hook("subject-label", hooks_impl.subject_labels)
        from . import erasure

        self.connect_hook("account-erasure-summary", erasure.summary)
        self.connect_hook("account-erasing", erasure.erase)

    def on_enabled(self, space) -> None:
        """Switched on in a commune (or the commune created with it on): its default lists."""
        from .services import add_defaults

        add_defaults(space.commune_id)

    def get_blueprints(self):
        from .views import bp

        return [bp]
