"""Fixtures of the needs tests: a commune with neighbourhoods, a facilitator and residents."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from convergence.extensions import db
from convergence.models import Commune, Neighbourhood, User
from plugins.needs import lists
from plugins.needs.models import Category, Community, Need
from tests.fixtures import unavailable


@dataclass
class Place:
    commune: Commune
    facilitator: User
    resident: User
    other: User
    outsider: User
    north: Neighbourhood
    south: Neighbourhood

    @property
    def base(self) -> str:
        return f"/communes/{self.commune.slug}/besoins"

    def category(self, code: str) -> Category:
        return db.session.scalar(db.select(Category).where(Category.commune_id == self.commune.id,
                                                           Category.code == code))

    def community(self, code: str) -> Community:
        return db.session.scalar(db.select(Community).where(Community.commune_id == self.commune.id,
                                                            Community.code == code))

    def need(self, title="Un besoin", category="eau", neighbourhood=None, author=None, **fields) -> Need:
        need = Need(commune_id=self.commune.id, category_id=self.category(category).id, title=title,
                    neighbourhood_id=neighbourhood.id if neighbourhood else None,
                    author_id=(author or self.resident).id, **fields)
        db.session.add(need)
        db.session.commit()
        return need


@pytest.fixture
def place(app, make):
    if "needs" not in app.extensions["convergence.plugins"]:
        unavailable("the needs plug-in is not enabled")
    commune = make.commune("Saint-Besoin", latitude=45.0, longitude=5.0)
    north = Neighbourhood(commune_id=commune.id, name="Nord")
    south = Neighbourhood(commune_id=commune.id, name="Sud")
    db.session.add_all([north, south])
    db.session.commit()
    with app.test_request_context():  # default labels are translated when created
        lists.ensure_defaults(commune)
    facilitator, resident, other, outsider = (make.user("Facilitatrice"), make.user("Habitante"),
                                              make.user("Voisin"), make.user("Dehors"))
    make.role(facilitator, "facilitator", commune=commune)
    for user in (resident, other):
        make.role(user, "resident", commune=commune)
    return Place(commune, facilitator, resident, other, outsider, north, south)
