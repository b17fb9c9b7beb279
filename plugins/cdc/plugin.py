"""What the Commune des Communes plug-in declares to the core; nothing else happens here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from convergence.plugin_engine import Plugin

# Imported here so that the tables are in the metadata as soon as the plug-in loads.
from . import declaration_models, models, wording_models  # noqa: F401

NAME = "cdc"


class CommuneDesCommunesPlugin(Plugin):
    name = NAME
    title = _l("Commune des Communes")
    description = _l("An inter-communal meeting hosted by the commune: its programme, the registration of "
                     "delegations with their mandate, lodging, meals, and the organisers' lists and door.")
    # A meeting sits on an assembly of the host commune (see README: why not a space kind).
    space_kinds = ("assembly",)

    def init(self) -> None:
        from . import hooks, permissions  # noqa: F401  (permissions registers the rules)

        hooks.connect(self)

    def get_blueprints(self):
        # The pages, by domain; each module adds its routes to the one blueprint.
        from . import (committee_views, contribution_views, declaration_views, organiser_views,  # noqa: F401
                       registration_views, sign_views, vote_views, wording_vote_views)
        from .views import bp

        return [bp]
