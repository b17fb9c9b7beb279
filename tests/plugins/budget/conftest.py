"""Fixtures of the budget tests that need the database: a commune with a facilitator, a
resident and an elected member, and helpers writing a process, its projects and its
ballots directly with the models (never through another branch's pages)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pytest

from convergence.balloting.models import Ballot
from convergence.extensions import db
from convergence.models import Commune, SpaceFeature, User
from plugins.budget.models import FEASIBLE, Area, PaperSheet, Process, Project


@dataclass
class Town:
    commune: Commune
    facilitator: User
    resident: User
    elected: User


@pytest.fixture
def town(make) -> Town:
    commune = make.commune("Commune de Belleville", latitude=48.87, longitude=2.38)
    facilitator, resident, elected = make.user("Camille"), make.user("Dominique"), make.user("Élise")
    make.role(facilitator, "facilitator", commune=commune)
    make.role(resident, "resident", commune=commune)
    make.role(elected, "elected", commune=commune)
    # Offered in every commune, participatory budgeting is off until switched on (Outils).
    db.session.add(SpaceFeature(space_id=commune.space_id, plugin_name="budget", active=True))
    db.session.commit()
    return Town(commune, facilitator, resident, elected)


def new_process(town: Town, envelope: int = 100, **fields) -> Process:
    process = Process(space_id=town.commune.space_id, title=fields.pop("title", "Budget participatif 2026"),
                      envelope=envelope, min_choices=fields.pop("min_choices", 0), **fields)
    db.session.add(process)
    db.session.commit()
    return process


def add_projects(process: Process, costs, *, area: Area | None = None, status: str = FEASIBLE,
                 start: int | None = None, **fields) -> list[Project]:
    """Projects numbered after the process's last one, feasible unless said."""
    last = db.session.scalar(db.select(db.func.max(Project.number)).where(Project.process_id == process.id)) or 0
    number = start or last + 1
    projects = []
    for k, cost in enumerate(costs):
        project = Project(process_id=process.id, number=number + k, title=f"Projet {number + k}", cost=cost,
                          status=status, area_id=area.id if area else None, **fields)
        db.session.add(project)
        projects.append(project)
    db.session.commit()
    return projects


def add_area(process: Process, name: str, envelope: int | None) -> Area:
    area = Area(process_id=process.id, name=name, envelope=envelope)
    db.session.add(area)
    db.session.commit()
    return area


def cast(process: Process, texts) -> None:
    """Ballots as the close writes them out: anonymous, a random receipt each."""
    db.session.add_all(Ballot(box_id=process.box_id, receipt=secrets.token_hex(6), content=text) for text in texts)
    db.session.commit()


def sheets(process: Process, texts, *, place: str = "Mairie", entry: int = 1, start: int = 1) -> None:
    db.session.add_all(PaperSheet(process_id=process.id, place=place, sheet=start + k, entry=entry, content=text)
                       for k, text in enumerate(texts))
    db.session.commit()
