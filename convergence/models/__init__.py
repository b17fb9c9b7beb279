"""The core's tables. Plug-ins keep their own models in their own packages."""

from .audit import AuditEntry
from .assemblies import AgendaItem, Assembly
from .circles import Circle, CircleMembershipEvent, CircleRequest
from .consent import ConsentAnswer, ConsentRound
from .communes import Commune, Neighbourhood
from .drafting import Amendment, Document, Version
from .invitations import Invitation
from .memberships import Membership
from .phases import PhaseTransition
from .sessions import UserSession
from .spaces import Space, SpaceFeature, SpaceSetting
from .submissions import FormSubmission
from .users import LoginThrottle, User

__all__ = [
    "AgendaItem", "Amendment", "Assembly", "AuditEntry", "Circle", "CircleMembershipEvent", "CircleRequest",
    "Commune", "ConsentAnswer", "ConsentRound", "Document", "FormSubmission", "Invitation", "LoginThrottle",
    "Membership", "Neighbourhood", "PhaseTransition", "Space", "SpaceFeature", "SpaceSetting", "User", "UserSession", "Version",
]

# The participation services' tables are the core's too (imported last: they refer to users).
from ..participation import models as _participation  # noqa: E402,F401
# The ballot boxes' tables are the balloting service's (imported last: they refer to users).
from ..balloting import models as _balloting  # noqa: E402,F401
# What a person is told by mail, and their visits to « Pour moi » (convergence/notifications, for_me).
from . import notifications as _notifications  # noqa: E402,F401
