"""Who may do what in participatory budgeting: every rule of the plug-in, registered when
its ``init()`` imports this module. Each branch of the plug-in adds its own rules in a
clearly separate block at the end, one function each.

Targets: a process's space (a Space, or its Commune/Assembly/Circle) for creating a
process; a :class:`~plugins.budget.models.Process` for running it, submitting, reviewing
and deciding; a :class:`~plugins.budget.models.Project` for supporting and commenting.

==================  ======================================================================
budget.manage       The facilitators of the process's space (a commune's facilitators in
                    its assemblies and circles too): create and edit processes, their
                    calendar and rules, merge duplicates, review.
budget.submit       A member of the process's space (any role there; in an assembly the
                    commune's members too): submit a project. The dépôt phase being open
                    is the service's check, with its own message (projects.submit).
budget.review       ``budget.manage``, or a member of the process's review circle
                    (``Process.review_circle``): study feasibility.
budget.support      A member of the space, on a project still standing (not merged,
                    not withdrawn); membership only: a site administrator never supports
                    in someone's place.
budget.comment      A member of the space, on a project not merged (its discussion goes on
                    in the one it was merged into).
budget.results.view  Anyone: the results page (before publication it only says where the count is).
budget.results.manage  ``budget.manage``: compute again, publish the result.
budget.import       ``budget.manage``: import a Pabulib file into a process before its vote.
budget.follow_up    The process's facilitators and the commune's elected members: keep
                    the follow-up of the funded projects.
budget.ballot.cast  A member of the space, when the process is not by codes only
                    (membership only); code holders come in by their code.
budget.ballot.manage  ``budget.manage``: voting codes and paper sheets.
budget.roll.keep    ``budget.ballot.manage``: the registers of the polling places
                    (émargement), see roll.py.
budget.decide       The elected members of the process's commune (its ``elected`` role,
                    convergence/models/memberships.py): they record the council decision
                    (délibération). Membership only: running the site is not being elected.
==================  ======================================================================
"""

from __future__ import annotations

from convergence.participation.permissions import moderators
from convergence.permissions import can, commune_roles, facilitates, roles, rule

from .models import MERGED, WITHDRAWN


def _space(target):
    """The space a rule is about: a process's, or the space (or its owner) given."""
    return target.space if hasattr(target, "box_id") else target


def is_member(user, space) -> bool:
    return user is not None and bool(roles(user, space))


@rule("budget.manage")
def _manage(user, target) -> bool:
    return user is not None and facilitates(user, _space(target))


@rule("budget.submit")
def _submit(user, process) -> bool:
    return is_member(user, process.space)


@rule("budget.review")
def _review(user, process) -> bool:
    if user is None:
        return False
    if facilitates(user, process.space):
        return True
    circle = process.review_circle
    return circle is not None and can("circle.member", circle, user=user)


@rule("budget.support", membership_only=True)
def _support(user, project) -> bool:
    return project.status not in (MERGED, WITHDRAWN) and is_member(user, project.process.space)


@rule("budget.comment")
def _comment(user, project) -> bool:
    return project.merged_into_id is None and is_member(user, project.process.space)


@rule("budget.decide", membership_only=True)
def _decide(user, process) -> bool:
    """The élu·e·s: the ``elected`` role held in the process's commune itself."""
    return user is not None and "elected" in commune_roles(user, process.commune_id)


@moderators("budget")
def _facilitators_moderate(user, project) -> bool:
    return facilitates(user, project.process.space)


# -- ballots, voting codes, paper sheets (pb-ballots) -------------------------------------


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
    return user is not None and facilitates(user, process.space)

# -- results, exports and the .pb import (pb-results) ----------------------------------------
# The results page is public (what it shows before publication is only the state of the
# count, see views/results.py); computing again, publishing and importing a .pb file are the
# facilitators' (the space's facilitators, and the commune's for an assembly or circle).

@rule("budget.results.view")
def _results_view(_user, _process) -> bool:
    return True


@rule("budget.results.manage")
def _results_manage(user, process) -> bool:
    return user is not None and facilitates(user, process.space)


@rule("budget.import")
def _import(user, process) -> bool:
    return user is not None and facilitates(user, process.space)

# -- pb-decision ---------------------------------------------------------------------------
# The délibération is the council's act (``budget.decide`` above); the follow-up of the
# funded projects is kept by those who run the process and those who answer for the works.


@rule("budget.follow_up")
def _follow_up(user, process) -> bool:
    """Keep the follow-up of the funded projects: the process's facilitators and the
    commune's elected members."""
    if user is None:
        return False
    return "elected" in commune_roles(user, process.commune_id) or facilitates(user, process.space)

# -- the registers of the polling places (pb-roll) ------------------------------------------


@rule("budget.roll.keep")
def _keep_roll(user, process) -> bool:
    """Keep a polling place's register (« liste d'émargement »): look people up, mark them
    as having voted there, count the voters without account nor code, close it. The people
    who type the paper sheets: the facilitators of the process's space. A resident never
    marks anyone, not even themselves."""
    return can("budget.ballot.manage", process, user=user)
