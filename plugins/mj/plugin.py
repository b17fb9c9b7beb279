"""What the majority-judgment plug-in declares to the core; nothing else happens here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from convergence.plugin_engine import Plugin

# Imported here so that the tables are in the metadata as soon as the plug-in loads.
from . import models  # noqa: F401

NAME = "mj"


class MajorityJudgmentPlugin(Plugin):
    name = NAME
    title = _l("Majority-judgment votes")
    description = _l("Decide between options by grading each of them (Mieux Voter's majority judgment), "
                     "online or on paper in the room.")
    # Switched on or off in each of these spaces (their « Outils » page); on until then.
    space_kinds = ("assembly", "circle")

    def init(self) -> None:
        from .journal import sentences  # its acts told in the journal of decisions
        self.connect_hook("journal-sentences", sentences)
        from flask_login import user_logged_out

        from convergence import phases

        from . import hooks, permissions  # noqa: F401  (permissions registers the rules)
        from .status import TIMED_VOTE
        from .voting_session import forget_voting_secrets

        # Opened and closed at their times by the worker (convergence.phases).
        phases.register(self.app, TIMED_VOTE)
        # The core keeps the session at logout (language…); voting codes must go.
        user_logged_out.connect(forget_voting_secrets, self.app)
        hooks.connect(self)

    def get_blueprints(self):
        # The pages, by domain; each module adds its routes to the one blueprint.
        from . import casting_views, paper_views, results_views  # noqa: F401
        from .views import bp

        return [bp]

    def get_cli_commands(self):
        from .cli import mj_tally

        return [mj_tally]
