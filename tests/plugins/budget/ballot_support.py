"""What the ballot tests share (pb-ballots): a commune with a facilitator and residents, a
budget process whose vote is open, projects on its ballot, and posting a ballot."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from convergence.extensions import db
from convergence.models import Commune, User
from convergence.models.base import utcnow
from plugins.budget.models import FEASIBLE, NOT_FEASIBLE, VOTE, Area, Phase, Process, Project, ProjectCategory
from tests.fixtures import csrf_token

from .conftest import budget_commune, switch_on

RECEIPT_SHOWN = re.compile(r'<p class="budget-receipt">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</p>')


@dataclass
class Town:
    commune: Commune
    facilitator: User
    residents: list[User] = field(default_factory=list)
    outsider: User | None = None


def town(make, residents: int = 3) -> Town:
    """The plug-in is switched on by :func:`new_process`."""
    commune, (facilitator, *residents_made, outsider) = budget_commune(
        make, "Commune de Montreuil",
        [("Camille Animatrice", "facilitator"), *((f"Habitante {n}", "resident") for n in range(residents)),
         ("Personne extérieure", None)], switched_on=False)
    return Town(commune, facilitator, residents_made, outsider)


def new_process(commune: Commune, *, projects=((1, 40_000), (2, 30_000), (3, 20_000), (4, 50_000), (5, 10_000)),
                opens=-1, closes=60, **fields) -> Process:
    """A process of the commune whose vote opened ``opens`` minutes from now (negative: in
    the past) and closes in ``closes`` minutes; its projects (number, cost) feasible, plus
    a not-feasible project no. 99."""
    fields.setdefault("max_choices", 3)
    switch_on(commune.space_id)
    process = Process(space_id=commune.space_id, title="Budget participatif 2027", envelope=100_000, **fields)
    now = utcnow()
    process.phases = [Phase(name=VOTE, position=2, starts_at=now + timedelta(minutes=opens),
                            ends_at=now + timedelta(minutes=closes))]
    db.session.add(process)
    db.session.flush()
    area, category = Area(process=process, name="Bas-Montreuil"), ProjectCategory(process=process, name="Nature")
    db.session.add_all([area, category])
    for number, cost in projects:
        db.session.add(Project(process_id=process.id, number=number, title=f"Projet {number}", cost=cost,
                               status=FEASIBLE, area=area, category=category))
    db.session.add(Project(process_id=process.id, number=99, title="Projet refusé", cost=1000, status=NOT_FEASIBLE))
    db.session.commit()
    return process


def ballot_data(client, process_id: int, numbers=(), points=None, **extra) -> dict:
    data = {"csrf_token": csrf_token(client, f"/budgets/{process_id}/bulletin"), "project": [str(n) for n in numbers]}
    for number, given in (points or {}).items():
        data[f"points-{number}"] = str(given)
    data.update(extra)
    return data


def post_ballot(client, process_id: int, numbers=(), points=None, **extra):
    return client.post(f"/budgets/{process_id}/bulletin", data=ballot_data(client, process_id, numbers, points, **extra))


def recorded(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    found = RECEIPT_SHOWN.search(response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)[:800]
    return found.group(1)
