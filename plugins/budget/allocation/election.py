"""What an allocation rule reads: an envelope, projects with their costs, and ballots.

Amounts are exact (``int`` or ``fractions.Fraction``, never ``float``): a rule's decisions
compare sums of money, and a rounding error would fund the wrong project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Rational

Amount = int | Fraction

#: How a ballot is read. Approval (and choose-1): the projects a voter supports, each worth
#: its cost to her (« cost utilities »). Points (cumulative, scoring, and ordinal once scored
#: by Borda): each project worth the points she gave it.
APPROVAL = "approval"
POINTS = "points"


@dataclass(frozen=True)
class Project:
    id: str
    cost: Amount


@dataclass(frozen=True)
class Election:
    """``ballots[v]`` maps project indexes (into ``projects``) to the points voter ``v`` gave
    them (1 for an approval). A project absent from a ballot got nothing from that voter."""

    budget: Amount
    projects: tuple[Project, ...]
    ballots: tuple[dict[int, Amount], ...]
    kind: str = APPROVAL
    #: Projects a voter gave no positive points to are not hers to pay for.
    _supporters: tuple = field(default=None, repr=False, compare=False)
    _scores: tuple = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.kind not in (APPROVAL, POINTS):
            raise ValueError(f"unknown ballot kind {self.kind!r}")
        for value in (self.budget, *(p.cost for p in self.projects)):
            if not isinstance(value, Rational):
                raise TypeError(f"amounts are exact numbers, not {type(value).__name__}")
            if value < 0:
                raise ValueError("amounts are never negative")
        supporters = [[] for _ in self.projects]
        scores = [0] * len(self.projects)
        for voter, ballot in enumerate(self.ballots):
            for index, points in ballot.items():
                if not isinstance(points, Rational):
                    raise TypeError(f"points are exact numbers, not {type(points).__name__}")
                scores[index] += points
                if points > 0:
                    supporters[index].append(voter)
        object.__setattr__(self, "_supporters", tuple(tuple(s) for s in supporters))
        object.__setattr__(self, "_scores", tuple(scores))

    def supporters(self, index: int) -> tuple[int, ...]:
        """The voters who gave project ``index`` positive points, in ballot order."""
        return self._supporters[index]

    def votes(self, index: int) -> int:
        """How many voters support the project (Pabulib's ``votes`` column)."""
        return len(self._supporters[index])

    def score(self, index: int) -> Amount:
        """The points the project got in all (Pabulib's ``score``; its votes for approval)."""
        return self._scores[index]

    def utility(self, voter: int, index: int) -> Amount:
        """What project ``index`` is worth to ``voter`` under the Method of Equal Shares."""
        points = self.ballots[voter].get(index, 0)
        if points <= 0:
            return 0
        return self.projects[index].cost * points if self.kind == APPROVAL else points

    def cost(self, selected) -> Amount:
        return sum(self.projects[i].cost for i in selected)

    def satisfaction(self, voter: int, selected) -> Amount:
        """The points ``voter`` gave to the funded projects (for approval: how many of the
        projects she voted for are funded) — what the comparison step asks her."""
        ballot = self.ballots[voter]
        return sum(max(ballot.get(i, 0), 0) for i in selected)
