"""Timed states: things that open and close at set times (votes, consent rounds, budget
phases), one service for all of them.

* **The state comes from the clock**: :func:`state_at` (``opens_at`` / ``closes_at`` →
  upcoming, open, closed). A page computes it when it is read, so it is right after a
  deadline even if nothing has run yet, and reading it writes nothing.
* **A transition is recorded once**: :func:`record` inserts a ``phase_transitions`` row
  whose unique (kind, subject, state) lets only the first writer in; the work that goes
  with it (closing a vote: opening its ballot box, fixing its register) is done by that
  writer in the same transaction.
* **It is announced after the commit**: the ``phase-changed`` signal
  (:data:`convergence.hooks.phase_changed`) and the kind's own live events.

Who records it: the worker, at the deadline (:func:`schedule` defers :func:`advance` to
that time) and every minute for anything a scheduled task missed (:func:`advance_due`);
or an action that opens or closes a subject by hand, which calls :func:`record` itself.

A plug-in describes its kind of subject once, in its ``init()``::

    phases.register(app, phases.TimedKind(
        name="mj.vote", load=lock_vote_by_id, state=lambda v, now: phases.state_at(v.opens_at, v.closes_at, now),
        recorded=lambda v: ..., enter=do_the_closing_work, announce=publish_live_events, due=ids_past_a_time))
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app

from . import hooks, tasks
from .extensions import db
from .models import PhaseTransition
from .models.base import utcnow

log = logging.getLogger("convergence.phases")

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
ORDER = {UPCOMING: 0, OPEN: 1, CLOSED: 2}


def state_at(opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> str:
    """upcoming until ``opens_at`` (forever without one), open until ``closes_at``, then closed."""
    if closes_at is not None and closes_at <= now:
        return CLOSED
    if opens_at is None or opens_at > now:
        return UPCOMING
    return OPEN


def moves_forward(old: str, new: str) -> bool:
    """A subject only moves on: never back to a state it has left."""
    return ORDER[new] > ORDER[old]


@dataclass(frozen=True)
class TimedKind:
    """One kind of timed subject, as a plug-in describes it.

    ``load(id)``: the subject, locked against a concurrent transition as the kind needs
    (or None if it is gone). ``state(subject, now)``: its state from the clock.
    ``recorded(subject)``: the state last recorded. ``enter(subject, old, new)``: the work
    of the transition, in its transaction (do not commit). ``announce(subject, old, new)``:
    after the commit (live events). ``due(now)``: ids of subjects whose clock state may
    be ahead of the recorded one (one query, for the minute sweep).
    """

    name: str
    load: Callable[[int], Any]
    state: Callable[[Any, datetime], str]
    recorded: Callable[[Any], str]
    enter: Callable[[Any, str, str], None]
    announce: Callable[[Any, str, str], None]
    due: Callable[[datetime], Iterable[int]]


def register(app: Flask, kind: TimedKind) -> None:
    app.extensions.setdefault("convergence.phases", {})[kind.name] = kind


def kinds() -> dict[str, TimedKind]:
    return current_app.extensions.get("convergence.phases", {})


def record(kind: str, subject_id: int, old: str, new: str) -> bool:
    """Record that the subject enters ``new``, in the caller's transaction. True for the
    first writer only: a concurrent one inserts nothing (on PostgreSQL it waits for the
    first to commit, then finds the row)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(PhaseTransition).values(
        kind=kind, subject_id=subject_id, from_state=old, to_state=new, at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["kind", "subject_id", "to_state"]).returning(PhaseTransition.id)
    return db.session.execute(statement).scalar() is not None


def changed(kind: str, subject, old: str, new: str) -> None:
    """After the commit of a recorded transition: send ``phase-changed``."""
    hooks.phase_changed.send(subject, kind=kind, old=old, new=new)


def advance(kind_name: str, subject_id: int, now: datetime | None = None) -> str | None:
    """Bring the subject's recorded state up to the clock: record the transition, do its
    work, commit, announce. Returns the new state, or None when nothing was due (or
    someone else recorded it first)."""
    kind = kinds()[kind_name]
    now = now or utcnow()
    subject = kind.load(subject_id)
    if subject is None:
        db.session.rollback()
        return None
    old, new = kind.recorded(subject), kind.state(subject, now)
    if not moves_forward(old, new) or not record(kind_name, subject_id, old, new):
        db.session.rollback()
        return None
    kind.enter(subject, old, new)
    db.session.commit()
    changed(kind_name, subject, old, new)
    kind.announce(subject, old, new)
    return new


def schedule(kind: str, subject_id: int, at: datetime | None) -> None:
    """Have the worker bring the subject up to date at ``at`` (after the current commit).
    Harmless if the time then changes: :func:`advance` follows the clock and the record."""
    if at is not None and at > utcnow():
        # Huey keeps times to the second, rounded down: the next whole second is never early.
        eta = at.replace(microsecond=0) + timedelta(seconds=1) if at.microsecond else at
        tasks.defer(advance_at, kind, subject_id, eta=eta)


@tasks.task(retries=3, retry_delay=30)
def advance_at(kind: str, subject_id: int) -> None:
    if kind in kinds():
        advance(kind, subject_id)


@tasks.periodic_task()
def advance_due() -> int:
    """Every minute in the worker: every subject whose deadline has passed unrecorded
    (the worker was down, a time was moved…). One failure does not stop the others."""
    done = 0
    now = utcnow()
    for kind in list(kinds().values()):
        for subject_id in list(kind.due(now)):
            try:
                done += advance(kind.name, subject_id, now) is not None
            except Exception:
                db.session.rollback()
                log.exception("could not advance %s %s", kind.name, subject_id)
    return done
