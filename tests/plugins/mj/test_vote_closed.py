"""The close through one function, and the ``vote-closed`` signal it sends after its commit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from convergence import hooks
from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.mj import api, ballots, closing
from plugins.mj.models import Ballot, BallotBox, SealedBallot, Vote

from .conftest import option_ids


@pytest.fixture
def received():
    """Every vote-closed sent during the test, with what the database held at that moment
    (read on a connection of its own: only what is committed)."""
    calls = []

    def receiver(vote, **kwargs):
        with db.engine.connect() as connection:
            committed = connection.execute(db.select(Vote.announced, Vote.chain_head, BallotBox.seal_salt)
                                           .join(BallotBox, BallotBox.id == Vote.box_id)
                                           .where(Vote.id == vote.id)).one()
        calls.append((vote.id, kwargs, tuple(committed)))

    hooks.vote_closed.connect(receiver)
    yield calls
    hooks.vote_closed.disconnect(receiver)


def test_closing_by_hand_sends_vote_closed_once_after_the_commit(app, room, received):
    with app.test_request_context():
        vote = api.create_vote(room.assembly, "Q ?", ["A", "B"], voters="codes", opens_at=utcnow(),
                               asked_by=("proposals", "assembly:7"))
        a, b = option_ids(vote)
        for grades in ({a: 6, b: 1}, {a: 5, b: 2}):
            ballots.cast(vote, grades, code_id=api.create_codes(vote, 1)[0].id)
        api.close_vote(vote, closed_by=room.facilitator)
        with pytest.raises(api.VoteDefinitionError):
            api.close_vote(vote)  # a second close is refused and sends nothing
    assert len(received) == 1
    vote_id, kwargs, committed = received[0]
    assert vote_id == vote.id and kwargs["method"] == "mj"
    assert kwargs["asked_by"] == ("proposals", "assembly:7") and kwargs["closed_by"] is room.facilitator
    assert [(r.option.label, r.rank, r.majority_grade) for r in kwargs["result"].ranking] == [("A", 1, 5), ("B", 2, 1)]
    assert kwargs["result"].online_ballots == 2
    announced, head, salt = committed
    assert announced == "closed" and head is not None and len(head) == 64 and salt is None
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(SealedBallot)) == 0


def test_a_vote_past_its_closing_time_sends_vote_closed_on_the_next_page(app, room, client, received):
    with app.test_request_context():
        vote = api.create_vote(room.assembly, "Q ?", ["A", "B"], opens_at=utcnow() - timedelta(minutes=5),
                               closes_at=utcnow() + timedelta(minutes=5))
        vote_id = vote.id
    db.session.execute(db.update(Vote).where(Vote.id == vote_id).values(closes_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert received == []
    for _ in range(2):  # only the first page that notices the close closes it
        assert client.get(f"/votes/{vote_id}").status_code == 200
    assert len(received) == 1
    _vote_id, kwargs, committed = received[0]
    assert kwargs["asked_by"] is None and kwargs["closed_by"] is None and committed[0] == "closed"
    assert kwargs["result"].participants == 0


def test_close_is_one_function_of_the_vote(app, room, received):
    """What a scheduled closing calls: ``closing.close(vote)``."""
    with app.test_request_context():
        vote = api.create_vote(room.assembly, "Q ?", ["A", "B"], opens_at=utcnow())
        closing.close(vote)
        with pytest.raises(closing.CannotClose):
            closing.close(vote)
    assert [r[0] for r in received] == [vote.id]
    db.session.expire_all()
    assert db.session.get(Vote, vote.id).announced == "closed"
