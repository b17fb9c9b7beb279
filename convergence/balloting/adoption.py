"""Adopting a text by yes / no / abstention: the count and the rule (plain Python).

The tally of an adoption vote is three counts. Whether the text is adopted is decided by
the rule the asking plug-in gives, so that a simple majority, two thirds, abstentions
counted against, or a quorum are each one :class:`AdoptionRule`, not a new method.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

YES, NO, ABSTAIN = "y", "n", "a"
CHOICES = (YES, NO, ABSTAIN)
EXPRESSED, CAST = "expressed", "cast"  # what the share of yes is taken of


@dataclass(frozen=True)
class AdoptionRule:
    """``threshold``: the share of yes needed; ``strict``: more than it (a majority: more
    than half) or at least it (two thirds: at least two thirds); ``base``: of the
    expressed ballots (yes + no, abstentions set aside) or of every ballot cast
    (abstentions weigh as not yes); ``quorum``: the fewest ballots, abstentions included,
    for any decision."""

    threshold: Fraction = Fraction(1, 2)
    strict: bool = True
    base: str = EXPRESSED
    quorum: int = 0

    def __post_init__(self):
        if not 0 <= self.threshold <= 1:
            raise ValueError("the threshold is a share between 0 and 1")
        if self.base not in (EXPRESSED, CAST):
            raise ValueError(f"base is {EXPRESSED!r} or {CAST!r}")
        if self.quorum < 0:
            raise ValueError("the quorum is a number of ballots")


SIMPLE_MAJORITY = AdoptionRule()
TWO_THIRDS = AdoptionRule(Fraction(2, 3), strict=False)


@dataclass(frozen=True)
class Outcome:
    yes: int
    no: int
    abstain: int
    adopted: bool
    quorum_reached: bool

    @property
    def ballots(self) -> int:
        return self.yes + self.no + self.abstain

    def as_dict(self) -> dict:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain, "ballots": self.ballots,
                "adopted": self.adopted, "quorum_reached": self.quorum_reached}


def decide(yes: int, no: int, abstain: int, rule: AdoptionRule = SIMPLE_MAJORITY) -> Outcome:
    """Apply the rule to the counts. With nobody expressed, nothing is adopted."""
    if min(yes, no, abstain) < 0:
        raise ValueError("counts are never negative")
    ballots = yes + no + abstain
    quorum_reached = ballots >= rule.quorum
    base = yes + no if rule.base == EXPRESSED else ballots
    adopted = False
    if quorum_reached and base:
        share = Fraction(yes, base)
        adopted = share > rule.threshold if rule.strict else share >= rule.threshold
    return Outcome(yes, no, abstain, adopted, quorum_reached)


def count(ballots, paper=()) -> tuple[int, int, int]:
    """(yes, no, abstain) of serialised ballots (one letter each) and paper batches
    (each a mapping letter -> number)."""
    totals = dict.fromkeys(CHOICES, 0)
    for text in ballots:
        totals[text] += 1
    for batch in paper:
        for choice, number in batch.items():
            if choice not in totals or number < 0:
                raise ValueError(f"a paper count for {choice!r} that does not fit")
            totals[choice] += number
    return totals[YES], totals[NO], totals[ABSTAIN]
