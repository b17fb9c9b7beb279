"""A vote's status, computed from its times, and its transitions on the core's timed
states (``convergence.phases``).

``opens_at`` and ``closes_at`` are compared with the clock whenever a page is loaded or a
ballot is cast, so a page shows the right status at once and writes nothing. The
transition itself (recorded once in ``phase_transitions`` and in ``announced``, with the
close's work: the ballot box opened and the hash chain fixed) is made by the worker at the
vote's times (:func:`schedule`), or by a facilitator's « open now » / « close now ».

Live events go to the live channel of the vote's space: its assembly's, or its thematic
circle's (``/cercles/<id>/direct``).
"""

from __future__ import annotations

import threading
import time

from flask import current_app
from flask_babel import lazy_gettext as _l

from convergence import live, phases
from convergence.spaces import SpaceRef, space_ref
from convergence.extensions import db
from convergence.models.base import utcnow

from .models import Vote

DRAFT, SCHEDULED, OPEN, CLOSED = "draft", "scheduled", "open", "closed"
STATUS_LABELS = {
    DRAFT: _l("Not open yet"),
    SCHEDULED: _l("Scheduled"),
    OPEN: _l("Voting open"),
    CLOSED: _l("Voting closed"),
}

EVENT_OPENED = "mj.vote.opened"
EVENT_CLOSED = "mj.vote.closed"
EVENT_RESULTS = "mj.vote.results"
EVENT_BALLOT = "mj.vote.ballot"
LIVE_EVENTS = [
    (EVENT_OPENED, _l("A majority-judgment vote opens.")),
    (EVENT_CLOSED, _l("A majority-judgment vote closes.")),
    (EVENT_RESULTS, _l("The results of a majority-judgment vote change.")),
    (EVENT_BALLOT, _l("Ballots are cast in a majority-judgment vote (at most once a second).")),
]


def status_at(opens_at, closes_at, now) -> str:
    if closes_at is not None and closes_at <= now:
        return CLOSED
    if opens_at is None:
        return DRAFT
    if opens_at > now:
        return SCHEDULED
    return OPEN


def status(vote: Vote, now=None) -> str:
    return status_at(vote.opens_at, vote.closes_at, now or utcnow())


def results_visible(vote: Vote) -> bool:
    current = status(vote)
    return current == CLOSED or (vote.live_results and current == OPEN)


def channel_of(vote: Vote) -> SpaceRef:
    """The space whose live channel carries the vote's events (its assembly's or its
    circle's), as plain values: read before a commit expires the vote, used after it. The
    vote's page query reads it along with the vote (``vote.space_ref``)."""
    known = vote.__dict__.get("space_ref")
    return known if known is not None else space_ref(vote.space)


def publish(channel: SpaceRef, event: str, data: dict) -> None:
    """Publish on the live channel of the vote's space (see :func:`channel_of`)."""
    live.publish(channel, event, data)


def _payload(vote: Vote) -> dict:
    return {"vote_id": vote.id}


def sync(vote: Vote) -> str:
    """The status pages show: from the clock, without writing (the worker records the
    transition at the vote's times; see :func:`advance_vote`)."""
    return status(vote)


def register_status(vote: Vote) -> str:
    """The status for the register of ballots, which exists once the close is recorded
    (the ballot box opened, the chain fixed): until the worker has done it, a vote past
    its closing time still shows « published when the vote closes »."""
    current = status(vote)
    return OPEN if current == CLOSED and vote.announced != CLOSED else current


# -- the vote as a timed subject (convergence.phases) ------------------------------------

PHASE_KIND = "mj.vote"
_PHASE_OF = {DRAFT: phases.UPCOMING, SCHEDULED: phases.UPCOMING, OPEN: phases.OPEN, CLOSED: phases.CLOSED}
_STATUS_OF = {phases.UPCOMING: DRAFT, phases.OPEN: OPEN, phases.CLOSED: CLOSED}


def phase_of(status_: str) -> str:
    return _PHASE_OF[status_]


