"""What the facilitation plug-in declares to the core; nothing else happens here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from convergence.plugin_engine import Plugin
from convergence.space_settings import Setting

# Imported here so that the tables are in the metadata as soon as the plug-in loads.
from . import models  # noqa: F401

NAME = "facilitation"


class FacilitationPlugin(Plugin):
    name = NAME
    title = _l("Live facilitation")
    description = _l("The speaking list of each agenda item in a fair order, the speaking timer, the "
                     "facilitator's console, the room display and the minutes.")
    space_kinds = ("assembly",)
    space_settings = (
        Setting("speaking_seconds", "int", 120, _l("Speaking time per turn (seconds; 0: no limit)"),
                low=0, high=3600),
        Setting("first_time", "choice", "item", _l("People who have not spoken yet go first"),
                choices=(("item", _l("in this agenda item")), ("meeting", _l("in the whole meeting")),
                         ("off", _l("no: arrival order")))),
        Setting("lists", "choice", "off", _l("Balance between lists"),
                choices=(("off", _l("no")), ("alternate", _l("alternate: the list heard the least speaks next")),
                         ("unheard", _l("lists not yet heard in the item first (delegations)")))),
        Setting("list_names", "text", "", _l("Lists people choose from when asking to speak, separated by "
                                              "commas (a self-declared list, or the delegations); empty: none"),
                max_length=400),
        Setting("list_budget_seconds", "int", 0, _l("Time budget per list and agenda item (seconds; 0: none)"),
                low=0, high=36000),
    )

    def init(self) -> None:
        # permissions registers the rules, item_rounds the closer of its consent rounds.
        from . import hooks, item_rounds, permissions  # noqa: F401

        hooks.connect(self)

    def get_blueprints(self):
        # Routes on the one blueprint.
        from . import console_views, minutes_views, room_views, round_views  # noqa: F401
        from .views import bp

        return [bp]
