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
    # A commune (the usual case), an assembly or a circle runs a budget process.
    space_kinds = ("commune", "assembly", "circle")

    def init(self) -> None:
        from flask_login import user_logged_out

        from convergence import phases

        from . import permissions  # noqa: F401  (registers the rules)
        from .casting import forget_voting_secrets
        from .method import BudgetBallots
        from .status import TIMED_VOTE

        # The vote opens (rules frozen) and closes (box written out) at its times.
        phases.register(self.app, TIMED_VOTE)
        self.connect_hook("counting-methods", lambda: [BudgetBallots()])
        # The core keeps the session at logout (language…); voting codes must go.
        user_logged_out.connect(forget_voting_secrets, self.app)

    def get_blueprints(self):
        # The pages, by domain; each module of views/ adds its routes to the one blueprint.
        from .views import ballot, codes, paper  # noqa: F401  (pb-ballots: casting, codes, paper)
        from .views import bp

        return [bp]

    def get_cli_commands(self):
        from .cli import pb_allocate

        return [pb_allocate]
