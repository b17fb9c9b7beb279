"""Fixtures of the facilitation tests: an assembly under way with an agenda, a facilitator
and participants."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext
from markupsafe import escape

from convergence.extensions import db
from convergence.models import AgendaItem, Assembly, Commune, User
from convergence.testing import csrf_token


@dataclass
class Meeting:
    commune: Commune
    assembly: Assembly
    items: list[AgendaItem]
    facilitator: User
    people: list[User] = field(default_factory=list)
    outsider: User | None = None

    @property
    def item(self) -> AgendaItem:
        return self.items[0]

    def list_url(self, item=None) -> str:
        return f"/assemblees/{self.assembly.id}/ordre-du-jour/{(item or self.item).id}/parole"

    @property
    def console(self) -> str:
        return f"/assemblees/{self.assembly.id}/animation"

    @property
    def room(self) -> str:
        return f"/assemblees/{self.assembly.id}/salle"


@pytest.fixture
def meeting(make) -> Meeting:
    commune = make.commune("Commune de Belleville")
    assembly = make.assembly(commune, "Assemblée de décembre", status="open")
    items = [AgendaItem(assembly_id=assembly.id, position=n, title=title)
             for n, title in enumerate(["Accueil", "Cantine scolaire", "Jardins partagés"])]
    db.session.add_all(items)
    db.session.flush()
    assembly.current_item_id = items[0].id
    db.session.commit()
    facilitator = make.user("Camille")
    make.role(facilitator, "facilitator", assembly=assembly)
    people = []
    for name in ("Alix", "Bao", "Chloé", "Dominique"):
        person = make.user(name)
        make.role(person, "resident", commune=commune)
        people.append(person)
    return Meeting(commune, assembly, items, facilitator, people, make.user("Personne extérieure"))


def post(client, url: str, page: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def french(msgid: str, **variables) -> str:
    """The French the catalog gives, as visible_text reads it (its spaces, the narrow
    no-break ones too, collapsed to one plain space)."""
    with force_locale("fr"):
        return " ".join(babel_gettext(msgid, **variables).split())


def says(response, msgid: str, **variables) -> bool:
    """Whether the page's HTML carries the French message, escaped as templates write it."""
    with force_locale("fr"):
        return str(escape(babel_gettext(msgid, **variables))) in response.get_data(as_text=True)


def rows(item_id=None):
    from plugins.facilitation.models import SpeakingRequest

    query = db.select(SpeakingRequest).order_by(SpeakingRequest.id)
    if item_id is not None:
        query = query.where(SpeakingRequest.item_id == item_id)
    db.session.expire_all()
    return db.session.scalars(query).all()


def switch(client, user):
    """The same phone, now in ``user``'s hands: whoever was logged in logs out first."""
    from convergence.testing import login

    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    return login(client, user)
