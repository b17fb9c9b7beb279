"""One person, one ballot, even when the same ballot arrives twice at the same instant."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.mj import api, ballots
from plugins.mj.models import Ballot, Count, Participation, SealedBallot, Vote
from tests.fixtures import csrf_token, login, require_postgres

from .conftest import ballots_in_box, new_vote, option_ids


def double_submit(app, room, vote, *, threads: int, meet_inside: bool):
    """``threads`` browsers sharing one logged-in session post the same ballot at once."""
    first = app.test_client()
    login(first, room.members[0])
    cookie = first.get_cookie("session")
    token = csrf_token(first, f"/votes/{vote.id}")
    data = {f"option-{i}": "4" for i in option_ids(vote)}
    data["csrf_token"] = token
    start = threading.Barrier(threads)
    statuses, errors = [], []

    def submit():
        client = app.test_client()
        client.set_cookie("session", cookie.value, domain=cookie.domain or "localhost")
        try:
            start.wait(timeout=10)
            statuses.append(client.post(f"/votes/{vote.id}/bulletin", data=data).status_code)
        except Exception as error:  # reported below, with the statuses
            errors.append(error)

    workers = [threading.Thread(target=submit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors, errors
    return statuses


def assert_one_ballot(vote):
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Participation)) == 1
    assert len(ballots_in_box(vote.id)) == 1
    # The counters wait for the close, which counts that ballot once: one judgment per option.
    assert db.session.scalar(db.select(db.func.sum(Count.count)).where(Count.vote_id == vote.id)) is None
    api.close_vote(db.session.get(Vote, vote.id))
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 1
    total = db.session.scalar(db.select(db.func.sum(Count.count)).where(Count.vote_id == vote.id))
    assert total == len(option_ids(vote))


def meet_in_the_transaction(monkeypatch, parties: int):
    """Hold every request inside its transaction, past the "has voted?" check, until all
    are there: the database's unique constraint is then the only thing left to decide."""
    barrier = threading.Barrier(parties)
    original = ballots.new_receipt

    def receipt():
        try:
            barrier.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass
        return original()

    monkeypatch.setattr(ballots, "new_receipt", receipt)


def run_double_submit(app, room, monkeypatch):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    meet_in_the_transaction(monkeypatch, 2)
    statuses = double_submit(app, room, vote, threads=2, meet_inside=True)
    assert sorted(statuses) == [200, 409], statuses
    assert_one_ballot(vote)


@pytest.mark.postgres
def test_simultaneous_double_submit_postgres(app, room, monkeypatch):
    require_postgres()
    run_double_submit(app, room, monkeypatch)


def test_simultaneous_double_submit_current_database(app, room, monkeypatch):
    # SQLite too: its write lock makes the second insert wait, then fail on the constraint.
    run_double_submit(app, room, monkeypatch)


@pytest.mark.parametrize("threads", [8])
def test_burst_of_identical_submits(app, room, threads):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    statuses = double_submit(app, room, vote, threads=threads, meet_inside=False)
    assert sorted(statuses) == [200] + [409] * (threads - 1), statuses
    assert_one_ballot(vote)


@pytest.mark.postgres
def test_close_waits_for_a_ballot_being_written(app, room, monkeypatch):
    """A ballot accepted just before the close is in the register fixed by the close."""
    require_postgres()
    from plugins.mj import api
    from plugins.mj.models import Vote

    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    # A ballot request runs in autocommit, its one statement holding the lock only while it
    # runs; here the ballot runs in a transaction (as through the API), so the lock is held
    # while the test holds it. The other order is test_a_ballot_waiting_for_a_close_is_refused.
    from convergence.balloting import autocommit

    monkeypatch.setattr(autocommit, "one_statement_at_a_time", lambda: False)
    inside, proceed = threading.Event(), threading.Event()
    original = ballots._cast_postgres

    def slow_cast(*args):
        original(*args)  # the ballot is written, its transaction holds the vote's row lock
        inside.set()
        proceed.wait(timeout=10)

    monkeypatch.setattr(ballots, "_cast_postgres", slow_cast)
    client = app.test_client()
    login(client, room.members[0])
    data = {f"option-{i}": "6" for i in option_ids(vote)}
    data["csrf_token"] = csrf_token(client, f"/votes/{vote.id}")
    statuses = []
    voter = threading.Thread(target=lambda: statuses.append(
        client.post(f"/votes/{vote.id}/bulletin", data=data).status_code))
    voter.start()
    assert inside.wait(timeout=10)

    def close():
        with app.app_context(), app.test_request_context():
            api.close_vote(db.session.get(Vote, vote.id))

    closer = threading.Thread(target=close)
    closer.start()
    closer.join(timeout=1)
    assert closer.is_alive(), "the close must wait for the ballot's transaction"
    proceed.set()
    voter.join(timeout=10)
    closer.join(timeout=10)
    assert statuses == [200]
    db.session.expire_all()
    assert db.session.get(Vote, vote.id).chain_length == 1


