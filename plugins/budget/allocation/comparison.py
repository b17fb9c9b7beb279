"""The comparison step (Wieliczka 2023): the Method of Equal Shares' outcome is kept unless
more voters prefer the greedy rule's. A voter prefers the outcome that funds more of the
projects she voted for (for points ballots: more of her points)."""

from __future__ import annotations

from dataclasses import dataclass

from .election import Election


@dataclass(frozen=True)
class Comparison:
    prefer_equal_shares: int
    prefer_greedy: int

    @property
    def greedy_wins(self) -> bool:
        return self.prefer_greedy > self.prefer_equal_shares


def compare(election: Election, equal_shares, greedy) -> Comparison:
    mes, usual = set(equal_shares), set(greedy)
    prefer_mes = prefer_greedy = 0
    for voter in range(len(election.ballots)):
        a, b = election.satisfaction(voter, mes), election.satisfaction(voter, usual)
        if a > b:
            prefer_mes += 1
        elif b > a:
            prefer_greedy += 1
    return Comparison(prefer_mes, prefer_greedy)
