"""The timer read from timestamps (plugins/facilitation/clock.py) and the statistics
(plugins/facilitation/statistics.py): pure, property-tested."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from plugins.facilitation.clock import OVER, PAUSED, RUNNING, Clock, minutes_seconds
from plugins.facilitation.statistics import Spoken, figures

T0 = datetime(2026, 12, 1, 19, 0, 0)
steps = st.lists(st.tuples(st.sampled_from(["start", "pause"]), st.integers(0, 300)), max_size=20)


@given(steps, st.integers(1, 600))
def test_the_time_counted_is_the_time_spent_running(actions, allotted):
    clock, now, running_since, expected = Clock(0.0, None, allotted), T0, None, 0.0
    for action, wait in actions:
        now += timedelta(seconds=wait)
        if running_since is not None:
            expected += wait
        clock = clock.started(now) if action == "start" else clock.paused(now)
        running_since = (running_since or now) if action == "start" else None
    assert abs(clock.elapsed(now) - expected) < 1e-6
    later = now + timedelta(seconds=30)
    assert abs(clock.elapsed(later) - (expected + (30 if running_since else 0))) < 1e-6
    state = clock.state(later)
    assert state == (OVER if allotted - clock.elapsed(later) <= 0 else RUNNING if running_since else PAUSED)


def test_the_countdown_as_the_room_reads_it():
    assert [minutes_seconds(s) for s in (120, 65, 0.2, 0, -0.3, -12.5, None)] == [
        "2:00", "1:05", "0:01", "0:00", "0:00", "-0:12", ""]
    clock = Clock(0.0, T0, 60)
    assert clock.remaining(T0 + timedelta(seconds=45)) == 15 and clock.state(T0 + timedelta(seconds=60)) == OVER
    assert Clock(10.0, None, 0).remaining(T0) is None


turns = st.lists(st.builds(Spoken, st.sampled_from(["p1", "p2", "p3", "p4"]), st.sampled_from([None, "A", "B"]),
                           st.sampled_from([1, 2]), st.floats(0, 600), st.integers(0, 10_000)),
                 max_size=30, unique_by=lambda t: t.order)


@given(turns)
def test_statistics_add_up_and_first_turns_are_one_per_person(spoken):
    meeting = figures(spoken)
    assert meeting.turns == len(spoken)
    assert meeting.first_turns == len({t.person for t in spoken}) == meeting.people
    assert sum(g.turns for g in meeting.by_group.values()) == meeting.turns
    assert abs(sum(g.seconds for g in meeting.by_group.values()) - meeting.seconds) < 1e-6
    per_item = [figures(spoken, item) for item in (1, 2)]
    assert sum(f.turns for f in per_item) == meeting.turns
    assert sum(f.first_turns for f in per_item) == meeting.first_turns
