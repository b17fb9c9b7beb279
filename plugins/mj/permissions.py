"""Who may do what with majority-judgment votes. Imported by the plug-in's ``init()``.

A vote belongs to an assembly or to a thematic circle. In an assembly, its facilitators
run votes and its participants vote; in a circle, the circle's facilitators (its co-leads
and facilitators, and the commune's facilitators) run votes, and the voters are the
circle's members or, if the vote says so, everyone with a role in the commune (and the
circle's members, who may hold no role in the commune itself).

Casting is a right of membership only: a site administrator without a role in the space
has no ballot (``membership_only``, here and in the balloting service's ``balloting.vote``). Results visibility is not a rule on purpose: ``can()``
lets site administrators do everything else, and nobody, administrators included, sees results before the close
unless the vote says so (see :func:`plugins.mj.status.results_visible`).
"""

from __future__ import annotations

from convergence.balloting import BY_CODES, Electorate, may_vote, members_of
from convergence.permissions import can, rule


def _facilitates(user, space) -> bool:
    if user is None or space is None:
        return False
    return can("space.facilitate", space, user=user)


@rule("mj.vote.create")
def _create(user, space) -> bool:
    """``space``: an assembly or a circle."""
    return _facilitates(user, space)


@rule("mj.vote.manage")
def _manage(user, vote) -> bool:
    return _facilitates(user, vote.space)


def electorate(vote) -> Electorate:
    """Who has a ballot (the balloting service's eligibility): the members of the vote's
    space, or of its commune too for a circle's vote open to the commune (the circle's own
    members stay in: a role in a circle is not a role in the commune), or code holders."""
    if vote.voters == "codes":
        return BY_CODES
    if vote.circle_id is not None:
        if vote.voters == "commune":
            return members_of(vote.circle.commune, vote.circle)
        return members_of(vote.circle) if vote.voters == "members" else Electorate()
    return members_of(vote.assembly) if vote.voters == "members" else Electorate()


@rule("mj.vote.cast", membership_only=True)
def _cast(user, vote) -> bool:
    # Votes by code are decided by the code in the session, not by a role.
    return may_vote(user, electorate(vote))


def voter(vote) -> tuple[int | None, int | None] | None:
    """(user id, code id) of whoever may cast a ballot in ``vote`` now, or None: in a vote
    by codes, the holder of the code typed on this device (kept in the session until the
    ballot is cast); otherwise the person logged in, if the rule ``mj.vote.cast`` lets them."""
    from flask_login import current_user

    from .voting_session import code_id

    if vote.voters == "codes":
        found = code_id(vote)
        return (None, found) if found else None
    if current_user.is_authenticated and can("mj.vote.cast", vote):
        return current_user.id, None
    return None
