"""Fixtures of the budget tests that need the database: a commune with a facilitator, a
resident and an elected member, and helpers writing a process, its projects and its
ballots directly with the models (never through another branch's pages).

:func:`budget_commune` (a commune, the plug-in switched on, its people with their roles)
and :func:`switch_on` are what every budget fixture module builds on (ballot_support,
pb_projects_fixtures, decision_fixtures)."""

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


def switch_on(space_id: int) -> None:
    """Offered in every commune, participatory budgeting is off until switched on (Outils)."""
    db.session.merge(SpaceFeature(space_id=space_id, plugin_name="budget", active=True))
    db.session.commit()


def people(make, commune: Commune, roles) -> list[User]:
    """The users named in ``roles`` ((name, role in the commune or None), made in that order)."""
    users = [make.user(name) for name, _role in roles]
    for user, (_name, role) in zip(users, roles):
        if role is not None:
            make.role(user, role, commune=commune)
    return users


def budget_commune(make, name: str, roles, *, switched_on: bool = True, **place) -> tuple[Commune, list[User]]:
    """A commune (``place``: its latitude and longitude), the budget plug-in switched on
    there, and its people (:func:`people`)."""
    commune = make.commune(name, **place)
    users = people(make, commune, roles)
    if switched_on:
        switch_on(commune.space_id)
    return commune, users


@pytest.fixture
def town(make) -> Town:
    commune, (facilitator, resident, elected) = budget_commune(
        make, "Commune de Belleville", [("Camille", "facilitator"), ("Dominique", "resident"), ("Élise", "elected")],
        latitude=48.87, longitude=2.38)
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
