"""The vote of a budget process as a timed subject (``budget.vote`` on convergence.phases):
the state from the clock, the opening that freezes the rules and fixes the ballot, the close
that writes the box out and asks for the result, each recorded once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from convergence import hooks, phases
from convergence.balloting.models import Ballot, SealedBallot
from convergence.extensions import db
from convergence.models import PhaseTransition
from convergence.models.base import utcnow
from convergence.refusal import Refused
from plugins.budget import casting, status
from plugins.budget.models import FEASIBLE, Process, Project

from .ballot_support import new_process, town


@pytest.fixture
def place(make):
    return town(make)


@pytest.fixture
def asked():
    """Every ``ballot-box-closed`` sent during the test: (process id, method)."""
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender.id, kwargs["method"], kwargs["box_id"]))

    hooks.ballot_box_closed.connect(receiver)
    yield seen
    hooks.ballot_box_closed.disconnect(receiver)


def transitions(process_id: int) -> list[tuple[str, str]]:
    return [tuple(row) for row in db.session.execute(
        sa.select(PhaseTransition.from_state, PhaseTransition.to_state)
        .where(PhaseTransition.kind == status.PHASE_KIND, PhaseTransition.subject_id == process_id)
        .order_by(PhaseTransition.id))]


def test_the_state_follows_the_clock_without_writing(app, place):
    process = new_process(place.commune, opens=10, closes=20)
    now = utcnow()
    assert status.vote_state(process, now) == "upcoming"
    assert status.vote_state(process, now + timedelta(minutes=15)) == "open"
    assert status.vote_state(process, now + timedelta(minutes=25)) == "closed"
    assert db.session.get(Process, process.id).vote_state == "upcoming" and transitions(process.id) == []


def test_the_opening_freezes_the_rules_and_fixes_the_ballot(app, place):
    process = new_process(place.commune, opens=-1)
    with app.test_request_context():
        assert status.advance(process.id) == "open"
        assert status.advance(process.id) is None  # recorded once
    db.session.expire_all()
    opened = db.session.get(Process, process.id)
    assert opened.vote_state == "open" and opened.rules_frozen_at is not None
    assert transitions(process.id) == [("upcoming", "open")]
    assert casting.on_ballot(opened) == {1: 40_000, 2: 30_000, 3: 20_000, 4: 50_000, 5: 10_000}
    # A project made feasible after the opening does not join the ballot being voted on.
    db.session.add(Project(process_id=process.id, number=6, title="Trop tard", cost=5, status=FEASIBLE))
    db.session.commit()
    assert 6 not in casting.on_ballot(db.session.get(Process, process.id))


def test_the_close_writes_the_box_out_and_asks_for_the_result_once(app, place, asked):
    process = new_process(place.commune, opens=-1)
    with app.test_request_context():
        status.advance(process.id)
        for person, content in zip(place.residents, ({1: 1}, {2: 1}, {1: 1, 3: 1})):
            casting.cast(db.session.get(Process, process.id), content, user_id=person.id)
        later = utcnow() + timedelta(hours=2)
        assert phases.advance(status.PHASE_KIND, process.id, later) == "closed"
        assert phases.advance(status.PHASE_KIND, process.id, later) is None
    db.session.expire_all()
    closed = db.session.get(Process, process.id)
    assert closed.vote_state == "closed" and closed.box.seal_salt is None
    assert transitions(process.id) == [("upcoming", "open"), ("open", "closed")]
    assert sorted(db.session.scalars(sa.select(Ballot.content).where(Ballot.box_id == closed.box_id))) == \
        ["1", "1.3", "2"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SealedBallot)) == 0
    assert asked == [(process.id, "budget", closed.box_id)]


def test_a_vote_found_past_its_close_opens_and_closes_in_one_go(app, place, asked):
    process = new_process(place.commune, opens=-60, closes=-1)
    with app.test_request_context():
        assert status.advance(process.id) == "closed"
    db.session.expire_all()
    closed = db.session.get(Process, process.id)
    assert closed.rules_frozen_at is not None and closed.vote_state == "closed"
    assert asked == [(process.id, "budget", closed.box_id)]


def test_the_minute_sweep_finds_what_is_due(app, place):
    due_open = new_process(place.commune, opens=-1)
    due_close = new_process(place.commune, opens=-60, closes=-1)
    not_yet = new_process(place.commune, opens=30)
    with app.test_request_context():
        assert sorted(status._due(utcnow())) == sorted([due_open.id, due_close.id])
        phases.advance_due()
        assert status._due(utcnow()) == []
    db.session.expire_all()
    assert [db.session.get(Process, p.id).vote_state for p in (due_open, due_close, not_yet)] == \
        ["open", "closed", "upcoming"]


def test_closing_by_hand_and_its_refusals(app, place, asked):
    process = new_process(place.commune)
    upcoming = new_process(place.commune, opens=30)
    with app.test_request_context():
        with pytest.raises(Refused):
            status.close_now(db.session.get(Process, upcoming.id))
        db.session.rollback()
        locked = db.session.get(Process, process.id)
        old = status.close_now(locked)
        db.session.commit()
        status.close_announced(locked, old)
        with pytest.raises(Refused):
            status.close_now(db.session.get(Process, process.id))
        db.session.rollback()
    db.session.expire_all()
    closed = db.session.get(Process, process.id)
    assert closed.vote_state == "closed" and closed.vote_closes_at <= utcnow()
    assert status.vote_state(closed) == "closed"
    assert [a[0] for a in asked] == [process.id]


def test_open_now(app, place):
    process = new_process(place.commune, opens=30)
    with app.test_request_context():
        status.open_now(db.session.get(Process, process.id))
        db.session.commit()
    db.session.expire_all()
    opened = db.session.get(Process, process.id)
    assert opened.vote_state == "open" and opened.rules_frozen_at is not None
    assert status.vote_state(opened) == "open"
