"""Tests of the majority-judgment engine: official cases, real data, properties."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.mj.ballots_file import load
from plugins.mj.engine import (
    DEFAULT_GRADES,
    MAX_GRADES,
    NoJudgmentsError,
    TallyError,
    majority_grade,
    majority_value,
    rank,
    tally_ballots,
)

DATA = Path(__file__).parent / "data"
# No example database, so a run does not depend on earlier failures (Hypothesis still
# keeps a small self-gitignored .hypothesis/ cache in the working directory).
PROPERTIES = settings(max_examples=200, deadline=None, database=None)

# --------------------------------------------------------------------------
# Mieux Voter's 9 cross-library cases
# --------------------------------------------------------------------------

CASES = json.loads((DATA / "mieuxvoter_ts_assertions.json").read_text(encoding="utf-8"))
# Their mode names -> ours; no mode means "balanced" (every tally sums to participants).
MODES = {None: "balanced", "StaticDefault": "static", "MedianDefault": "median", "Normalized": "normalized"}


def test_all_nine_cases_are_there():
    assert len(CASES) == 9


@pytest.mark.parametrize("case", CASES, ids=[case["title"] for case in CASES])
def test_mieuxvoter_assertions(case):
    result = rank(
        dict(enumerate(case["tallies"])),
        participants=case["participants"],
        missing=MODES[case.get("mode")],
        default_grade=case.get("default", 0),  # "Feedback from Paris" has StaticDefault without default
    )
    assert list(result.ranks().values()) == case["ranks"]


@pytest.mark.parametrize(
    "case", [c for c in CASES if "mode" not in c], ids=lambda c: c["title"]
)
def test_balanced_cases_rank_the_same_under_the_default_policy(case):
    result = rank(dict(enumerate(case["tallies"])), participants=case["participants"])
    assert list(result.ranks().values()) == case["ranks"]


# --------------------------------------------------------------------------
# Orsay 2007, real ballots
# --------------------------------------------------------------------------

ORSAY_ORDER = [
    "Bayrou", "Royal", "Sarkozy", "Voynet", "Besancenot", "Buffet",
    "Bové", "Laguiller", "Nihous", "de Villiers", "Schivardi", "Le Pen",
]


@pytest.fixture(scope="module")
def orsay():
    tallies: dict[str, list[int]] = {}
    participants = 0
    for path in sorted(DATA.glob("bureau_*.csv")):
        data = load(path)
        participants += data.participants
        for name, counts in data.tallies.items():
            tallies[name] = [a + b for a, b in zip(tallies.get(name, [0] * len(counts)), counts)]
    return tallies, participants


def test_orsay_data_size(orsay):
    tallies, participants = orsay
    assert participants == 559 + 601 + 573 == 1733
    assert sorted(tallies) == sorted(ORSAY_ORDER)
    assert all(len(counts) == 6 for counts in tallies.values())  # grades 1..6


def test_orsay_published_order(orsay):
    tallies, participants = orsay
    result = rank(tallies, participants=participants)  # 0 = no opinion = missing = worst
    assert [r.option for r in result.ranking] == ORSAY_ORDER
    assert [r.rank for r in result.ranking] == list(range(1, 13))
    # File scale 1..6 = À rejeter..Très bien -> indexes 0..5; "Assez bien" is 4 in the file.
    assert DEFAULT_GRADES[3] == "Assez bien"
    for name in ("Bayrou", "Royal", "Sarkozy"):
        assert result[name].majority_grade == 3
        assert result[name].total == 1733


# --------------------------------------------------------------------------
# Unit behaviour
# --------------------------------------------------------------------------


def test_default_grades_worst_first():
    assert len(DEFAULT_GRADES) == 7
    assert DEFAULT_GRADES[0] == "À rejeter" and DEFAULT_GRADES[6] == "Excellent"


@pytest.mark.parametrize(
    "counts, grade",
    [
        ([1, 1, 1, 1], 1),  # even: worse of the two middle grades
        ([1, 1, 1], 1),
        ([0, 2, 2], 1),
        ([3, 0, 0, 4], 3),
        ([4, 0, 0, 4], 0),
        ([0, 0, 5], 2),
    ],
)
def test_majority_grade_is_lower_median(counts, grade):
    assert majority_grade(counts) == grade


def test_contestation_wins_when_groups_are_equal():
    result = rank({"spread": [1, 1, 1], "flat": [0, 3, 0], "up": [0, 2, 1]})
    assert result.ranks() == {"spread": 3, "flat": 2, "up": 1}
    spread = result["spread"]
    assert (spread.majority_grade, spread.adhesion, spread.contestation) == (1, 1, 1)


def test_larger_group_decides():
    # Same majority grade 2: adhesion 3 > contestation 2 beats contestation 3 > adhesion 2.
    result = rank({"a": [1, 2, 2, 1, 1], "b": [0, 2, 2, 2, 1]})
    assert result.ranks() == {"a": 2, "b": 1}


def test_tie_broken_after_merging_median_votes():
    # Same gauge (grade 1, adhesion 2) but the adhesion of "b" sits higher.
    a, b = [1, 2, 2, 0], [1, 2, 0, 2]
    assert majority_value(a)[0] == majority_value(b)[0] == (1, 2)
    assert rank({"a": a, "b": b}).ranks() == {"a": 2, "b": 1}


def test_shared_ranks_skip_places():
    result = rank({"w": [0, 0, 3], "x": [0, 3, 0], "y": [0, 3, 0], "z": [3, 0, 0]})
    assert [(r.option, r.rank) for r in result.ranking] == [("w", 1), ("x", 2), ("y", 2), ("z", 4)]
    assert [r.option for r in result.winners] == ["w"]


def test_ties_keep_input_order():
    result = rank({"b": [1, 1], "a": [1, 1], "c": [0, 2]})
    assert [r.option for r in result.ranking] == ["c", "b", "a"]


def test_missing_policies():
    tallies = {"a": [0, 2, 2], "b": [0, 0, 1]}
    worst = rank(tallies, participants=4)
    assert worst["b"].tally == (3, 0, 1) and worst["b"].majority_grade == 0
    static = rank(tallies, participants=4, missing="static", default_grade=1)
    assert static["b"].tally == (0, 3, 1)
    median = rank(tallies, participants=4, missing="median")
    assert median["b"].tally == (0, 0, 4) and median.ranks() == {"a": 2, "b": 1}
    normalized = rank({"a": [1, 1, 0], "b": [0, 1, 2]}, missing="normalized")
    assert normalized["a"].tally == (3, 3, 0) and normalized["b"].tally == (0, 2, 4)
    with pytest.raises(TallyError, match="unbalanced"):
        rank(tallies, participants=4, missing="balanced")
    assert rank({"a": [1, 1], "b": [0, 2]}, missing="balanced").participants == 2


def test_median_and_normalized_without_any_judgment_use_default_grade():
    assert rank({"a": [1, 1], "b": [0, 0]}, missing="median", default_grade=1)["b"].tally == (0, 2)
    assert rank({"a": [1, 2], "b": [0, 0]}, missing="normalized")["b"].tally == (3, 0)


def test_result_details():
    result = rank({"a": [1, 2, 1], "b": [2, 0, 2]}, participants=5)
    a = result["a"]
    assert a.tally == (2, 2, 1) and a.total == 5
    assert (a.majority_grade, a.adhesion, a.contestation) == (1, 1, 2)
    assert a.proportions == (Fraction(2, 5), Fraction(2, 5), Fraction(1, 5))
    assert a.percentages == (40.0, 40.0, 20.0)
    assert (result.n_grades, result.participants, result.missing) == (3, 5, "worst")
    with pytest.raises(KeyError):
        result["nope"]


def test_exact_with_huge_counts():
    big = 10**30
    result = rank({"a": [big, big + 1], "b": [big + 1, big]})
    assert result.ranks() == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"tallies": {}}, "no option"),
        ({"tallies": {"a": [1, -1]}}, "negative count"),
        ({"tallies": {"a": [1, 1.5]}}, "not an integer count"),
        ({"tallies": {"a": [1, True]}}, "not an integer count"),
        ({"tallies": {"a": [1, 2], "b": [1, 2, 3]}}, "3 grades, other options have 2"),
        ({"tallies": {"a": [1]}}, "2 to 10 grades"),
        ({"tallies": {"a": [1] * 11}}, "2 to 10 grades"),
        ({"tallies": {"a": [3, 3]}, "participants": 5}, "6 judgments for only 5 participants"),
        ({"tallies": {"a": [1, 1]}, "participants": -1}, "negative"),
        ({"tallies": {"a": [1, 1]}, "missing": "nope"}, "unknown missing-judgment policy"),
        ({"tallies": {"a": [1, 1]}, "missing": "static", "default_grade": 2}, "not on the 0..1 scale"),
    ],
)
def test_rank_errors(kwargs, message):
    tallies = kwargs.pop("tallies")
    with pytest.raises(TallyError, match=message):
        rank(tallies, **kwargs)


def test_no_judgment_at_all():
    with pytest.raises(NoJudgmentsError):
        rank({"a": [0, 0], "b": [0, 0]})
    with pytest.raises(NoJudgmentsError):
        rank({"a": [0, 0]}, participants=0, missing="normalized")
    with pytest.raises(NoJudgmentsError):
        majority_grade([0, 0, 0])
    assert issubclass(NoJudgmentsError, TallyError) and issubclass(TallyError, ValueError)


def test_tally_ballots():
    assert tally_ballots([[0, None], [2, 1], [2, 2]], 2, 3) == [[1, 0, 2], [0, 1, 1]]
    with pytest.raises(TallyError, match="ballot 2: 1 grades for 2 options"):
        tally_ballots([[0, 1], [0]], 2, 3)
    with pytest.raises(TallyError, match="ballot 1, option 1: 3 is not a grade index 0..2"):
        tally_ballots([[0, 3]], 2, 3)
    with pytest.raises(TallyError, match="grade index"):
        tally_ballots([[0, -1]], 2, 3)
    with pytest.raises(TallyError, match="2 to 10 grades"):
        tally_ballots([], 2, MAX_GRADES + 1)


# --------------------------------------------------------------------------
# Properties, against an independent brute-force majority value
# --------------------------------------------------------------------------


def brute_majority_value(grades: list[int]) -> tuple[int, ...]:
    """Balinski–Laraki majority value: remove the lower median one judgment at a time."""
    rest = sorted(grades)
    sequence = []
    while rest:
        sequence.append(rest.pop((len(rest) - 1) // 2))
    return tuple(sequence)


def brute_ranks(columns: list[list[int]]) -> list[int]:
    values = [brute_majority_value(column) for column in columns]
    return [1 + sum(other > value for other in values) for value in values]


@st.composite
def elections(draw, allow_missing=True, min_voters=1):
    n_grades = draw(st.integers(2, 7))
    n_options = draw(st.integers(1, 5))
    grade = st.integers(0, n_grades - 1)
    if allow_missing:
        grade = st.one_of(grade, st.none())
    ballots = draw(
        st.lists(st.lists(grade, min_size=n_options, max_size=n_options), min_size=min_voters, max_size=40)
    )
    return n_grades, n_options, ballots


def ranks_of(ballots, n_options, n_grades, **kwargs) -> list[int]:
    tallies = tally_ballots(ballots, n_options, n_grades)
    result = rank(dict(enumerate(tallies)), participants=len(ballots), **kwargs)
    return list(result.ranks().values())


@PROPERTIES
@given(elections())
def test_order_is_the_majority_value_order(election):
    n_grades, n_options, ballots = election
    # Missing judgments count as the worst grade.
    columns = [[0 if b[i] is None else b[i] for b in ballots] for i in range(n_options)]
    assert ranks_of(ballots, n_options, n_grades) == brute_ranks(columns)


@PROPERTIES
@given(elections(), st.data())
def test_median_policy_matches_brute_force(election, data):
    n_grades, n_options, ballots = election
    columns = []
    for i in range(n_options):
        given_grades = [b[i] for b in ballots if b[i] is not None]
        fill = sorted(given_grades)[(len(given_grades) - 1) // 2] if given_grades else 0
        columns.append(given_grades + [fill] * (len(ballots) - len(given_grades)))
    assert ranks_of(ballots, n_options, n_grades, missing="median") == brute_ranks(columns)


@PROPERTIES
@given(elections(), st.randoms(use_true_random=False))
def test_shuffling_ballots_changes_nothing(election, rnd):
    n_grades, n_options, ballots = election
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert ranks_of(shuffled, n_options, n_grades) == ranks_of(ballots, n_options, n_grades)


@PROPERTIES
@given(elections(allow_missing=False), st.data())
def test_raising_grades_never_lowers_rank(election, data):
    n_grades, n_options, ballots = election
    target = data.draw(st.integers(0, n_options - 1))
    raised = []
    for ballot in ballots:
        ballot = list(ballot)
        if data.draw(st.booleans()):
            ballot[target] = data.draw(st.integers(ballot[target], n_grades - 1))
        raised.append(ballot)
    before = ranks_of(ballots, n_options, n_grades)
    after = ranks_of(raised, n_options, n_grades)
    assert after[target] <= before[target]
    # ... and the others can only lose ground.
    assert all(after[i] >= before[i] for i in range(n_options) if i != target)


@st.composite
def tally_sets(draw):
    n_grades = draw(st.integers(2, 7))
    total = draw(st.integers(1, 30))
    n_options = draw(st.integers(1, 6))
    tallies = []
    for _ in range(n_options):
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=n_grades - 1, max_size=n_grades - 1)))
        bounds = [0, *cuts, total]
        tallies.append([bounds[g + 1] - bounds[g] for g in range(n_grades)])
    return tallies


@PROPERTIES
@given(tally_sets(), st.data())
def test_identical_tallies_share_a_rank(tallies, data):
    copy_of = data.draw(st.integers(0, len(tallies) - 1))
    options = {f"o{i}": t for i, t in enumerate(tallies)}
    options["copy"] = list(tallies[copy_of])
    ranks = rank(options).ranks()
    assert ranks["copy"] == ranks[f"o{copy_of}"]
    # A shared rank r means exactly r - 1 options are strictly better.
    for option, r in ranks.items():
        assert r == 1 + sum(other < r for other in ranks.values())


@PROPERTIES
@given(tally_sets())
def test_equal_keys_only_for_identical_tallies(tallies):
    for a in tallies:
        for b in tallies:
            assert (majority_value(a) == majority_value(b)) == (a == b)


@PROPERTIES
@given(tally_sets(), st.randoms(use_true_random=False))
def test_result_independent_of_option_order(tallies, rnd):
    options = {f"o{i}": t for i, t in enumerate(tallies)}
    names = list(options)
    rnd.shuffle(names)
    shuffled = rank({n: options[n] for n in names})
    original = rank(options)
    assert shuffled.ranks() == original.ranks()  # dict equality: per option, whatever the order
    assert [r.tally for r in shuffled.ranking] == [r.tally for r in original.ranking]


@PROPERTIES
@given(tally_sets(), st.data())
def test_normalized_ignores_scale(tallies, data):
    factors = [data.draw(st.integers(1, 6)) for _ in tallies]
    scaled = {i: [c * f for c in t] for i, (t, f) in enumerate(zip(tallies, factors))}
    same_total = rank(dict(enumerate(tallies))).ranks()
    assert rank(scaled, missing="normalized").ranks() == same_total
    assert rank(scaled, missing="normalized", participants=10**6).ranks() == same_total


@PROPERTIES
@given(st.lists(st.integers(0, 9), min_size=1, max_size=40))
def test_majority_grade_of_ballots(grades):
    counts = [grades.count(g) for g in range(10)]
    assert majority_grade(counts) == sorted(grades)[(len(grades) - 1) // 2]
