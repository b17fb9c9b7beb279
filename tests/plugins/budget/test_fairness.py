"""The fairness figures against a recomputation voter by voter, the hash of the ballots, and
the rule's parameters as published."""

from __future__ import annotations

import hashlib
import json
import random
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.budget import pabulib
from plugins.budget.allocation import APPROVAL, POINTS, Election, Project, TieOrder, allocate, fairness, rule_parameters
from plugins.budget.ballots import ballots_hash, serialise

DATA = Path(__file__).parent / "data"


@st.composite
def cases(draw):
    kind = draw(st.sampled_from([APPROVAL, POINTS]))
    n = draw(st.integers(1, 7))
    projects = tuple(Project(draw(st.text(min_size=1, max_size=4)) + f"#{i}", draw(st.integers(0, 50)))
                     for i in range(n))
    ballots = tuple({i: 1 if kind == APPROVAL else draw(st.integers(0, 3))
                     for i in sorted(draw(st.sets(st.integers(0, n - 1))))}
                    for _ in range(draw(st.integers(0, 12))))
    funded = draw(st.sets(st.integers(0, n - 1)))
    return Election(draw(st.integers(0, 200)), projects, ballots, kind), funded


def brute_force(e: Election, funded):
    counted = hit = 0
    by_cost = by_count = Fraction(0)
    for ballot in e.ballots:
        mine = [i for i, points in ballot.items() if points > 0]
        if not mine:
            continue
        counted += 1
        got = [i for i in mine if i in funded]
        hit += bool(got)
        by_count += Fraction(len(got), len(mine))
        total = sum(e.projects[i].cost for i in mine)
        by_cost += Fraction(sum(e.projects[i].cost for i in got), total) if total else Fraction(len(got), len(mine))
    if not counted:
        return 0, 0, 0
    return Fraction(hit, counted), by_cost / counted, by_count / counted


@settings(max_examples=200, deadline=None)
@given(cases())
def test_fairness_equals_a_voter_by_voter_count(case):
    e, funded = case
    result = fairness(e, funded)
    assert (result.with_a_funded_project, result.cost_satisfaction, result.count_satisfaction) == brute_force(e, funded)
    for value in (result.with_a_funded_project, result.cost_satisfaction, result.count_satisfaction):
        assert 0 <= value <= 1
    assert result.voters == len(e.ballots)
    assert result.counted == sum(1 for b in e.ballots if any(p > 0 for p in b.values()))
    # Funding everything supported satisfies everybody who asked for something.
    everything = fairness(e, range(len(e.projects)))
    assert everything.counted == 0 or everything.with_a_funded_project == everything.count_satisfaction == 1


_CONTENTS = st.dictionaries(st.integers(1, 999_999), st.integers(1, 99), max_size=6)


@settings(max_examples=100, deadline=None)
@given(st.lists(_CONTENTS, max_size=12), st.sampled_from([APPROVAL, POINTS]), st.randoms(use_true_random=False))
def test_ballots_hash_ignores_the_order_of_casting_and_changes_with_a_ballot(contents, kind, rng: random.Random):
    texts = [serialise(content, kind) for content in contents]
    shuffled = list(texts)
    rng.shuffle(shuffled)
    assert ballots_hash(shuffled) == ballots_hash(texts)
    expected = "".join(t + "\n" for t in sorted(texts, key=str.encode))
    assert ballots_hash(texts) == hashlib.sha256(expected.encode()).hexdigest()
    assert ballots_hash(texts + ["-"]) != ballots_hash(texts)  # one more ballot, a blank one too


def test_figures_as_rounded_decimals():
    e = Election(10, (Project("a", 1), Project("b", 2)), ({0: 1}, {0: 1, 1: 1}, {1: 1}), APPROVAL)
    result = fairness(e, [0])
    assert result.cost_satisfaction == Fraction(4, 9) and result.count_satisfaction == Fraction(1, 2)
    assert result.as_dict() == {"voters": 3, "counted": 3, "with_a_funded_project": "0.666667",
                                "cost_satisfaction": "0.444444", "count_satisfaction": "0.500000"}
    assert result.as_dict(places=2)["with_a_funded_project"] == "0.67"


def test_rule_parameters_published_with_wieliczka():
    pb = pabulib.load(DATA / "Poland_Wieliczka_2023_Green_Budget.pb")
    e = pabulib.election(pb)
    ties = TieOrder(e, "tirage du 12 mai")
    result = allocate(e, "equalshares/add1-comparison", ties)
    data = rule_parameters(e, result, ties)
    json.dumps(data)  # plain data
    assert data["rule"] == "equalshares/add1-comparison"
    assert data["method"]["utilities"] == "cost" and data["method"]["completion"] == "add1"
    assert Fraction(data["method"]["share"]) == result.share and data["method"]["runs"] == result.runs
    assert data["method"]["comparison_count"]["kept"] == "equal shares"
    assert data["ties"]["lot"]["seed"] == "tirage du 12 mai" and sorted(data["ties"]["lot"]["order"]) == sorted(
        p.id for p in e.projects)
    assert data["ballots"] == 6586
    greedy = allocate(e, "greedy", ties)
    assert rule_parameters(e, greedy, ties)["method"] == {"name": "greedy", "by": "votes", "skip": True,
                                                           "threshold": None}


def test_wieliczka_equal_shares_beside_greedy():
    """The side-by-side panel: on Wieliczka, equal shares leaves fewer voters with nothing."""
    pb = pabulib.load(DATA / "Poland_Wieliczka_2023_Green_Budget.pb")
    e = pabulib.election(pb)
    mes, usual = fairness(e, allocate(e, "equalshares/add1").funded), fairness(e, allocate(e, "greedy").funded)
    assert mes.counted == usual.counted == sum(1 for b in e.ballots if b)
    assert mes.with_a_funded_project > usual.with_a_funded_project


def test_allocation_is_plain_python():
    """The engine, the explanations and the fairness figures import neither Flask nor the
    database nor the platform (a fresh interpreter, to see every module it loads)."""
    import subprocess
    import sys
    code = ("import sys; import plugins.budget.allocation as a; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy', 'convergence', 'werkzeug'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[3])
    assert out.stdout.strip() == "[]"
