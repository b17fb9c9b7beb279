"""A vote's status, computed from its times, and its announcement on the live channel.

There is no scheduler: ``opens_at`` and ``closes_at`` are compared with the clock
whenever a page is loaded or a ballot is cast, and the first request that notices a
change announces it (once, thanks to a conditional UPDATE) and fixes the hash chain
at the close.

Live events go to the live channel of the vote's space: its assembly's, or its thematic
circle's (``/cercles/<id>/direct``).
"""

from __future__ import annotations

import threading
import time

from flask import current_app
from flask_babel import lazy_gettext as _l

from convergence import live
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
    """Return the status; if it changed since it was last announced, announce it.

    Called at the start of every vote page. Only one request wins the conditional
    UPDATE, so each transition is published (and the chain fixed) exactly once.
    """
    current = status(vote)
    if current == vote.announced or (current == SCHEDULED and vote.announced == DRAFT):
        return current
    from .transactions import need_transaction

    if need_transaction():  # a ballot request in autocommit: the announcement needs a transaction
        current = status(vote)  # read again
        if current == vote.announced or (current == SCHEDULED and vote.announced == DRAFT):
            return current
    previous = vote.announced
    if current == CLOSED:
        from .ballots import lock_vote

        # Wait for the ballots being written (they hold a shared lock on the vote's row),
        # so that the register fixed below holds every ballot accepted before the close.
        lock_vote(vote, exclusive=True)
    won = db.session.execute(
        db.update(Vote)
        .where(Vote.id == vote.id, Vote.announced == previous)
        .values(announced=current)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won and current == CLOSED:
        from .closing import write_register

        write_register(vote)
    db.session.commit()
    if won:
        announce(vote, previous, current)
        if current == CLOSED:
            from .closing import closed

            closed(vote)
    return current


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
