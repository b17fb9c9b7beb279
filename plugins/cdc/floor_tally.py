"""The count of a floor vote, in plain Python: each delegation's voice weighs its weight.

The vote is carried when the weight for is greater than the weight against; abstentions
are counted and published but decide nothing (a tie is not carried: the text stays as it
was, as in the conventions' rules of procedure).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"


@dataclass(frozen=True)
class Tally:
    weight_for: int = 0
    weight_against: int = 0
    weight_abstain: int = 0

    @property
    def carried(self) -> bool:
        return self.weight_for > self.weight_against

    @property
    def total(self) -> int:
        return self.weight_for + self.weight_against + self.weight_abstain


def tally(voices: Iterable[tuple[str, int]]) -> Tally:
    """``voices``: (choice, weight) pairs, one per delegation."""
    sums = {FOR: 0, AGAINST: 0, ABSTAIN: 0}
    for choice, weight in voices:
        if choice not in sums:
            raise ValueError(f"unknown choice {choice!r}")
        if weight < 1:
            raise ValueError("a delegation's weight is at least 1")
        sums[choice] += weight
    return Tally(sums[FOR], sums[AGAINST], sums[ABSTAIN])
