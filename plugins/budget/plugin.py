"""The participatory-budgeting plug-in: what it declares to the core.

Offered in the « Outils » of a commune (the usual case), an assembly or a circle, off until
someone switches it on there: a budget is a commitment of the municipality, not a tool every
new space should show."""

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
    space_kinds = ("commune", "assembly", "circle")
    active_by_default = False

    def init(self) -> None:
        from flask_login import user_logged_out

        from convergence import hooks as core_hooks
        from convergence import phases

        from . import hooks, permissions, results  # noqa: F401  (permissions registers the rules)
        from .casting import forget_voting_secrets
        from .decisions import EVENT_RECORDED, live_events, note_for
        from .journal import sentences  # its acts told in the journal of decisions
        from .method import BudgetBallots
        from .status import TIMED_VOTE

        self.connect_hook("journal-sentences", sentences)
        self.connect_hook("live-events", live_events)
        self.connect_hook("live-events", results.live_events)
        self.connect_hook("counting-methods", lambda: [BudgetBallots()])
        # The vote opens (rules frozen) and closes (box written out) at its times.
        phases.register(self.app, TIMED_VOTE)
        # A budget vote that closes asks for its result (deferred work).
        core_hooks.phase_changed.connect(results.on_phase_changed)
        # The core keeps the session at logout (language…); voting codes must go.
        user_logged_out.connect(forget_voting_secrets, self.app)
        # The project page's note on the council decision (budget/_decision_note.html)
        # asks for it itself, so that any page including the partial needs nothing more.
        self.app.jinja_env.globals["budget_decision_note"] = note_for
        # What the pages showing the decision listen to while it is awaited.
        self.app.jinja_env.globals["budget_decision_event"] = EVENT_RECORDED
        hooks.connect(self)

    def get_blueprints(self):
        # The pages, by domain; each module of views/ adds its routes to the one blueprint.
        from .views import (ballot, bp, codes, decision, follow_up, paper, processes, projects,  # noqa: F401
                            results, review, roll, vote_control)

        return [bp]

    def get_cli_commands(self):
        from .cli import pb_allocate

        return [pb_allocate]
