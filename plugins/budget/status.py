"""The vote of a budget process as a timed subject of the core (``convergence.phases``):
kind ``budget.vote``, upcoming → open → closed by the vote phase's dates
(``budget_phases`` row ``vote``: ``starts_at``, ``ends_at``).

Pages and ballots read the state from the clock (:func:`vote_state`), so they are right at
once after a deadline. The transition is recorded once (``phase_transitions`` and
``Process.vote_state``) by the worker at the dates (:func:`schedule`), or by
:func:`open_now` / :func:`close_now`, with its work in the same transaction:

* **the opening** freezes the rules (``rules_frozen_at``: from then on the ballot's rules
  and the projects on it are fixed, and every ballot is checked against them);
* **the close** writes the sealed ballots out shuffled in one transaction and erases the
  box's salt (``casting.write_out``, as majority judgment does); after its commit the
  ``ballot-box-closed`` signal asks for the result (``convergence/hooks.py``): the results
  branch defers the allocation, which is heavy, and this module computes nothing.

Whoever changes the vote phase's dates calls :func:`schedule` after it; the worker's minute
sweep (:func:`_due`) catches anything missed.
"""

from __future__ import annotations

from convergence import audit, hooks, phases
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.refusal import Refused

from .models import NAME, VOTE, Phase, Process

PHASE_KIND = "budget.vote"
UPCOMING, OPEN, CLOSED = phases.UPCOMING, phases.OPEN, phases.CLOSED


def vote_state(process: Process, now=None) -> str:
    """upcoming, open or closed, from the clock; a close already recorded stays closed (a
    facilitator may close before the date)."""
    if process.vote_state == CLOSED:
        return CLOSED
    return phases.state_at(process.vote_opens_at, process.vote_closes_at, now or utcnow())


def _locked(process_id: int) -> Process | None:
    # Exclusive: wait for the ballots being written (they hold a shared lock on the row),
    # so that the close writes out every ballot accepted before it.
    return db.session.get(Process, process_id, with_for_update={"of": Process}, populate_existing=True)


def _state(process: Process, now) -> str:
    return phases.state_at(process.vote_opens_at, process.vote_closes_at, now)


def enter(process: Process, old: str, new: str) -> None:
    """The work of a transition, in its transaction (not committed)."""
    from . import casting

    if old == UPCOMING:
        # The rules are frozen from the opening on (a vote the worker found already past
        # its close is frozen and closed in one go).
        process.rules_frozen_at = utcnow()
        audit.record("budget.vote.opened", commune_id=process.commune_id, target=process.title[:120],
                     process=process.id, projects=len(casting.on_ballot(process)))
    process.vote_state = new
    db.session.flush()
    if new == CLOSED:
        written = casting.write_out(process)
        audit.record("budget.vote.closed", commune_id=process.commune_id, target=process.title[:120],
                     process=process.id, online_ballots=written)


def closed(process: Process, closed_by=None) -> None:
    """After the closing commit: ask for the result (the results branch connects)."""
    hooks.ballot_box_closed.send(process, method=NAME, box_id=process.box_id, asked_by=(NAME, str(process.id)),
                                 closed_by=closed_by)


def _announce(process: Process, old: str, new: str) -> None:
    if new == CLOSED:
        closed(process)


def _due(now) -> list[int]:
    vote = db.select(Phase.starts_at, Phase.ends_at, Phase.process_id).where(Phase.name == VOTE).subquery()
    passed_close = db.and_(Process.vote_state != CLOSED, vote.c.ends_at <= now)
    passed_open = db.and_(Process.vote_state == UPCOMING, vote.c.starts_at <= now)
    return list(db.session.scalars(
        db.select(Process.id).join(vote, vote.c.process_id == Process.id).where(db.or_(passed_close, passed_open))))


TIMED_VOTE = phases.TimedKind(
    name=PHASE_KIND, load=_locked, state=_state, recorded=lambda process: process.vote_state,
    enter=enter, announce=_announce, due=_due,
)


def schedule(process: Process) -> None:
    """Have the worker open and close the vote at its dates (after the caller's commit)."""
    phases.schedule(PHASE_KIND, process.id, process.vote_opens_at)
    phases.schedule(PHASE_KIND, process.id, process.vote_closes_at)


def advance(process_id: int) -> str | None:
    """Record what the clock says of the vote (the worker's entry point, phases.advance)."""
    return phases.advance(PHASE_KIND, process_id)


def _move(process: Process, new: str, message: str) -> str:
    locked = _locked(process.id)
    old = locked.vote_state
    if not phases.moves_forward(old, new) or not phases.record(PHASE_KIND, process.id, old, new):
        raise Refused(message, 409)
    phase = locked.phase(VOTE)
    if phase is not None:
        # The dates say what happened: the vote opened (closed) now.
        if new == OPEN:
            phase.starts_at = utcnow()
        elif new == CLOSED:
            phase.ends_at = utcnow()
            if phase.starts_at is not None and phase.starts_at >= phase.ends_at:
                phase.starts_at = None
    enter(locked, old, new)
    return old


def open_now(process: Process) -> str:
    """Open the vote now, in the caller's transaction (a facilitator's action)."""
    from flask_babel import gettext as _

    return _move(process, OPEN, _("This vote is already open or closed."))


def close_now(process: Process) -> str:
    """Close the vote now, in the caller's transaction; after the commit call
    :func:`close_announced`."""
    from flask_babel import gettext as _

    if vote_state(process) != OPEN:
        raise Refused(_("Only an open vote can be closed."), 409)
    return _move(process, CLOSED, _("Only an open vote can be closed."))


def close_announced(process: Process, old: str, closed_by=None) -> None:
    phases.changed(PHASE_KIND, process, old, CLOSED)
    closed(process, closed_by)


def opened_announced(process: Process, old: str) -> None:
    """After the commit of :func:`open_now`: the core's ``phase-changed``."""
    phases.changed(PHASE_KIND, process, old, OPEN)


def state_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {UPCOMING: _("The vote has not opened yet."), OPEN: _("The vote is open."),
            CLOSED: _("The vote is closed.")}
