"""Who may vote: an electorate, given by the plug-in that asks for the vote.

By default the electorate of a vote is the members of its space (an assembly's
participants, a circle's members, a commune's residents and role holders); a plug-in may
widen it to several spaces (a circle's vote open to its whole commune) or hand the vote to
holders of voting codes instead (people without accounts, printed sheets).

Voting is a right of membership only: the rule ``balloting.vote`` is ``membership_only``,
so a site administrator, who may run a vote, never votes in someone's place.
"""

from __future__ import annotations

from dataclasses import dataclass

from convergence.models import Space
from convergence.permissions import can, roles, rule
from convergence.spaces import kind_of, space_ref


@dataclass(frozen=True)
class Electorate:
    """The people a vote is for: the members of any of ``spaces``, or nobody by account
    when the vote is by codes (each code then gives one ballot, see ``voting codes``)."""

    spaces: tuple = ()
    by_codes: bool = False


def members_of(*spaces) -> Electorate:
    return Electorate(tuple(spaces))


BY_CODES = Electorate(by_codes=True)


def is_member(user, space) -> bool:
    """Whether ``user`` belongs to ``space`` (a Space or its owner, of any kind): the rule
    its kind names (``SpaceKind.membership_rule``), else holding a role there."""
    membership_rule = kind_of(space_ref(space).kind).membership_rule
    if membership_rule is None:
        return bool(roles(user, space))
    return can(membership_rule, space.owner if isinstance(space, Space) else space, user=user)


@rule("balloting.vote", membership_only=True)
def _vote(user, electorate: Electorate) -> bool:
    if user is None or electorate.by_codes:
        return False
    return any(is_member(user, space) for space in electorate.spaces)


def may_vote(user, electorate: Electorate) -> bool:
    """Whether this person has a ballot in a vote for this electorate."""
    return can("balloting.vote", electorate, user=user)
