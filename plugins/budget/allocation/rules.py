"""The rules by the names Pabulib gives them (the ``rule`` key of a file's META)."""

from __future__ import annotations

from dataclasses import dataclass

from .comparison import Comparison, compare
from .election import Amount, Election
from .equal_shares import equal_shares, equal_shares_add1
from .greedy import greedy
from .ties import TieOrder

RULES = (
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "equalshares",
    "equalshares-comparison",
    "equalshares/add1",
    "equalshares/add1-comparison",
)
#: The short names of the command line.
SHORT = {"greedy": "greedy", "mes": "equalshares/add1"}


class UnknownRule(ValueError):
    pass


@dataclass(frozen=True)
class Allocation:
    rule: str
    funded: tuple[int, ...]
    cost: Amount
    #: The comparison step's count, for the rules that have one.
    comparison: Comparison | None = None
    #: Method of Equal Shares: the share per voter of the run that gave the outcome (for
    #: « add1 », the last within the envelope), and how many runs « add1 » made.
    share: Amount | None = None
    runs: int | None = None
    #: ``greedy-threshold``: the minimum score applied.
    threshold: Amount | None = None

    @property
    def by_greedy(self) -> bool:
        """Whether the funded projects are the greedy rule's (a greedy rule, or a
        comparison step that kept greedy's outcome)."""
        return self.rule.startswith("greedy") or (self.comparison is not None and self.comparison.greedy_wins)


def allocate(election: Election, rule: str, ties: TieOrder | None = None, *,
             threshold: Amount | None = None) -> Allocation:
    """Apply ``rule`` (a name of ``RULES``). ``threshold``: the minimum score of
    ``greedy-threshold`` (Pabulib's ``min_project_score_threshold``)."""
    if rule not in RULES:
        raise UnknownRule(rule)
    ties = ties or TieOrder(election)
    comparison = share = runs = None
    if rule.startswith("greedy"):
        if rule == "greedy-threshold" and threshold is None:
            raise UnknownRule("greedy-threshold needs min_project_score_threshold")
        funded = greedy(election, ties, skip=rule != "greedy-no-skip",
                        threshold=threshold if rule == "greedy-threshold" else None)
    else:
        outcome = equal_shares_add1(election, ties) if "/add1" in rule else equal_shares(election, ties)
        funded, share, runs = outcome.funded, outcome.share, outcome.runs
        if rule.endswith("comparison"):
            usual = greedy(election, ties)
            comparison = compare(election, funded, usual)
            if comparison.greedy_wins:
                funded = tuple(usual)
    return Allocation(rule, tuple(funded), election.cost(funded), comparison, share, runs,
                      threshold if rule == "greedy-threshold" else None)
