"""The participatory-budgeting plug-in: what it declares to the core."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from convergence.plugin_engine import Plugin

# Imported here so that the tables are in the metadata as soon as the plug-in loads.
from . import models  # noqa: F401


class BudgetPlugin(Plugin):
    name = "budget"
    title = _l("Participatory budgeting")
    description = _l("Residents propose projects and vote within an envelope; the result is computed by a "
                     "published rule (Method of Equal Shares, or greedy).")
    # No space yet: its pages (processes, projects, ballots, results) come with the next step,
    # so it is not offered in any space's « Outils »; only its engine and command exist.
    space_kinds = ()

    def init(self) -> None:
        from convergence import hooks

        from . import permissions  # noqa: F401  (registers the rules)
        from .results import live_events, on_phase_changed

        self.connect_hook("live-events", live_events)

        # A budget vote that closes asks for its result (deferred work).
        hooks.phase_changed.connect(on_phase_changed)

    def get_blueprints(self):
        # The pages, by domain; each module of views/ adds its routes to the one blueprint.
        from .views import bp, results  # noqa: F401

        return [bp]

    def get_cli_commands(self):
        from .cli import pb_allocate

        return [pb_allocate]
