"""Timed states (convergence/phases.py): the state follows the clock, a transition is
recorded once even when two writers race."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convergence import phases
from convergence.extensions import db
from convergence.models import PhaseTransition
from tests.fixtures import require_postgres

T0 = datetime(2026, 12, 1, 12, 0)
times = st.one_of(st.none(), st.integers(-1000, 1000).map(lambda m: T0 + timedelta(minutes=m)))


def test_the_state_follows_the_clock():
    opens, closes = T0, T0 + timedelta(hours=1)
    assert phases.state_at(opens, closes, T0 - timedelta(seconds=1)) == phases.UPCOMING
    assert phases.state_at(opens, closes, T0) == phases.OPEN
    assert phases.state_at(opens, closes, closes - timedelta(microseconds=1)) == phases.OPEN
    assert phases.state_at(opens, closes, closes) == phases.CLOSED
    assert phases.state_at(None, None, T0) == phases.UPCOMING
    assert phases.state_at(None, closes, closes) == phases.CLOSED


@given(times, times, st.integers(-2000, 2000), st.integers(0, 2000))
def test_as_time_passes_a_state_never_goes_back(opens, closes, start, later):
    before = phases.state_at(opens, closes, T0 + timedelta(minutes=start))
    after = phases.state_at(opens, closes, T0 + timedelta(minutes=start + later))
    assert before == after or phases.moves_forward(before, after)


def test_a_transition_is_recorded_once(app):
    assert phases.record("test.subject", 7, phases.UPCOMING, phases.OPEN)
    db.session.commit()
    assert not phases.record("test.subject", 7, phases.UPCOMING, phases.OPEN)
    assert phases.record("test.subject", 8, phases.UPCOMING, phases.OPEN)  # another subject
    db.session.commit()
    rows = db.session.execute(db.select(PhaseTransition.subject_id, PhaseTransition.to_state)
                              .order_by(PhaseTransition.subject_id)).all()
    assert rows == [(7, "open"), (8, "open")]


@pytest.mark.postgres
def test_two_writers_racing_record_one_transition(app):
    require_postgres()
    start, won, errors = threading.Barrier(2), [], []

    def writer():
        try:
            with app.app_context():
                start.wait(timeout=10)
                won.append(phases.record("test.subject", 1, phases.OPEN, phases.CLOSED))
                db.session.commit()
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(won) == [False, True]
    assert db.session.scalar(db.select(db.func.count()).select_from(PhaseTransition)) == 1
