"""The registers of the polling places under real concurrent transactions (PostgreSQL): the
same resident marked at two doors at once, or marked at a door while voting online, votes
once — one row of ``ballot_participations``, the other side refused in French
(plugins/budget/roll.py leaves it to the participation's unique constraint).

Both requests are held at a barrier once past the process's lock, just before they write,
so that they really meet on the constraint instead of running one after the other."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from convergence.balloting.models import Participation, SealedBallot
from convergence.extensions import db
from plugins.budget import casting, roll
from plugins.budget.models import PollingPlace, RollMark
from tests.fixtures import browser_fields, csrf_token, login, require_postgres, visible_text

from .ballot_support import ballot_data, new_process, town

pytestmark = pytest.mark.postgres


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def counted(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def open_place(client, process_id: int, name: str) -> PollingPlace:
    url = f"/budgets/{process_id}/emargement"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "place": name})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return db.session.scalars(sa.select(PollingPlace).where(PollingPlace.process_id == process_id,
                                                            PollingPlace.name == name)).one()


def marking(client, process_id: int, polling: PollingPlace, person_id: int):
    """The URL and the form « Marquer comme ayant voté ici » sends, read from the search's page."""
    url = f"/budgets/{process_id}/emargement/{polling.id}"
    return url, {**browser_fields(client, f"{url}?q=Habitante"), "action": "mark", "user_id": str(person_id)}


class Meeting:
    """Where two requests wait for each other; ``missed`` says whether one never came (then
    they ran one after the other and the test proved nothing)."""

    def __init__(self):
        self.barrier, self.missed = threading.Barrier(2), False

    def __call__(self):
        try:
            self.barrier.wait(timeout=10)
        except threading.BrokenBarrierError:
            self.missed = True


def at_once(posts) -> list[tuple[int, str]]:
    """Each (client, url, data) posted in its own thread; (status, visible text) of each, in order."""
    answers, errors = [None] * len(posts), []

    def send(n, client, url, data):
        try:
            response = client.post(url, data=data)
            answers[n] = (response.status_code, plain(visible_text(response)))
        except Exception as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=send, args=(n, *post)) for n, post in enumerate(posts)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors, errors
    assert None not in answers, answers
    return answers


def test_two_doors_mark_the_same_resident_at_once_one_vote(app, make, monkeypatch):
    require_postgres()
    place = town(make)
    second = make.user("Dominique Assesseur")
    make.role(second, "facilitator", commune=place.commune)
    db.session.commit()
    process = new_process(place.commune)
    voter = place.residents[0]

    officers = []
    for officer, name in ((place.facilitator, "Salle des fêtes"), (second, "École Jules Ferry")):
        client = app.test_client()
        login(client, officer)
        polling = open_place(client, process.id, name)
        officers.append((client, *marking(client, process.id, polling, voter.id)))
    db.session.commit()

    wait, original = Meeting(), roll._marking_open

    def held(process, place):
        original(process, place)  # the process's lock taken, the register found open
        wait()

    monkeypatch.setattr(roll, "_marking_open", held)
    answers = at_once(officers)
    assert not wait.missed

    statuses = sorted(status for status, _text in answers)
    assert statuses == [302, 409], answers
    db.session.expire_all()
    assert counted(Participation) == 1 and counted(RollMark) == 1
    kept = db.session.execute(sa.select(PollingPlace.name).join(RollMark, RollMark.place_id == PollingPlace.id)
                              ).scalar_one()
    refused = next(text for status, text in answers if status == 409)
    assert f"Habitante 0 a déjà voté au bureau de vote « {kept} » : un seul vote par personne." in refused
    assert refused.startswith("Erreur : Liste d'émargement de")  # the refused door's own register, again
    assert "0 émargement (dont 0 sans compte ni code)" in refused  # nothing half-written there


def test_marked_at_a_door_while_voting_online_one_vote(app, make, monkeypatch):
    require_postgres()
    place = town(make)
    process = new_process(place.commune)
    voter = place.residents[1]

    officer = app.test_client()
    login(officer, place.facilitator)
    polling = open_place(officer, process.id, "Salle des fêtes")
    door = (officer, *marking(officer, process.id, polling, voter.id))
    online = app.test_client()
    login(online, voter)
    web = (online, f"/budgets/{process.id}/bulletin", ballot_data(online, process.id, [1, 2]))
    db.session.commit()

    wait = Meeting()
    marking_open, sealed = roll._marking_open, casting.sealed

    def door_held(process, place):
        marking_open(process, place)
        wait()

    def online_held(*args, **kwargs):
        wait()  # just before the one statement that locks the process and writes the participation
        return sealed(*args, **kwargs)

    monkeypatch.setattr(roll, "_marking_open", door_held)
    monkeypatch.setattr(casting, "sealed", online_held)
    (door_status, door_text), (online_status, online_text) = at_once([door, web])
    assert not wait.missed

    db.session.expire_all()
    assert counted(Participation) == 1
    if door_status == 302:  # the door was first: no ballot in the box, the online voter told where they voted
        assert online_status == 409, online_text
        assert "Vous avez déjà voté au bureau de vote « Salle des fêtes » : un seul vote par personne." in online_text
        assert counted(RollMark) == 1 and counted(SealedBallot) == 0
    else:  # the ballot was first: nobody marked, the officer told the resident voted online
        assert (door_status, online_status) == (409, 200), (door_text, online_text)
        assert "Habitante 1 a déjà voté en ligne : un seul vote par personne." in door_text
        assert counted(RollMark) == 0 and counted(SealedBallot) == 1
