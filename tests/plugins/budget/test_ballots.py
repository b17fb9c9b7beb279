"""A budget ballot's text and rules (plugins/budget/ballots.py): plain Python."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.budget.ballots import (APPROVAL, BLANK, KNAPSACK, POINTS, BallotRules, BallotTextError, check,
                                    deserialise, serialise)

contents = st.dictionaries(st.integers(1, 999_999), st.integers(1, 999_999), max_size=30)


@given(contents, st.sampled_from([APPROVAL, POINTS]))
def test_the_text_gives_back_the_ballot(content, kind):
    if kind == APPROVAL:
        content = dict.fromkeys(content, 1)
    text = serialise(content, kind)
    assert "|" not in text and text.isascii()
    assert deserialise(text) == content


def test_the_text_is_written_in_order_and_a_blank_ballot_is_a_dash():
    assert serialise({12: 1, 3: 1, 7: 1}, APPROVAL) == "3.7.12"
    assert serialise({7: 5, 3: 2}, POINTS) == "3:2.7:5"
    assert serialise({}, APPROVAL) == BLANK
    assert deserialise(BLANK) == {}


@pytest.mark.parametrize("text", ["", "3..7", "0", "3.3", "a", "3:0", "03", "3|7", "3:2:1", "1234567"])
def test_a_text_that_is_no_ballot_is_refused(text):
    with pytest.raises(BallotTextError):
        deserialise(text)


def test_an_approval_ballot_between_its_minimum_and_maximum():
    rules = BallotRules(APPROVAL, {1: 100, 2: 200, 3: 300}, min_choices=1, max_choices=2)
    assert check(rules, {1: 1, 2: 1}).valid
    assert [p.code for p in check(rules, {}).problems] == ["too_few"]
    status = check(rules, {1: 1, 2: 1, 3: 1})
    assert [(p.code, p.limit, p.count) for p in status.problems] == [("too_many", 2, 3)]
    assert (status.chosen, status.cost) == (3, 600)
    assert [(p.code, p.numbers) for p in check(rules, {1: 1, 9: 1}).problems] == [("unknown", (9,))]


def test_toulouse_points_at_most_three_a_project_and_seven_in_all():
    rules = BallotRules(POINTS, {n: 1000 for n in range(1, 6)}, max_points_per_project=3, max_points=7)
    assert check(rules, {1: 3, 2: 3, 3: 1}).valid
    problems = check(rules, {1: 4, 2: 3, 3: 1}).problems
    assert [(p.code, p.limit) for p in problems] == [("points_per_project", 3), ("points_total", 7)]


def test_a_knapsack_ballot_spends_at_most_the_envelope():
    rules = BallotRules(KNAPSACK, {1: 600, 2: 500, 3: 300}, envelope=1000)
    assert check(rules, {2: 1, 3: 1}).valid
    assert [(p.code, p.count) for p in check(rules, {1: 1, 2: 1}).problems] == [("over_envelope", 1100)]


@given(st.dictionaries(st.integers(1, 8), st.integers(-2, 6), max_size=8), st.integers(0, 4),
       st.integers(0, 4), st.integers(1, 5), st.integers(1, 12))
def test_a_ballot_is_valid_exactly_when_it_keeps_every_rule(content, low, extra, per_project, total):
    costs = {n: 100 * n for n in range(1, 7)}
    rules = BallotRules(POINTS, costs, min_choices=low, max_choices=low + extra,
                        max_points_per_project=per_project, max_points=total)
    keeps = (all(n in costs and 0 < p <= per_project for n, p in content.items())
             and low <= len(content) <= low + extra and sum(content.values()) <= total)
    assert check(rules, content).valid == keeps
