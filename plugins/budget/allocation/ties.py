"""The order in which tied projects are taken: the lowest cost first, then the one with the
most votes, then a lot drawn before the computation.

The lot is a hash of a published seed and the project's id (SHA-256), so anyone can draw it
again from the published seed, in any language, and nobody can choose it after seeing the
ballots without changing the seed everybody saw.
"""

from __future__ import annotations

import hashlib

from .election import Election


def lot(project_ids, seed: str) -> list[str]:
    """The project ids in the order of the lot drawn with ``seed``."""
    return sorted(project_ids, key=lambda pid: (hashlib.sha256(f"{seed}\x00{pid}".encode()).hexdigest(), pid))


class TieOrder:
    """``key(i)`` sorts project index ``i`` before the projects it beats in a tie."""

    def __init__(self, election: Election, seed: str = ""):
        self.seed = seed
        ids = [p.id for p in election.projects]
        self.lot = lot(ids, seed)
        rank = {pid: position for position, pid in enumerate(self.lot)}
        self._keys = [(p.cost, -election.votes(i), rank[p.id]) for i, p in enumerate(election.projects)]

    def key(self, index: int):
        return self._keys[index]

    def key_if(self, index: int, *, cost=None, votes=None):
        """The key project ``index`` would have with another cost or number of votes (the
        lot does not change: it depends on the id only)."""
        own_cost, minus_votes, rank = self._keys[index]
        return (own_cost if cost is None else cost, minus_votes if votes is None else -votes, rank)

    def first(self, indexes):
        return min(indexes, key=self.key)
