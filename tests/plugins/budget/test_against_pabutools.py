"""The engine against pabutools 1.2.3, the reference implementation of Pabulib's authors, on
random small elections (hypothesis). Ties are broken the same way in both: our tie order
(lowest cost, most votes, lot) handed to pabutools as its tie-breaking rule."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabutools.election import (ApprovalBallot, ApprovalProfile, Cost_Sat, CumulativeBallot, CumulativeProfile,
                                Instance)
from pabutools.election import Project as PabuProject
from pabutools.election.satisfaction import Additive_Cardinal_Sat, AdditiveSatisfaction
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from plugins.budget.allocation import APPROVAL, POINTS, Election, Project, TieOrder, equal_shares, equal_shares_add1, greedy

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(draw, kind=APPROVAL):
    n_projects = draw(st.integers(1, 6))
    costs = draw(st.lists(st.integers(1, 30), min_size=n_projects, max_size=n_projects))
    n_voters = draw(st.integers(1, 9))
    ballots = []
    for _ in range(n_voters):
        chosen = draw(st.sets(st.integers(0, n_projects - 1), max_size=n_projects))
        if kind == APPROVAL:
            ballots.append(dict.fromkeys(sorted(chosen), 1))
        else:
            ballots.append({i: draw(st.integers(1, 3)) for i in sorted(chosen)})
    # pabutools funds what nobody voted for when it fits, we never do: every project has a voter.
    supported = sorted({i for b in ballots for i in b})
    if not supported:
        supported = [0]
        ballots[0] = {0: 1}
    renumber = {old: new for new, old in enumerate(supported)}
    projects = tuple(Project(f"p{new}", costs[old]) for old, new in renumber.items())
    ballots = tuple({renumber[i]: v for i, v in b.items()} for b in ballots)
    budget = draw(st.integers(0, sum(p.cost for p in projects)))
    seed = draw(st.text(max_size=4))
    return Election(budget, projects, ballots, kind), seed


def pabutools_election(election: Election, ties: TieOrder):
    projects = [PabuProject(p.id, p.cost) for p in election.projects]
    instance = Instance(projects, budget_limit=election.budget)
    if election.kind == APPROVAL:
        profile = ApprovalProfile([ApprovalBallot({projects[i] for i in b}) for b in election.ballots])
    else:
        profile = CumulativeProfile([CumulativeBallot({projects[i]: v for i, v in b.items()})
                                     for b in election.ballots])
    index = {p.id: i for i, p in enumerate(election.projects)}
    tie_breaking = TieBreakingRule(lambda inst, prof, project: ties.key(index[project.name]))
    return instance, profile, tie_breaking


def ids(election, funded):
    return sorted(election.projects[i].id for i in funded)


def names(outcome):
    return sorted(p.name for p in outcome)


class CostTimesPoints(AdditiveSatisfaction):
    """A project is worth its points times its cost: greedy then ranks by points."""

    def __init__(self, instance, profile, ballot):
        super().__init__(instance, profile, ballot,
                         lambda inst, prof, bal, project, pre: Fraction(bal.get(project, 0)) * project.cost)


@pytest.mark.parametrize("kind", [APPROVAL, POINTS])
@SETTINGS
@given(data=st.data())
def test_greedy(kind, data):
    """By votes for approval (Cost_Sat: a project's density is its number of votes), by points
    for points ballots (a satisfaction of points × cost: its density is its points)."""
    election, seed = data.draw(elections(kind))
    ties = TieOrder(election, seed)
    instance, profile, tie_breaking = pabutools_election(election, ties)
    sat = Cost_Sat if kind == APPROVAL else CostTimesPoints
    expected = greedy_utilitarian_welfare(instance, profile, sat_class=sat, tie_breaking=tie_breaking)
    assert ids(election, greedy(election, ties)) == names(expected)


@pytest.mark.parametrize("add1", [False, True], ids=["equal-shares", "add1"])
@pytest.mark.parametrize("kind", [APPROVAL, POINTS])
@SETTINGS
@given(data=st.data())
def test_equal_shares(kind, add1, data):
    """Cost utilities for approval (Cost_Sat), points for points ballots (Additive_Cardinal_Sat).
    pabutools' add1 also stops at the first exhaustive outcome: compared with that option."""
    election, seed = data.draw(elections(kind))
    ties = TieOrder(election, seed)
    instance, profile, tie_breaking = pabutools_election(election, ties)
    sat = Cost_Sat if kind == APPROVAL else Additive_Cardinal_Sat
    if add1:
        expected = method_of_equal_shares(instance, profile, sat_class=sat, tie_breaking=tie_breaking,
                                          voter_budget_increment=1)
        ours = equal_shares_add1(election, ties, stop_when_exhaustive=True).funded
    else:
        expected = method_of_equal_shares(instance, profile, sat_class=sat, tie_breaking=tie_breaking)
        ours = equal_shares(election, ties).funded
    if add1:
        assert ids(election, ours) == names(expected)
    else:  # in the same order, round by round
        assert [election.projects[i].id for i in ours] == [p.name for p in expected]
