"""The core's tables. Plug-ins keep their own models in their own packages."""

from .audit import AuditEntry
from .assemblies import AgendaItem, Assembly
from .circles import Circle, CircleMembershipEvent
from .communes import Commune, Neighbourhood
from .invitations import Invitation
from .memberships import Membership
from .sessions import UserSession
from .spaces import Space, SpaceFeature, SpaceSetting
from .submissions import FormSubmission
from .users import LoginThrottle, User

__all__ = [
    "AgendaItem", "Assembly", "AuditEntry", "Circle",
    "CircleMembershipEvent", "Commune", "FormSubmission", "Invitation", "LoginThrottle", "Membership",
    "Neighbourhood", "Space", "SpaceFeature", "SpaceSetting", "User", "UserSession",
]

# The participation services' tables are the core's too (imported last: they refer to users).
from ..participation import models as _participation  # noqa: E402,F401
# The ballot boxes' tables are the balloting service's (imported last: they refer to users).
from ..balloting import models as _balloting  # noqa: E402,F401
