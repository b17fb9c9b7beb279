"""The usual rule: projects by number of votes (by points for points ballots), each funded
if it still fits in what is left of the envelope.

Pabulib names three variants: ``greedy`` skips a project that no longer fits and goes on;
``greedy-no-skip`` stops at the first one that does not fit; ``greedy-threshold`` is
``greedy`` among the projects whose score reaches ``min_project_score_threshold``.
"""

from __future__ import annotations

from .election import Amount, Election
from .ties import TieOrder


def ranking(election: Election, ties: TieOrder) -> list[int]:
    """Project indexes by score, best first; ties in the published tie order."""
    scores = [election.score(i) for i in range(len(election.projects))]
    return sorted(range(len(election.projects)), key=lambda i: (-scores[i], ties.key(i)))


def greedy(election: Election, ties: TieOrder | None = None, *, skip: bool = True,
           threshold: Amount | None = None) -> list[int]:
    """The funded project indexes, in the order they were funded. A project nobody voted
    for is never funded."""
    ties = ties or TieOrder(election)
    left = election.budget
    funded = []
    for index in ranking(election, ties):
        score = election.score(index)
        if election.votes(index) == 0 or score <= 0:
            continue
        if threshold is not None and score < threshold:
            continue
        cost = election.projects[index].cost
        if cost <= left:
            funded.append(index)
            left -= cost
        elif not skip:
            break
    return funded
