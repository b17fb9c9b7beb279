"""The explanations of a result, checked by computing the rule again on the changed election:
with the suggested number of supporters the project is funded, with one fewer it is not;
at the suggested cost it is funded (or, when the bound is not reached, just below it), above
it it is not."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.budget import pabulib
from plugins.budget.allocation import (APPROVAL, POINTS, Election, EqualShares, Project, TieOrder, allocate,
                                       explain, greedy)
from plugins.budget.allocation.explain import EQUAL_SHARES, GREEDY

DATA = Path(__file__).parent / "data"
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(draw, kinds=(APPROVAL, POINTS)):
    kind = draw(st.sampled_from(kinds))
    n_projects = draw(st.integers(1, 6))
    costs = draw(st.lists(st.integers(0, 30), min_size=n_projects, max_size=n_projects))
    ballots = []
    for _ in range(draw(st.integers(1, 9))):
        chosen = draw(st.sets(st.integers(0, n_projects - 1), max_size=n_projects))
        ballots.append({i: 1 if kind == APPROVAL else draw(st.integers(1, 3)) for i in sorted(chosen)})
    budget = draw(st.integers(0, max(1, sum(costs))))
    projects = tuple(Project(f"p{i}", c) for i, c in enumerate(costs))
    return Election(budget, projects, tuple(ballots), kind), draw(st.text(max_size=3))


def with_supporters(e: Election, index: int, number: int, points) -> Election:
    return Election(e.budget, e.projects, e.ballots + ({index: points},) * number, e.kind)


def with_cost(e: Election, index: int, cost) -> Election:
    projects = tuple(Project(p.id, cost) if i == index else p for i, p in enumerate(e.projects))
    return Election(e.budget, projects, e.ballots, e.kind)


def new_points(e: Election, index: int) -> int:
    return 1 if e.kind == APPROVAL else max((b.get(index, 0) for b in e.ballots), default=1) or 1


def check_changes(e: Election, seed: str, index: int, why, funds) -> None:
    """``funds(changed election, its tie order) -> bool`` computes the rule again."""
    if why.more_supporters is not None:
        k = why.more_supporters
        points = new_points(e, index)
        changed = with_supporters(e, index, k, points)
        assert funds(changed, TieOrder(changed, seed)), ("more", k)
        if k > 0:
            fewer = with_supporters(e, index, k - 1, points)
            assert not funds(fewer, TieOrder(fewer, seed)), ("fewer", k - 1)
    if why.max_cost is not None:
        value, reached = why.max_cost.value, why.max_cost.reached
        assert value < e.projects[index].cost or (value == e.projects[index].cost and not reached)
        tiny = min(Fraction(1, 10**6), value / 2) if value > 0 else Fraction(1, 10**6)
        inside = value if reached else value - tiny
        if inside > 0 or reached:
            changed = with_cost(e, index, inside)
            assert funds(changed, TieOrder(changed, seed)), ("cost", inside)
        for above in ({value + tiny, value + 1} if reached else {value, value + tiny}):
            changed = with_cost(e, index, above)
            assert not funds(changed, TieOrder(changed, seed)), ("cost", above)


@pytest.mark.parametrize("rule", ["equalshares", "equalshares/add1"])
@SETTINGS
@given(case=elections())
def test_equal_shares_explanations_hold_when_computed_again(rule, case):
    e, seed = case
    ties = TieOrder(e, seed)
    result = allocate(e, rule, ties)
    whys = explain(e, result, ties)
    share = result.share
    rounds = [whys[i].round for i in result.funded]
    assert [r for r in rounds if r] == list(range(1, len([r for r in rounds if r]) + 1))
    for index, why in whys.items():
        assert why.method == EQUAL_SHARES and why.funded == (index in result.funded)
        if why.funded:
            assert why.payers is not None and 0 <= why.paid_all <= why.payers <= why.votes
            continue
        # What its supporters had: spent on funded projects, or left.
        assert sum(why.spent_on.values()) + why.money_left == share * why.votes
        assert set(why.spent_on) <= set(result.funded)
        check_changes(e, seed, index, why,
                      lambda changed, t: index in EqualShares(changed, t).run(share).funded)


@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip"])
@SETTINGS
@given(case=elections())
def test_greedy_explanations_hold_when_computed_again(rule, case):
    e, seed = case
    ties = TieOrder(e, seed)
    result = allocate(e, rule, ties)
    whys = explain(e, result, ties)
    skip = rule == "greedy"
    left = e.budget
    for index in sorted((i for i in whys if whys[i].money_left is not None), key=lambda i: whys[i].position):
        why = whys[index]  # in the order of the rule, each with what was left at its turn
        assert why.method == GREEDY and why.money_left == left
        if why.funded:
            left -= e.projects[index].cost
    assert e.budget - left == e.cost(result.funded)
    for index, why in whys.items():
        assert why.funded == (index in result.funded)
        if not why.funded:
            check_changes(e, seed, index, why, lambda changed, t: index in greedy(changed, t, skip=skip))


def test_greedy_wins_the_comparison_so_greedy_explains():
    """A comparison step that keeps greedy's outcome is explained as greedy."""
    projects = (Project("a", 6), Project("b", 4), Project("c", 4))
    ballots = ({0: 1}, {0: 1}, {0: 1}, {1: 1, 2: 1})
    e = Election(10, projects, ballots)
    result = allocate(e, "equalshares-comparison")
    whys = explain(e, result)
    assert {w.method for w in whys.values()} == ({GREEDY} if result.by_greedy else {EQUAL_SHARES})


def test_wieliczka_explanations_hold_when_computed_again():
    """On the real file: every unfunded project's numbers, checked at the published share."""
    pb = pabulib.load(DATA / "Poland_Wieliczka_2023_Green_Budget.pb")
    e = pabulib.election(pb)
    ties = TieOrder(e)
    result = allocate(e, "equalshares/add1", ties)
    whys = explain(e, result, ties)
    assert sum(w.funded for w in whys.values()) == 30
    first = next(w for w in whys.values() if w.round == 1)
    assert first.payers == first.votes and first.full_share == Fraction(first.cost, first.votes)
    unfunded = [i for i, w in whys.items() if not w.funded]
    # Three of them, fully (each check is a run of the rule on 6,586 ballots).
    for index in unfunded[:3]:
        check_changes(e, "", index, whys[index],
                      lambda changed, t: index in EqualShares(changed, t).run(result.share).funded)


def test_explanations_as_plain_data():
    e = Election(10, (Project("a", 6), Project("b", 5)), ({0: 1}, {0: 1}, {1: 1}))
    result = allocate(e, "equalshares")
    data = {i: w.as_dict() for i, w in explain(e, result).items()}
    assert data[0]["funded"] and data[0]["round"] == 1 and data[0]["price"] == "1/2"
    assert not data[1]["funded"] and data[1]["more_supporters"] >= 1
    assert isinstance(data[1]["max_cost"]["value"], str)
