"""Fixtures of the proposals tests: an assembly with a facilitator, residents, a circle."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from convergence.extensions import db
from convergence.models import Assembly, Circle, Commune, User
from plugins.proposals.models import Proposal
from tests.fixtures import browser_fields, csrf_token, login, unavailable


@dataclass
class Room:
    commune: Commune
    assembly: Assembly
    circle: Circle
    facilitator: User
    alice: User
    bob: User
    carol: User
    outsider: User

    @property
    def base(self) -> str:
        return f"/assemblees/{self.assembly.id}/propositions"


@pytest.fixture
def room(app, make):
    if "proposals" not in app.extensions["convergence.plugins"]:
        unavailable("the proposals plug-in is not enabled")
    commune = make.commune("Saint-Propose")
    assembly = make.assembly(commune, "Assemblée de printemps")
    circle = Circle(commune_id=commune.id, name="Alimentation", purpose="Nourrir la commune")
    db.session.add(circle)
    db.session.commit()
    facilitator, alice, bob, carol, outsider = (make.user("Camille"), make.user("Alice"), make.user("Bob"),
                                                make.user("Carole"), make.user("Dehors"))
    make.role(facilitator, "facilitator", commune=commune)
    for user in (alice, bob, carol):
        make.role(user, "resident", commune=commune)
    make.role(carol, "member", circle=circle)
    return Room(commune, assembly, circle, facilitator, alice, bob, carol, outsider)


def post(client, page: str, url: str, data: dict | None = None, **kwargs):
    """POST like a browser that loaded ``page`` first (its CSRF token)."""
    data = dict(data or {})
    for key, value in browser_fields(client, page).items():
        data.setdefault(key, value)
    return client.post(url, data=data, **kwargs)


def create(client, room: Room, title="Un jardin partagé", body="Premier paragraphe.\n\nDeuxième paragraphe.",
           **fields) -> Proposal:
    response = post(client, room.base + "/nouvelle", room.base + "/nouvelle",
                    {"title": title, "body": body, **fields})
    assert response.status_code == 302, response.data[:800]
    proposal_id = int(re.search(r"/propositions/(\d+)", response.headers["Location"]).group(1))
    return db.session.get(Proposal, proposal_id)


def as_user(app, user):
    client = app.test_client()
    login(client, user)
    return client
