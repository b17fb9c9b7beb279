"""What an outcome gives the voters, for any outcome (so the page can put the Method of
Equal Shares beside greedy), and what is published with a result so anyone can check it:
a hash of the ballots and the exact rule with its parameters.

All figures are exact fractions in [0, 1].
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction

from .election import APPROVAL, Amount, Election
from .rules import Allocation
from .ties import TieOrder

#: The version of the canonical text of the ballots (``canonical_ballots``).
BALLOTS_FORMAT = "convergence-pb-ballots/1"


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

    def as_dict(self) -> dict:
        return {"voters": self.voters, "counted": self.counted,
                "with_a_funded_project": str(self.with_a_funded_project),
                "cost_satisfaction": str(self.cost_satisfaction),
                "count_satisfaction": str(self.count_satisfaction)}


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
    by_cost = by_count = Fraction(0)
    for supported, number in groups.items():
        if not supported:
            continue
        counted += number
        mine = supported & chosen
        if mine:
            hit += number
        total = sum(costs[i] for i in supported)
        by_count += Fraction(len(mine), len(supported)) * number
        if total:
            by_cost += Fraction(sum(costs[i] for i in mine), total) * number
        else:
            by_cost += Fraction(len(mine), len(supported)) * number

    def share(value) -> Fraction:
        return Fraction(value) / counted if counted else Fraction(0)

    return Fairness(len(election.ballots), counted, share(hit), share(by_cost), share(by_count))


def _points(value: Amount):
    """A number of points as JSON: an integer, or ``"n/d"`` (lowest terms) otherwise."""
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def canonical_ballots(election: Election) -> bytes:
    """The ballots as one canonical text, what ``ballots_hash`` hashes.

    Format (version ``BALLOTS_FORMAT``), UTF-8 JSON without any space:
    ``["convergence-pb-ballots/1", [ballot, ballot, …]]`` where each ballot is the list of
    ``[project id, points]`` pairs it gave positive points to, sorted by project id (by
    Unicode code point), points a JSON integer (1 for an approval) or the string ``"n/d"``;
    the ballots are sorted by their own JSON text (by Unicode code point), empty ballots
    included (``[]``). No voter, no date, no order of casting: two platforms holding the
    same ballots publish the same hash, whatever order they were cast in. Strings are
    written as Python's ``json.dumps(…, ensure_ascii=False, separators=(",", ":"))`` writes
    them (only ``"``, ``\\`` and control characters escaped)."""
    ids = [p.id for p in election.projects]
    texts = []
    for ballot in election.ballots:
        pairs = sorted((ids[i], _points(points)) for i, points in ballot.items() if points > 0)
        texts.append(json.dumps([list(pair) for pair in pairs], ensure_ascii=False, separators=(",", ":")))
    texts.sort()
    return ('["' + BALLOTS_FORMAT + '",[' + ",".join(texts) + "]]").encode()


def ballots_hash(election: Election) -> str:
    """SHA-256 (hexadecimal) of ``canonical_ballots``."""
    return hashlib.sha256(canonical_ballots(election)).hexdigest()


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
        "ballots_sha256": ballots_hash(election),
        "ballots_format": BALLOTS_FORMAT,
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
