"""What the tests of the council decision and of the follow-up build, directly with the
models (no other branch's pages): a commune with an elected member, a facilitator and a
resident, a budget process of five projects on the ballot and its published result."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from convergence.extensions import db
from convergence.models import Commune, User
from convergence.models.base import utcnow
from plugins.budget.models import FEASIBLE, NOT_FEASIBLE, PUBLISHED, Process, Project, Result

from .conftest import budget_commune

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Budget:
    commune: Commune
    process: Process
    projects: list[Project]
    elected: User
    facilitator: User
    resident: User
    admin: User
    funded: list[int] = field(default_factory=list)

    def project(self, number: int) -> Project:
        return next(p for p in self.projects if p.number == number)


def build_budget(make, *, published: bool = True, costs=(40_000, 25_000, 20_000, 30_000, 8_000),
                 funded_numbers=(1, 2, 3)) -> Budget:
    commune, (elected, facilitator, resident) = budget_commune(
        make, "Commune de Belleville", [("Sophie Bertrand", "elected"), ("Camille", "facilitator"),
                                        ("Alex", "resident")])
    admin = make.user("Admin du site", admin=True)
    process = Process(space_id=commune.space_id, title="Budget participatif 2026", envelope=100_000)
    db.session.add(process)
    db.session.flush()
    projects = [Project(process_id=process.id, number=n, title=f"Projet {n}", cost=cost, status=FEASIBLE)
                for n, cost in enumerate(costs, start=1)]
    # Not on the ballot: the council cannot fund it by a departure.
    projects.append(Project(process_id=process.id, number=len(costs) + 1, title="Projet écarté", cost=1_000,
                            status=NOT_FEASIBLE))
    db.session.add_all(projects)
    db.session.flush()
    funded = [p.id for p in projects if p.number in funded_numbers]
    db.session.add(Result(process_id=process.id, state=PUBLISHED if published else "computed", rule="greedy",
                          funded=funded, total_cost=sum(p.cost for p in projects if p.id in funded),
                          computed_at=utcnow(), published_at=utcnow() if published else None))
    db.session.commit()
    return Budget(commune, process, projects, elected, facilitator, resident, admin, funded)


@pytest.fixture
def budget(make) -> Budget:
    return build_budget(make)