def _locked(vote_id: int) -> Vote | None:
    # Exclusive: wait for the ballots being written (they hold a shared lock on the row),
    # so that the register fixed at the close holds every ballot accepted before it.
    return db.session.get(Vote, vote_id, with_for_update=True, populate_existing=True)


def _enter(vote: Vote, old: str, new: str) -> None:
    vote.announced = _STATUS_OF[new]
    db.session.flush()
    if new == phases.CLOSED:
        from .closing import write_register

        write_register(vote)


def _announce(vote: Vote, old: str, new: str) -> None:
    announce(vote, _STATUS_OF[old], _STATUS_OF[new])
    if new == phases.CLOSED:
        from .closing import closed

        closed(vote)


def _due(now) -> list[int]:
    passed_close = db.and_(Vote.announced != CLOSED, Vote.closes_at <= now)
    passed_open = db.and_(Vote.announced == DRAFT, Vote.opens_at <= now)
    return list(db.session.scalars(db.select(Vote.id).where(db.or_(passed_close, passed_open))))


TIMED_VOTE = phases.TimedKind(
    name=PHASE_KIND, load=_locked,
    state=lambda vote, now: phases.state_at(vote.opens_at, vote.closes_at, now),
    recorded=lambda vote: _PHASE_OF[vote.announced],
    enter=_enter,
    announce=_announce,
    due=_due,
)


def schedule(vote: Vote) -> None:
    """Have the worker open and close the vote at its times (after the caller's commit)."""
    phases.schedule(PHASE_KIND, vote.id, vote.opens_at)
    phases.schedule(PHASE_KIND, vote.id, vote.closes_at)


def advance_vote(vote_id: int) -> str | None:
    """Record what the clock says of the vote (the worker's entry point; see phases.advance)."""
    return phases.advance(PHASE_KIND, vote_id)


def announce(vote: Vote, previous: str, current: str) -> None:
    """Publish a transition (after the commit)."""
    channel = channel_of(vote)
    if current == OPEN:
        publish(channel, EVENT_OPENED, _payload(vote))
        if vote.live_results:
            publish(channel, EVENT_RESULTS, _payload(vote))
    elif current == CLOSED:
        publish(channel, EVENT_CLOSED, _payload(vote))
        publish(channel, EVENT_RESULTS, _payload(vote))


# Casting can reach hundreds of ballots a second: tell listening pages at most once a
# second per vote and process, which is enough for a projector and costs nothing. The
# last ballots of a burst are announced by a delayed publication, so no page stays behind.
PROGRESS_INTERVAL = 1.0
_last_progress: dict[int, float] = {}
_pending: dict[int, threading.Timer] = {}
_lock = threading.Lock()


def cancel_pending() -> None:
    """Forget throttling state and drop delayed announcements (between tests, at shutdown)."""
    with _lock:
        for timer in _pending.values():
            timer.cancel()
        _pending.clear()
        _last_progress.clear()


def _publish_progress(channel: tuple[str, int], vote_id: int, live_results: bool) -> None:
    publish(channel, EVENT_BALLOT, {"vote_id": vote_id})
    if live_results:
        publish(channel, EVENT_RESULTS, {"vote_id": vote_id})


def progress(channel: tuple[str, int], vote_id: int, live_results: bool) -> None:
    """Announce new ballots (called after the commit, with values read before it;
    ``channel`` from :func:`channel_of`)."""
    args = (channel, vote_id, live_results)
    now = time.monotonic()
    with _lock:
        wait = _last_progress.get(vote_id, -PROGRESS_INTERVAL) + PROGRESS_INTERVAL - now
        if wait <= 0:
            _last_progress[vote_id] = now
        elif vote_id in _pending:
            return
    if wait <= 0:
        _publish_progress(*args)
        return
    app = current_app._get_current_object()

    def later():
        with _lock:
            if _pending.pop(vote_id, None) is None:
                return  # cancelled
            _last_progress[vote_id] = time.monotonic()
        with app.app_context():
            _publish_progress(*args)

    timer = threading.Timer(wait, later)
    timer.daemon = True
    with _lock:
        if vote_id in _pending:
            return
        _pending[vote_id] = timer
    timer.start()
