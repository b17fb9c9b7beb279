"""What an outcome gives the voters, for any outcome (so the page can put the Method of
Equal Shares beside greedy), and the exact rule with its parameters, published with a
result so anyone can check it (the hash of the ballots published beside them is
``plugins.budget.ballots.ballots_hash``, over the ballots' texts).

All figures are exact fractions in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .election import APPROVAL, Amount, Election
from .rules import Allocation
from .ties import TieOrder

@dataclass(frozen=True)
class Fairness:
    """Over the voters who supported at least one project (an empty ballot counts in
    ``voters`` but in no share: it asked for nothing)."""

    voters: int  # ballots
    counted: int  # ballots supporting at least one project
    #: Share of ``counted`` with at least one funded project they supported.
    with_a_funded_project: Fraction
    #: Average over ``counted`` of (cost of their funded projects) / (cost of all theirs);
    #: a voter whose projects all cost nothing counts as satisfied by the count share.
    cost_satisfaction: Fraction
    #: Average over ``counted`` of (their funded projects) / (their projects), by number.
    count_satisfaction: Fraction

    def as_dict(self, places: int = 6) -> dict:
        """The figures as decimal strings rounded to ``places`` (the exact average by cost
        has the lcm of every ballot's total as denominator: thousands of digits on a city's
        ballots)."""
        return {"voters": self.voters, "counted": self.counted,
                "with_a_funded_project": _decimal(self.with_a_funded_project, places),
                "cost_satisfaction": _decimal(self.cost_satisfaction, places),
                "count_satisfaction": _decimal(self.count_satisfaction, places)}


def _decimal(value: Fraction, places: int) -> str:
    """``value`` rounded half to even to ``places`` decimals, e.g. ``"0.714286"``."""
    scaled = round(value * 10**places)
    whole, part = divmod(scaled, 10**places)
    return f"{whole}.{part:0{places}d}" if places else str(whole)


def fairness(election: Election, funded) -> Fairness:
    """The figures for the outcome ``funded`` (project indexes). Identical ballots are
    counted once with their number: the 100,000 ballots of a city cost little."""
    chosen = set(funded)
    costs = [p.cost for p in election.projects]
    groups: dict[frozenset, int] = {}
    for ballot in election.ballots:
        supported = frozenset(i for i, points in ballot.items() if points > 0)
        groups[supported] = groups.get(supported, 0) + 1
    counted = hit = 0
    # Sums of numerators by denominator first (the ballot's total cost, its number of
    # projects): one Fraction per distinct denominator, not one per ballot.
    by_cost: dict = {}
    by_count: dict = {}
    for supported, number in groups.items():
        if not supported:
            continue
        counted += number
        mine = supported & chosen
        if mine:
            hit += number
        total = sum(costs[i] for i in supported)
        by_count[len(supported)] = by_count.get(len(supported), 0) + len(mine) * number
        if total:
            by_cost[total] = by_cost.get(total, 0) + sum(costs[i] for i in mine) * number
        else:
            by_count_key = ("count", len(supported))
            by_cost[by_count_key] = by_cost.get(by_count_key, 0) + len(mine) * number
    cost_sum = sum((Fraction(n, d[1] if isinstance(d, tuple) else d) for d, n in by_cost.items()), Fraction(0))
    count_sum = sum((Fraction(n, d) for d, n in by_count.items()), Fraction(0))

    def share(value) -> Fraction:
        return Fraction(value) / counted if counted else Fraction(0)

    return Fairness(len(election.ballots), counted, share(hit), share(cost_sum), share(count_sum))


def _points(value: Amount):
    """A number of points as JSON: an integer, or ``"n/d"`` (lowest terms) otherwise."""
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def rule_parameters(election: Election, allocation: Allocation, ties: TieOrder) -> dict:
    """The exact rule, its parameters and the tie order, to publish with the result (plain
    JSON-able data; amounts as strings ``"n"`` or ``"n/d"``)."""
    def amount(value):
        return None if value is None else str(Fraction(value))

    rule = allocation.rule
    data = {
        "rule": rule,
        "budget": amount(election.budget),
        "ballots": len(election.ballots),
        "ballot_kind": election.kind,
        "ties": {
            "order": ["lowest cost", "most votes", "lot"],
            "lot": {"method": "sha256(seed + NUL + project id), ascending", "seed": ties.seed,
                    "order": list(ties.lot)},
        },
    }
    if rule.startswith("greedy"):
        data["method"] = {"name": "greedy", "by": "votes" if election.kind == APPROVAL else "points",
                          "skip": rule != "greedy-no-skip",
                          "threshold": amount(allocation.threshold)}
    else:
        data["method"] = {
            "name": "equal shares",
            "utilities": "cost" if election.kind == APPROVAL else "points",
            "arithmetic": "exact",
            "completion": "add1" if "/add1" in rule else None,
            "increment": "1" if "/add1" in rule else None,
            "stop": ("the last outcome within the envelope, or the first funding every supported project"
                     if "/add1" in rule else None),
            "share": amount(allocation.share),
            "runs": allocation.runs,
            "comparison": rule.endswith("comparison"),
        }
        if allocation.comparison is not None:
            data["method"]["comparison_count"] = {
                "prefer_equal_shares": allocation.comparison.prefer_equal_shares,
                "prefer_greedy": allocation.comparison.prefer_greedy,
                "kept": "greedy" if allocation.comparison.greedy_wins else "equal shares",
            }
    return data