@pytest.mark.postgres
def test_a_ballot_waiting_for_a_close_is_refused(app, room, monkeypatch):
    """The other order: the close holds the vote's row when a ballot arrives. The ballot
    waits, then is refused, even if its clock reading came just before the closing time."""
    require_postgres()
    from plugins.mj import api, chain
    from plugins.mj.models import Vote

    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    client = app.test_client()
    login(client, room.members[0])
    data = {f"option-{i}": "6" for i in option_ids(vote)}
    data["csrf_token"] = csrf_token(client, f"/votes/{vote.id}")
    inside, proceed = threading.Event(), threading.Event()
    original = chain.finalise

    def slow_finalise(closing):
        inside.set()  # the close holds the row lock and has set the closing time
        proceed.wait(timeout=10)
        return original(closing)

    monkeypatch.setattr(chain, "finalise", slow_finalise)

    def close():
        with app.app_context(), app.test_request_context():
            api.close_vote(db.session.get(Vote, vote.id))

    closer = threading.Thread(target=close)
    closer.start()
    assert inside.wait(timeout=10)
    # The ballot read the clock a second before the close: only the row's mark refuses it.
    monkeypatch.setattr(ballots, "utcnow", lambda: utcnow() - timedelta(seconds=1))
    statuses = []
    voter = threading.Thread(target=lambda: statuses.append(
        client.post(f"/votes/{vote.id}/bulletin", data=data).status_code))
    voter.start()
    voter.join(timeout=1)
    assert voter.is_alive(), "the ballot must wait for the close"
    proceed.set()
    closer.join(timeout=10)
    voter.join(timeout=10)
    assert statuses == [410]
    db.session.expire_all()
    assert db.session.get(Vote, vote.id).chain_length == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Participation)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(SealedBallot)) == 0


@pytest.mark.postgres
def test_two_workers_closing_a_vote_at_once_close_it_once(app, room, monkeypatch):
    """Two workers (or a worker and a facilitator) reach the deadline together: one records
    the close and does its work, the other finds it done (convergence.phases)."""
    from convergence import hooks, live
    from convergence.models import AuditEntry, PhaseTransition
    from plugins.mj import status

    require_postgres()
    published, changes = [], []
    monkeypatch.setattr(live, "publish", lambda *args: published.append(args[1]))
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=5))
    ballots.cast(vote, {i: 2 for i in option_ids(vote)}, user_id=room.members[0].id)
    db.session.execute(db.update(Vote).where(Vote.id == vote.id).values(closes_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    start, results, errors = threading.Barrier(2), [], []

    def on_change(subject, **kwargs):
        changes.append(kwargs["new"])

    def worker():
        try:
            with app.app_context():
                start.wait(timeout=10)
                results.append(status.advance_vote(vote.id))
        except Exception as error:  # reported below
            errors.append(error)

    hooks.phase_changed.connect(on_change)
    try:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        hooks.phase_changed.disconnect(on_change)
    assert not errors, errors
    assert sorted(results, key=str) == [None, "closed"]
    assert changes == ["closed"] and published.count("mj.vote.closed") == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(PhaseTransition)
                             .where(PhaseTransition.to_state == "closed")) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "mj.vote.closed")) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot).where(Ballot.box_id == vote.box_id)) == 1
