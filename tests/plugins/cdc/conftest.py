"""Fixtures of the Commune des Communes tests: a host commune with its assembly turned
into a two-day meeting (plenaries, two parallel workshops, meals), an organiser, a
resident of the host commune and a person from elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from flask_babel import to_utc

from convergence.extensions import db
from convergence.models import Assembly, Commune, User
from plugins.cdc import meetings
from plugins.cdc.models import Meeting


@dataclass
class Place:
    commune: Commune
    assembly: Assembly
    meeting: Meeting
    organiser: User
    resident: User
    visitor: User
    neighbour: Commune

    @property
    def base(self) -> str:
        return f"/rencontres/{self.meeting.id}"

    def session(self, title: str) -> int:
        return next(s.id for s in self.meeting.sessions if s.title == title)

    @property
    def nights(self) -> list[date]:
        return [self.meeting.first_day - timedelta(days=1), self.meeting.first_day]


DAY = date.today() + timedelta(days=20)


def build(make, **caps) -> Place:
    commune = make.commune("Commercy")
    neighbour = make.commune("Vaucouleurs")
    assembly = make.assembly(commune, "Commune des Communes", starts_at=to_utc(datetime.combine(DAY, time(9))))
    organiser, resident, visitor = make.user("Organisatrice"), make.user("Habitante"), make.user("Venue d'ailleurs")
    make.role(organiser, "facilitator", commune=commune)
    make.role(resident, "resident", commune=commune)
    with make.app.test_request_context():
        meeting = meetings.create(assembly, first_day=DAY, last_day=DAY + timedelta(days=1),
                                  deadline=to_utc(datetime.combine(DAY - timedelta(days=2), time(23))),
                                  invitation="Venez **en délégation** <script>x()</script>", **caps)
        for day, start, end, kind, title, room, places in (
                (0, 10, 12, "pleniere", "Ouverture", "Grande salle", None),
                (0, 12, 13, "repas", "Samedi midi", "Cantine", None),
                (0, 16, 18, "atelier", "Démocratie directe", "Salle A", 10),
                (0, 16, 18, "atelier", "Lieux communs", "Salle B", None),
                (0, 18, 19, "restitution", "Restitution", "Grande salle", None),
                (1, 12, 13, "repas", "Dimanche midi", "Cantine", None)):
            d = DAY + timedelta(days=day)
            meetings.add_session(meeting, kind=kind, title=title, room=room, capacity=places,
                                 starts_at=to_utc(datetime.combine(d, time(start))),
                                 ends_at=to_utc(datetime.combine(d, time(end))))
        db.session.commit()
    return Place(commune, assembly, meeting, organiser, resident, visitor, neighbour)


@pytest.fixture
def place(make):
    return build(make)


def registration_data(place: Place, **changes) -> dict:
    """What a browser posts for a delegation of 5 with lodging, meals and a workshop."""
    first, second = place.nights
    data = {
        "kind": "collective", "commune": "", "collective_name": "Assemblée populaire de Vaucouleurs",
        "home_town": "Vaucouleurs", "collective_form": "Assemblée ouverte", "objectives": "L'eau en régie",
        "initiatives": "Cantine", "municipal_list": "yes", "municipal_functioning": "Tirage au sort",
        "head_name": "Karim Haddad", "head_is_me": "y", "contact_email": "karim@example.org",
        "contact_phone": "06 11 22 33 44", "people_count": "5", "members": "Lucie Perrin\nMoussa Keita",
        "mandate_kind": "semi_imperatif", "mandate_text": "Défendre la régie publique de l'eau.",
        "proposals": "Un atelier sur l'eau", "lodging_mode": "host",
        f"night_{first:%Y%m%d}": "2", f"night_{second:%Y%m%d}": "5",
        f"meal_{place.session('Samedi midi')}": "5", f"meal_{place.session('Dimanche midi')}": "3",
        "dietary_needs": "Deux végétariens", f"workshop_{place.session('Démocratie directe')}": "3",
        "by_train": "y", "arrival": "Gare, samedi 8 h 42", "shuttle_people": "4",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def place_for_hypothesis(app, make):
    """One meeting and one logged-in person for every example hypothesis tries."""
    from tests.fixtures import login

    built = build(make)
    client = app.test_client()
    login(client, built.visitor)
    return built, client
