"""Who may do what in participatory budgeting (all the plug-in's rules; imported by the
plug-in's ``init()``)."""

from __future__ import annotations

from convergence.permissions import can, rule

# -- pb-ballots: ballots, voting codes, paper sheets -------------------------------------


@rule("budget.ballot.cast", membership_only=True)
def _cast(user, process) -> bool:
    """A member of the process's space casts with their account (membership only: a site
    administrator has no ballot in someone's place); code holders are let in by their code
    (``casting.voter``), not by this rule."""
    from convergence.balloting import may_vote

    from .casting import electorate

    return process.voters != "codes" and may_vote(user, electorate(process))


@rule("budget.ballot.manage")
def _manage_ballots(user, process) -> bool:
    """Voting codes and paper sheets: the facilitators of the process's space."""
    return user is not None and can("space.facilitate", process.space, user=user)
