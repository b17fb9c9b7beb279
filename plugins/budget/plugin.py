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
    # Switched on or off in each of these spaces (their « Outils » page).
    space_kinds = ("commune", "assembly", "circle")

    def init(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
        from .decisions import live_events, note_for
        from .journal import sentences  # its acts told in the journal of decisions

        self.connect_hook("journal-sentences", sentences)
        self.connect_hook("live-events", live_events)
        # The project page's note on the council decision (budget/_decision_note.html)
        # asks for it itself, so that any page including the partial needs nothing more.
        self.app.jinja_env.globals["budget_decision_note"] = note_for

    def get_blueprints(self):
        # The pages, by domain; each module of views/ adds its routes to the one blueprint.
        from .views import bp
        from .views import decision, follow_up  # noqa: F401

        return [bp]

    def get_cli_commands(self):
        from .cli import pb_allocate

        return [pb_allocate]
