"""A generated participatory budget, the same for every run of a benchmark (seeded).

Projects cost 10,000–400,000 (whole hundreds); their popularity falls off like a city's
(a few very popular projects, a long tail); every voter approves 1 to 10 projects drawn by
popularity, as on a real approval ballot. The envelope is a tenth of what all projects cost."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugins.budget.allocation import APPROVAL, Election, Project  # noqa: E402


def generate(voters: int = 100_000, projects: int = 150, seed: int = 2026) -> Election:
    rng = random.Random(seed)
    costs = [rng.randrange(100, 4001) * 100 for _ in range(projects)]
    popularity = [1 / (rank + 3) ** 0.8 for rank in range(projects)]
    rng.shuffle(popularity)
    indexes = list(range(projects))
    ballots = []
    for _ in range(voters):
        length = rng.randint(1, 10)
        chosen = set()
        while len(chosen) < length:
            chosen.update(rng.choices(indexes, weights=popularity, k=length - len(chosen)))
        ballots.append(dict.fromkeys(sorted(chosen), 1))
    budget = sum(costs) // 10
    return Election(budget, tuple(Project(str(i + 1), c) for i, c in enumerate(costs)), tuple(ballots), APPROVAL)
