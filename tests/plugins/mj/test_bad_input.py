"""Ballots that must be refused with a message, a 4xx status, and nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.mj.models import Ballot, Count, Participation, SealedBallot, Vote
from tests.fixtures import csrf_token, login

from .conftest import ballot_data, ballots_in_box, logout, new_vote, option_ids, post_action, post_ballot, recorded, says


def stored() -> tuple[int, int, int]:
    """(participations, ballots sealed or written out, judgments in the counters)."""
    def count(model):
        return db.session.scalar(db.select(db.func.count()).select_from(model))

    total = db.session.scalar(db.select(db.func.coalesce(db.func.sum(Count.count), 0)))
    return count(Participation), count(Ballot) + count(SealedBallot), int(total)


@pytest.fixture
def open_vote(room):
    return new_vote(room, opens_at=utcnow() - timedelta(minutes=1))


def test_grade_outside_the_scale(client, room, open_vote):
    login(client, room.members[0])
    a, b, c = option_ids(open_vote)
    for bad in ("7", "-1", "deux", "99"):
        response = post_ballot(client, open_vote.id, {a: bad, b: 1, c: 1})
        assert response.status_code == 422, bad
        assert says(response, "This grade is not on the scale of this vote.")
    assert stored() == (0, 0, 0)


def test_two_grades_for_one_option(client, room, open_vote):
    login(client, room.members[0])
    a, b, c = option_ids(open_vote)
    data = ballot_data(client, open_vote.id, {b: 1, c: 1})
    data[f"option-{a}"] = ["1", "5"]
    response = client.post(f"/votes/{open_vote.id}/bulletin", data=data)
    assert response.status_code == 422
    assert stored() == (0, 0, 0)


def test_missing_grade(client, room, open_vote):
    login(client, room.members[0])
    a, b, c = option_ids(open_vote)
    response = post_ballot(client, open_vote.id, {a: 3, c: 4})
    assert response.status_code == 422
    assert says(response, "Choose a grade for this option.")
    assert says(response, "Your ballot was not recorded: give a grade to every option.")
    page = response.data.decode()
    assert f'id="o{a}-g3" name="option-{a}" value="3" checked' in page  # what was chosen is kept
    assert stored() == (0, 0, 0)


def test_option_of_another_vote(client, room, open_vote):
    other = new_vote(room, question="Autre vote", opens_at=utcnow())
    login(client, room.members[0])
    a, b, c = option_ids(open_vote)
    stray = option_ids(other)[0]
    response = post_ballot(client, open_vote.id, {a: 1, b: 1, c: 1, stray: 1})
    assert response.status_code == 422
    assert says(response, "This ballot names an option that is not part of this vote. Nothing was recorded.")
    response = post_ballot(client, open_vote.id, {a: 1, b: 1, stray: 1})
    assert response.status_code == 422
    assert stored() == (0, 0, 0)


def test_ballot_after_close(client, room, open_vote):
    login(client, room.facilitator)
    post_action(client, open_vote.id, "fermer")
    logout(client)
    login(client, room.members[0])
    response = post_ballot(client, open_vote.id, {i: 1 for i in option_ids(open_vote)})
    assert response.status_code == 410
    assert says(response, "This vote is closed: ballots are no longer accepted.")
    assert stored() == (0, 0, 0)


def test_ballot_without_csrf_token(client, room, open_vote):
    login(client, room.members[0])
    data = {f"option-{i}": "1" for i in option_ids(open_vote)}
    assert client.post(f"/votes/{open_vote.id}/bulletin", data=data).status_code == 400
    assert stored() == (0, 0, 0)


def test_anonymous_and_outsiders(client, room, open_vote):
    response = post_ballot(client, open_vote.id, {i: 1 for i in option_ids(open_vote)})
    assert response.status_code == 401 and says(response, "Please log in to continue.")
    login(client, room.outsider)
    response = post_ballot(client, open_vote.id, {i: 1 for i in option_ids(open_vote)})
    assert response.status_code == 403
    assert says(response, "Only members of this assembly may vote in it.")
    assert stored() == (0, 0, 0)


def test_second_ballot_without_receipt_and_forged_receipt(client, room, open_vote):
    login(client, room.members[0])
    ids = option_ids(open_vote)
    recorded(post_ballot(client, open_vote.id, {i: 5 for i in ids}))
    again = post_ballot(client, open_vote.id, {i: 0 for i in ids})
    assert again.status_code == 409
    assert says(again, "You have already voted. To change your ballot, give the receipt you received.")
    forged = post_ballot(client, open_vote.id, {i: 0 for i in ids}, receipt="AAAA-BBBB-CCCC")
    assert forged.status_code == 422
    assert says(forged, "No ballot of this vote has this receipt. Check the code you typed.")
    nonsense = post_ballot(client, open_vote.id, {i: 0 for i in ids}, receipt="n'importe quoi")
    assert nonsense.status_code == 422
    assert stored() == (1, 1, 0)  # counters are written by the close
    assert list(ballots_in_box(open_vote.id).values()) == ["555"]


def test_receipt_of_another_vote_is_refused(client, room, open_vote):
    other = new_vote(room, question="Autre vote", opens_at=utcnow())
    login(client, room.members[0])
    other_receipt = recorded(post_ballot(client, other.id, {i: 2 for i in option_ids(other)}))
    recorded(post_ballot(client, open_vote.id, {i: 4 for i in option_ids(open_vote)}))
    response = post_ballot(client, open_vote.id, {i: 0 for i in option_ids(open_vote)}, receipt=other_receipt)
    assert response.status_code == 422
    assert list(ballots_in_box(open_vote.id).values()) == ["444"]


def test_vote_not_open_yet(client, room):
    vote = new_vote(room, opens_at=utcnow() + timedelta(hours=1))
    login(client, room.members[0])
    response = post_ballot(client, vote.id, {i: 1 for i in option_ids(vote)})
    assert response.status_code == 403
    assert says(response, "This vote is not open yet.")
    assert client.get(f"/votes/{vote.id}/bulletin").status_code == 302
    assert stored() == (0, 0, 0)


def test_unknown_vote(client, room):
    login(client, room.members[0])
    assert client.get("/votes/999999").status_code == 404
    assert client.post("/votes/999999/bulletin", data={"csrf_token": csrf_token(client, "/")}).status_code == 404


def test_closed_assembly_members_cannot_vote(client, room, open_vote):
    room.assembly.status = "closed"
    db.session.commit()
    login(client, room.members[0])
    assert post_ballot(client, open_vote.id, {i: 1 for i in option_ids(open_vote)}).status_code == 403
    assert db.session.get(Vote, open_vote.id) is not None
    assert stored() == (0, 0, 0)
