"""The registers of the polling places (émargement): one vote per person whether online
or on paper, refused by the database both ways; only the facilitators keep a register;
nothing links a mark to a paper sheet (plugins/budget/roll.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from convergence.balloting.models import Participation
from convergence.extensions import db
from plugins.budget import roll
from plugins.budget.models import PaperSheet, PollingPlace, RollMark
from tests.fixtures import browser_fields, csrf_token, login, post_twice, says_replayed, visible_text

from .ballot_support import new_process, post_ballot, recorded, town


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def counted(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def place(make):
    return town(make)


def open_place(client, process_id: int, name: str = "Salle des fêtes") -> PollingPlace:
    url = f"/budgets/{process_id}/emargement"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "place": name})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return db.session.scalars(sa.select(PollingPlace).where(PollingPlace.process_id == process_id)).one()


def mark(client, process_id: int, polling: PollingPlace, person_id: int):
    """« Marquer comme ayant voté ici » as the officer taps it, from the search's answer."""
    url = f"/budgets/{process_id}/emargement/{polling.id}"
    return client.post(url, data={**browser_fields(client, f"{url}?q=Habitante"), "action": "mark",
                                  "user_id": str(person_id)})


def test_marked_at_a_polling_place_then_refused_online(app, client, place):
    process = new_process(place.commune)
    login(client, place.facilitator)
    polling = open_place(client, process.id)
    voter = place.residents[0]

    found = client.get(f"/budgets/{process.id}/emargement/{polling.id}", query_string={"q": "Habitante 0"})
    assert "Habitante 0" in visible_text(found)
    assert mark(client, process.id, polling, voter.id).status_code == 302
    assert counted(Participation) == 1 and counted(RollMark) == 1

    online = app.test_client()
    login(online, voter)
    response = post_ballot(online, process.id, [1, 2])
    assert response.status_code == 409
    assert "« Salle des fêtes »" in plain(visible_text(response))
    assert counted(Participation) == 1  # nothing more written


def test_voted_online_then_refused_at_the_polling_place(app, client, place):
    process = new_process(place.commune)
    voter = place.residents[1]
    online = app.test_client()
    login(online, voter)
    recorded(post_ballot(online, process.id, [3]))

    login(client, place.facilitator)
    polling = open_place(client, process.id)
    response = mark(client, process.id, polling, voter.id)
    assert response.status_code == 409
    assert "Habitante 1" in visible_text(response)
    assert counted(Participation) == 1 and counted(RollMark) == 0


def test_the_register_finds_a_name_whatever_its_capitals_and_accents(app, client, place, make):
    # SQLite's lower() folds ASCII only: « élodie » missed « Élodie » there (text_fold.py).
    process = new_process(place.commune)
    for name in ("Élodie Garnier", "Éloïse Duval"):
        make.role(make.user(name), "resident", commune=place.commune)
    login(client, place.facilitator)
    polling = open_place(client, process.id)
    url = f"/budgets/{process.id}/emargement/{polling.id}"
    for typed in ("élodie", "ELODIE", "elodie garn"):
        text = visible_text(client.get(url, query_string={"q": typed}))
        assert "Élodie Garnier" in text and "Éloïse Duval" not in text, typed
    found = sorted(person.display_name for person, _voted in roll.find_residents(process, "ÉLO"))
    assert found == ["Élodie Garnier", "Éloïse Duval"]


def test_a_double_tap_marks_once(app, client, place):
    process = new_process(place.commune)
    login(client, place.facilitator)
    polling = open_place(client, process.id)
    url = f"/budgets/{process.id}/emargement/{polling.id}"
    first, second = post_twice(client, f"{url}?q=Habitante", url,
                               {"action": "mark", "user_id": str(place.residents[2].id)})
    assert first.status_code == 302 and says_replayed(second)
    assert counted(RollMark) == 1 and counted(Participation) == 1


def test_a_resident_cannot_keep_a_register(client, place):
    process = new_process(place.commune)
    login(client, place.residents[0])
    assert client.get(f"/budgets/{process.id}/emargement").status_code == 403
    url = f"/budgets/{process.id}/emargement"
    client.post(url, data={"csrf_token": csrf_token(client, f"/budgets/{process.id}/bulletin"), "place": "Mairie"})
    assert counted(PollingPlace) == 0


def test_a_mark_carries_nothing_that_pairs_it_with_a_sheet(app):
    # No time, no sheet: a mark is a participation and a place, nothing else.
    assert set(RollMark.__table__.columns.keys()) <= {"participation_id", "place_id", "id"}
    assert not any(fk.column.table.name == PaperSheet.__tablename__ for fk in RollMark.__table__.foreign_keys)
    assert roll.place_name("  Salle   des fêtes ") == "Salle des fêtes"


def test_a_code_marked_at_the_door_is_spent_online(app, client, place):
    from convergence.balloting.models import VotingCode
    from tests.fixtures import form_token

    process = new_process(place.commune, voters="codes")
    login(client, place.facilitator)
    codes_page = f"/budgets/{process.id}/codes"
    client.post(codes_page, data={"csrf_token": csrf_token(client, codes_page),
                                  "form_token": form_token(client, codes_page), "count": "2"})
    marked, unused = db.session.scalars(sa.select(VotingCode.code).where(VotingCode.box_id == process.box_id)
                                        .order_by(VotingCode.id)).all()
    polling = open_place(client, process.id)
    url = f"/budgets/{process.id}/emargement/{polling.id}"
    answer = client.post(url, data={**browser_fields(client, f"{url}?code={marked}"), "action": "mark",
                                    "code": marked})
    assert answer.status_code == 302
    assert counted(RollMark) == 1 and counted(Participation) == 1

    online = app.test_client()
    entry = f"/budgets/{process.id}/code"
    refused = online.post(entry, data={"csrf_token": csrf_token(online, entry), "code": marked})
    assert refused.status_code == 410
    assert "« Salle des fêtes »" in plain(visible_text(refused))
    accepted = online.post(entry, data={"csrf_token": csrf_token(online, entry), "code": unused})
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith(f"/budgets/{process.id}/bulletin")
    assert counted(Participation) == 1


NOT_FOUND = "Cette personne est introuvable : cherchez à nouveau."


@pytest.mark.parametrize("field, value, status, message", [
    ("place", "Salle\x00des fêtes", 400, "contient un caractère de contrôle invisible"),
    ("user_id", str(2**31 + 5), 404, NOT_FOUND), ("user_id", "١٢", 404, NOT_FOUND),
    ("user_id", "-1", 404, NOT_FOUND), ("action", "tout", 422, "Ce formulaire est illisible : rechargez la page."),
])
def test_hostile_register_input_is_refused_in_french_and_writes_nothing(app, client, place, field, value, status,
                                                                        message):
    process = new_process(place.commune)
    login(client, place.facilitator)
    if field == "place":
        url = f"/budgets/{process.id}/emargement"
        response = client.post(url, data={"csrf_token": csrf_token(client, url), "place": value})
        assert counted(PollingPlace) == 0
    else:
        polling = open_place(client, process.id)
        url = f"/budgets/{process.id}/emargement/{polling.id}"
        data = {**browser_fields(client, f"{url}?q=Habitante"), "action": "mark", "user_id": str(place.residents[0].id)}
        data[field] = value
        response = client.post(url, data=data)
        assert counted(RollMark) == 0 and counted(Participation) == 0
    assert response.status_code == status
    assert message in plain(visible_text(response))
