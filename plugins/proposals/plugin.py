"""What the proposal-drafting plug-in declares to the core; nothing else happens here
(what it contributes to the core's hooks is in hooks.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from convergence.plugin_engine import Plugin
from convergence.space_settings import Setting

# Imported here so that the tables are in the metadata as soon as the plug-in loads.
from . import models  # noqa: F401

NAME = "proposals"


class ProposalsPlugin(Plugin):
    name = NAME
    title = _l("Proposals")
    description = _l("Write proposals together: versions, amendments, supports, comments and consent rounds.")
    space_settings = (
        Setting("support_threshold", "int", 10, _l("Supports needed to reach the agenda"), low=1, high=100_000),
    )

    def init(self) -> None:
        from .journal import sentences  # its acts told in the journal of decisions
        self.connect_hook("journal-sentences", sentences)
        from . import hooks, permissions  # noqa: F401  (permissions registers the rules)

        hooks.connect(self)

    def get_blueprints(self):
        from .views import bp

        return [bp]
