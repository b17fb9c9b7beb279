"""The calendar of a budget process: which phase it is in, from the dates of the dated
phases and the events that start the others. Plain Python (no Flask, no database): the
process page, the hooks and the services ask it, and it is tested on its own with
hypothesis (tests/plugins/budget/test_processes.py).

dépôt des projets → étude de faisabilité → vote follow their dates (a phase runs from its
start, included, to its end, excluded); dépouillement begins when the vote closes (its end
date, or the ballot box recorded closed) and lasts until the result is published;
résultats from the publication; délibération once the council decision is recorded; suivi
once the first follow-up of a funded project is recorded, or the suivi phase's date has
come after the decision. Before the first date the process is « à venir » (no phase).
Between two dated phases (dépôt ended, étude not begun) the process stays in the phase
that ended last: nothing new is open, and the page says so with the dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The names of models.py (a test checks they agree): repeated here so that this module
# imports neither Flask nor the database.
SUBMISSION, REVIEW, VOTE, COUNTING, RESULTS, DELIBERATION, FOLLOW_UP = (
    "submission", "review", "vote", "counting", "results", "deliberation", "follow_up")
PHASES = (SUBMISSION, REVIEW, VOTE, COUNTING, RESULTS, DELIBERATION, FOLLOW_UP)
DATED_PHASES = (SUBMISSION, REVIEW, VOTE)

PAST, CURRENT, FUTURE = "past", "current", "future"


@dataclass(frozen=True)
class Dates:
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@dataclass(frozen=True)
class Events:
    """What starts the phases that have no date of their own."""

    vote_closed: bool = False  # the ballot box was closed (by its time or by hand)
    result_published: bool = False
    decision_recorded: bool = False
    follow_up_started: bool = False


@dataclass(frozen=True)
class Step:
    name: str
    starts_at: datetime | None
    ends_at: datetime | None
    state: str  # PAST, CURRENT or FUTURE


def _is_open(dates: Dates, now: datetime) -> bool:
    return (dates.starts_at is not None and dates.starts_at <= now
            and (dates.ends_at is None or now < dates.ends_at))


def _has_started(dates: Dates, now: datetime) -> bool:
    return dates.starts_at is not None and dates.starts_at <= now


def current_phase(dates: dict[str, Dates], events: Events, now: datetime) -> str | None:
    """The name of the phase the process is in at ``now`` (None: not begun)."""
    vote = dates.get(VOTE, Dates())
    vote_over = events.vote_closed or (vote.ends_at is not None and vote.ends_at <= now)
    if events.decision_recorded:
        follow_up = dates.get(FOLLOW_UP, Dates())
        if events.follow_up_started or _has_started(follow_up, now):
            return FOLLOW_UP
        return DELIBERATION
    if events.result_published:
        return RESULTS
    if vote_over and (_has_started(vote, now) or events.vote_closed):
        return COUNTING
    for name in reversed(DATED_PHASES):
        if _has_started(dates.get(name, Dates()), now):
            return name
    return None


def is_open(dates: dict[str, Dates], events: Events, name: str, now: datetime) -> bool:
    """Whether dated phase ``name`` is open at ``now``: within its dates, and no later
    phase has begun by an event (a vote closed by hand ends it)."""
    if name not in DATED_PHASES or not _is_open(dates.get(name, Dates()), now):
        return False
    return current_phase(dates, events, now) == name


def vote_has_opened(dates: dict[str, Dates], now: datetime) -> bool:
    """The vote's start has come: from then on the ballot's rules are frozen."""
    return _has_started(dates.get(VOTE, Dates()), now)


def steps(dates: dict[str, Dates], events: Events, now: datetime) -> list[Step]:
    """Every phase in order, with its dates and whether it is past, current or to come."""
    current = current_phase(dates, events, now)
    position = PHASES.index(current) if current is not None else -1
    return [Step(name, dates.get(name, Dates()).starts_at, dates.get(name, Dates()).ends_at,
                 PAST if i < position else CURRENT if i == position else FUTURE)
            for i, name in enumerate(PHASES)]


def dates_problem(dates: dict[str, Dates]) -> str | None:
    """Why the dated phases are not in order, or None: each ends after it starts, and
    each starts no earlier than the one before it ends (they may touch)."""
    previous_end, previous = None, None
    for name in DATED_PHASES:
        d = dates.get(name, Dates())
        if d.starts_at is not None and d.ends_at is not None and d.ends_at <= d.starts_at:
            return f"{name}:ends_before_start"
        if d.starts_at is not None and previous_end is not None and d.starts_at < previous_end:
            return f"{name}:overlaps:{previous}"
        if d.ends_at is not None:
            previous_end, previous = d.ends_at, name
    return None


__all__ = ["COUNTING", "CURRENT", "DELIBERATION", "FOLLOW_UP", "FUTURE", "PAST", "RESULTS", "REVIEW",
           "SUBMISSION", "VOTE", "Dates", "Events", "Step", "current_phase", "dates_problem", "is_open",
           "steps", "vote_has_opened"]
