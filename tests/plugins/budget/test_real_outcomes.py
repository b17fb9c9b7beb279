"""The engine gives the outcomes these cities published (the ``selected`` column)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.budget import pabulib
from plugins.budget.allocation import TieOrder, allocate, equal_shares_add1

DATA = Path(__file__).parent / "data"


def load(name):
    pb = pabulib.load(DATA / f"{name}.pb")
    return pb, pabulib.election(pb)


def official(pb) -> set[str]:
    return {row.values["project_id"] for row in pb.projects if row.values.get("selected") == "1"}


def funded_ids(election, funded) -> set[str]:
    return {election.projects[i].id for i in funded}


@pytest.mark.parametrize(("name", "rule", "count"), [
    ("Poland_Wieliczka_2023_Green_Budget", "equalshares/add1", 30),
    ("Poland_Wieliczka_2023_Green_Budget", "equalshares/add1-comparison", 30),
    ("Poland_Swiecie_2023", "equalshares/add1", 17),
    ("Netherlands_Assen_2024", "equalshares/add1", 9),
    ("Poland_Warszawa_2023_Wesola", "greedy", 17),
])
def test_published_outcome(name, rule, count):
    pb, election = load(name)
    result = allocate(election, rule)
    assert len(official(pb)) == count
    assert funded_ids(election, result.funded) == official(pb)
    assert result.cost == sum(int(r.values["cost"]) for r in pb.projects if r.values["selected"] == "1")
    assert result.cost <= election.budget


def test_rule_named_in_the_file_is_the_one_that_gives_the_outcome():
    for name in ("Poland_Wieliczka_2023_Green_Budget", "Poland_Swiecie_2023", "Netherlands_Assen_2024",
                 "Poland_Warszawa_2023_Wesola"):
        pb, election = load(name)
        assert funded_ids(election, allocate(election, pb.meta["rule"]).funded) == official(pb)


def test_wieliczka_comparison_keeps_equal_shares():
    pb, election = load("Poland_Wieliczka_2023_Green_Budget")
    result = allocate(election, "equalshares/add1-comparison")
    greedy = allocate(election, "greedy")
    assert funded_ids(election, greedy.funded) != official(pb)
    assert result.comparison.prefer_equal_shares > result.comparison.prefer_greedy > 0


def test_wieliczka_went_past_an_exhaustive_outcome():
    """Stopping at the first exhaustive outcome (pabutools 1.2.3) gives 31 projects, not the
    official 30: the real add1 goes on while the outcome stays within the envelope."""
    pb, election = load("Poland_Wieliczka_2023_Green_Budget")
    early = equal_shares_add1(election, stop_when_exhaustive=True)
    real = equal_shares_add1(election)
    assert len(early.funded) == 31 and funded_ids(election, early.funded) != official(pb)
    assert funded_ids(election, real.funded) == official(pb)
    assert real.share > early.share


def test_votes_and_scores_read_as_the_files_count_them():
    for path in sorted(DATA.glob("*.pb")):
        pb = pabulib.load(path)
        election = pabulib.election(pb)
        for index, row in enumerate(pb.projects):
            if "votes" in row.values:
                assert election.votes(index) == int(row.values["votes"]), (path.name, row.values["project_id"])
            if "score" in row.values:
                assert election.score(index) == int(row.values["score"]), (path.name, row.values["project_id"])


def test_toulouse_greedy_by_points():
    """Toulouse 2019 (7 points, at most 3 a project) funds by points: replaying the file's own
    score column from the top, skipping what no longer fits, gives the same projects."""
    pb, election = load("France_Toulouse_2019")
    result = allocate(election, pb.meta["rule"])
    by_score = sorted(pb.projects, key=lambda r: (-int(r.values["score"]), int(r.values["cost"])))
    left, expected = election.budget, []
    for row in by_score:
        if int(row.values["cost"]) <= left:
            expected.append(row.values["project_id"])
            left -= int(row.values["cost"])
    assert [election.projects[i].id for i in result.funded] == expected
    assert election.budget - result.cost < min(p.cost for i, p in enumerate(election.projects)
                                               if i not in result.funded)


def test_wesola_greedy_order_and_tie_seed_change_nothing_without_ties():
    pb, election = load("Poland_Warszawa_2023_Wesola")
    first = allocate(election, "greedy", TieOrder(election, "a")).funded
    second = allocate(election, "greedy", TieOrder(election, "another seed")).funded
    assert first == second
    votes = [election.votes(i) for i in first]
    assert votes == sorted(votes, reverse=True)
