"""What the tests of processes, projects and review build: a commune where the budget
plug-in is switched on, its people (a facilitator, residents, an elected member, someone
from outside) and processes whose calendar is set around the present moment. Imported by
name by the test modules (``from .pb_projects_fixtures import town``), so that the other
budget branches' conftest stays theirs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from convergence.extensions import db
from convergence.models import Circle, Commune, User
from convergence.models.base import utcnow
from plugins.budget.models import PHASES, Area, Phase, Process, Project, ProjectCategory
from tests.fixtures import login

from .conftest import budget_commune, switch_on  # noqa: F401 (switch_on: for test_processes)

DAY = timedelta(days=1)


@dataclass
class Town:
    commune: Commune
    facilitator: User
    resident: User
    other: User
    elected: User
    outsider: User
    make: object

    def process(self, phase: str = "submission", *, envelope: int = 100_000, areas=(("Nord", None), ("Sud", 40_000)),
                categories=("Nature", "Mobilité"), space=None, **fields) -> Process:
        """A process whose calendar puts it in ``phase`` now ("before": nothing begun)."""
        now = utcnow()
        offsets = {"before": (1, 2, 3), "submission": (-1, 1, 2), "review": (-3, -1, 2), "vote": (-5, -3, -1),
                   "counting": (-7, -5, -3)}[phase]
        starts = [now + k * DAY for k in offsets]
        dated = {"submission": (starts[0], starts[0] + DAY if phase == "before" else starts[1]),
                 "review": (starts[1], starts[2]), "vote": (starts[2], starts[2] + 2 * DAY)}
        process = Process(space_id=(space or self.commune).space_id, title=fields.pop("title", "Budget 2027"),
                          envelope=envelope, created_by_id=self.facilitator.id, **fields)
        process.phases = [Phase(name=name, position=i, starts_at=dated.get(name, (None, None))[0],
                                ends_at=dated.get(name, (None, None))[1]) for i, name in enumerate(PHASES)]
        process.areas = [Area(name=name, envelope=amount) for name, amount in areas]
        process.categories = [ProjectCategory(name=name) for name in categories]
        db.session.add(process)
        db.session.commit()
        return process

    def project(self, process: Process, title: str = "Un jardin", *, cost: int = 10_000, status: str = "submitted",
                author=None, number=None, **fields) -> Project:
        if number is None:
            number = (db.session.scalar(db.select(db.func.max(Project.number))
                                        .where(Project.process_id == process.id)) or 0) + 1
        project = Project(process_id=process.id, number=number, title=title, cost=cost, status=status,
                          author_id=(author or self.resident).id, description=fields.pop("description", "Du vert."),
                          description_html="<p>Du vert.</p>", **fields)
        db.session.add(project)
        db.session.commit()
        return project

    def circle(self, name: str = "Cercle d'étude") -> Circle:
        circle = Circle(commune_id=self.commune.id, name=name)
        db.session.add(circle)
        db.session.commit()
        return circle


@pytest.fixture
def town(app, make):
    commune, (facilitator, resident, other, elected, outsider) = budget_commune(
        make, "Budgetville", [("Facilitatrice", "facilitator"), ("Habitante", "resident"), ("Voisin", "resident"),
                              ("Élue", "elected"), ("Dehors", None)], latitude=45.0, longitude=5.0)
    return Town(commune, facilitator, resident, other, elected, outsider, make)


def as_user(app, user):
    client = app.test_client()
    login(client, user)
    return client
