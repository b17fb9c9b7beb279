"""The allocation engine on elections small enough to check by hand, and its fast Method of
Equal Shares against a plain one written here voter by voter."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.budget.allocation import (APPROVAL, POINTS, Election, EqualShares, Project, TieOrder, allocate,
                                       equal_shares, equal_shares_add1, greedy, lot)


def election(budget, costs, ballots, kind=APPROVAL):
    projects = tuple(Project(name, cost) for name, cost in costs.items())
    index = {p.id: i for i, p in enumerate(projects)}
    if kind == APPROVAL:
        rows = tuple({index[p]: 1 for p in b} for b in ballots)
    else:
        rows = tuple({index[p]: v for p, v in b.items()} for b in ballots)
    return Election(budget, projects, rows, kind)


def funded(e, indexes):
    return [e.projects[i].id for i in indexes]


def test_greedy_skips_what_no_longer_fits_and_no_skip_stops():
    e = election(10, {"A": 6, "B": 5, "C": 4}, [["A", "B", "C"], ["A", "B"], ["A"]])
    assert funded(e, greedy(e)) == ["A", "C"]
    assert funded(e, greedy(e, skip=False)) == ["A"]
    assert funded(e, greedy(e, threshold=3)) == ["A"]  # B (2 votes) and C (1) are under the threshold


def test_ties_lowest_cost_then_most_votes_then_lot():
    # Greedy by votes: A and B tie at 2 votes, B is cheaper.
    e = election(5, {"A": 5, "B": 4}, [["A", "B"], ["A", "B"]])
    assert funded(e, greedy(e)) == ["B"]
    # Same cost: the lot decides, and the lot is the one published for the seed.
    e = election(5, {"A": 5, "B": 5}, [["A", "B"]])
    for seed in ("x", "y", "z", "2026"):
        first = lot(["A", "B"], seed)[0]
        assert funded(e, greedy(e, TieOrder(e, seed))) == [first]
    assert {lot(["A", "B"], s)[0] for s in map(str, range(20))} == {"A", "B"}  # both can win the lot
    # MES, equal price per unit of utility: the project with more votes first.
    e = election(4, {"A": 2, "B": 2}, [["A", "B"], ["A"], ["B"], ["B"]])
    assert funded(e, equal_shares(e).funded)[0] == "B"


def test_lot_is_reproducible_from_the_seed():
    ids = [str(i) for i in range(30)]
    assert lot(ids, "conseil du 3 mars") == lot(list(reversed(ids)), "conseil du 3 mars")
    assert lot(ids, "conseil du 3 mars") != lot(ids, "conseil du 4 mars")


def test_equal_shares_is_proportional_where_greedy_is_not():
    """60 % of voters want the park projects, 40 % the library projects: greedy gives
    everything to the majority, equal shares about 60/40."""
    costs = {f"park{i}": 10 for i in range(6)} | {f"lib{i}": 10 for i in range(6)}
    ballots = [[f"park{i}" for i in range(6)]] * 6 + [[f"lib{i}" for i in range(6)]] * 4
    e = election(60, costs, ballots)
    assert sorted(funded(e, greedy(e))) == sorted(f"park{i}" for i in range(6))
    mes = funded(e, equal_shares(e).funded)
    assert sum(p.startswith("park") for p in mes) == 3 and sum(p.startswith("lib") for p in mes) == 2
    completed = funded(e, equal_shares_add1(e).funded)
    assert sum(p.startswith("park") for p in completed) == 4 and sum(p.startswith("lib") for p in completed) == 2


def test_exact_arithmetic_on_thirds():
    """Three voters share 1 each; a project of cost 1 bought by all three costs each 1/3.
    Floats would leave 0.6666666666666667 + 0.3333333333333333 ≠ 1 — here it is exact, and a
    second project of cost 2 is exactly affordable by what is left."""
    e = election(3, {"A": 1, "B": 2}, [["A", "B"]] * 3)
    outcome = equal_shares(e)
    assert funded(e, outcome.funded) == ["A", "B"]
    assert e.cost(outcome.funded) == 3


def test_add1_keeps_the_last_outcome_within_the_envelope():
    e = election(100, {"A": 60, "B": 50, "C": 40}, [["A"], ["A"], ["B", "C"], ["C"]])
    outcome = equal_shares_add1(e)
    assert e.cost(outcome.funded) <= 100
    # The next share up would overspend.
    engine = EqualShares(e)
    assert e.cost(engine.run(outcome.share + 1).funded) > 100 or len(outcome.funded) == 3


def test_points_utilities_are_proportional_to_points():
    # Two voters, same share; one gives 3 points to A, the other 1 point to A and 2 to B.
    e = election(10, {"A": 6, "B": 4}, [{"A": 3}, {"A": 1, "B": 2}], POINTS)
    assert funded(e, greedy(e)) == ["A", "B"]
    assert set(funded(e, equal_shares(e).funded)) <= {"A", "B"}


def test_rules_by_pabulib_name():
    e = election(10, {"A": 6, "B": 5, "C": 4}, [["A", "B", "C"], ["A", "B"], ["A"], ["C"]])
    assert allocate(e, "greedy").rule == "greedy"
    assert allocate(e, "greedy-no-skip").funded == tuple(greedy(e, skip=False))
    with_comparison = allocate(e, "equalshares/add1-comparison")
    assert with_comparison.comparison is not None
    assert with_comparison.cost <= 10


# -- the fast engine against a plain Method of Equal Shares --------------------------------
def plain_equal_shares(e: Election, share, ties: TieOrder):
    """Voter by voter, Fractions, every project priced again at every round."""
    money = [Fraction(share)] * len(e.ballots)
    chosen = [i for i, p in enumerate(e.projects) if p.cost == 0 and e.votes(i)]
    remaining = [i for i, p in enumerate(e.projects) if p.cost > 0 and e.votes(i)]
    while True:
        best = None
        for i in remaining:
            payers = [(money[v], e.utility(v, i)) for v in e.supporters(i)]
            if sum(m for m, _ in payers) < e.projects[i].cost:
                continue
            low, high = Fraction(0), Fraction(e.projects[i].cost, min(u for _, u in payers))
            # Σ min(m, ρu) is increasing in ρ: find ρ exactly by walking the breakpoints.
            points = sorted({m / u for m, u in payers} | {high})
            for bound in points:
                if sum(min(m, bound * u) for m, u in payers) >= e.projects[i].cost:
                    high = bound
                    break
                low = bound
            poor = [(m, u) for m, u in payers if m / u <= low]
            rich = [(m, u) for m, u in payers if m / u > low]
            rho = Fraction(e.projects[i].cost - sum(m for m, _ in poor)) / sum(u for _, u in rich)
            if best is None or (rho, ties.key(i)) < (best[0], ties.key(best[1])):
                best = (rho, i)
        if best is None:
            return chosen
        rho, i = best
        for v in e.supporters(i):
            money[v] -= min(money[v], rho * e.utility(v, i))
        chosen.append(i)
        remaining.remove(i)


@st.composite
def random_elections(draw):
    n_projects = draw(st.integers(1, 7))
    kind = draw(st.sampled_from([APPROVAL, POINTS]))
    costs = {f"p{i}": draw(st.integers(0, 40)) for i in range(n_projects)}
    ballots = []
    for _ in range(draw(st.integers(1, 14))):
        chosen = draw(st.sets(st.sampled_from(sorted(costs)), max_size=n_projects))
        ballots.append(sorted(chosen) if kind == APPROVAL else {p: draw(st.integers(1, 4)) for p in sorted(chosen)})
    return election(draw(st.integers(0, 120)), costs, ballots, kind), draw(st.text(max_size=3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_elections(), st.randoms(use_true_random=False))
def test_fast_engine_equals_plain_one_in_any_order_of_shares(case, rng: random.Random):
    e, seed = case
    ties = TieOrder(e, seed)
    engine = EqualShares(e, ties)
    base = Fraction(e.budget, len(e.ballots))
    shares = [base + k for k in range(12)] + [base / 3, Fraction(7, 3)]
    rng.shuffle(shares)
    for share in shares:  # one engine, shares in any order: the cached structure must not leak
        assert engine.run(share).funded == tuple(plain_equal_shares(e, share, ties)), share


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_elections())
def test_add1_as_defined(case):
    """Raise the share by 1 while within the envelope; keep the last such outcome."""
    e, seed = case
    ties = TieOrder(e, seed)
    result = equal_shares_add1(e, ties)
    share = Fraction(e.budget, len(e.ballots))
    previous = None
    supported = sum(1 for i in range(len(e.projects)) if e.votes(i))
    while True:
        now = plain_equal_shares(e, share, ties)
        if e.cost(now) > e.budget:
            expected = previous
            break
        if len(now) == supported:
            expected = now
            break
        previous, share = now, share + 1
    assert list(result.funded) == expected
    assert e.cost(result.funded) <= e.budget
