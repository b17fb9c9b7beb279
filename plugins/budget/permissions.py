"""Who may do what with participatory budgets. Imported by the plug-in's ``init()``, which
registers the rules (convergence/permissions.py decides)."""

from __future__ import annotations

from convergence.permissions import can, commune_roles, rule

# -- the council decision and the follow-up (pb-decision) ---------------------------------
# The délibération is the municipal council's act: only the commune's elected members
# record it. Running the site gives no seat on the council, so a site administrator
# without the role does not record it either (``membership_only``).


def _elected(user, process) -> bool:
    return user is not None and "elected" in commune_roles(user, process.commune_id)


@rule("budget.decide", membership_only=True)
def _decide(user, process) -> bool:
    """``process``: a Process; the commune's elected members record its decision."""
    return _elected(user, process)


@rule("budget.follow_up")
def _follow_up(user, process) -> bool:
    """Keep the follow-up of the funded projects: the process's facilitators (who run it)
    and the commune's elected members (who answer for the works)."""
    if user is None:
        return False
    return _elected(user, process) or can("space.facilitate", process.space, user=user)
