"""Closing a vote: one transaction writes the sealed ballots out and fixes the register,
then, after its commit, the close is announced and the ``vote-closed`` signal sent.

:func:`close_now` then :func:`close_announced` are what a facilitator's button runs (the
page's handler commits between them); :func:`close`, both with the commit, is what other
plug-ins call (``api.close_vote``); a vote whose closing time passed is closed by the worker
(``status.TIMED_VOTE``, through ``convergence.phases``) with the same two steps
(:func:`write_register` in the transaction, :func:`closed` after it).
"""

from __future__ import annotations

from flask_babel import gettext as _

from convergence import audit, hooks, phases
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.refusal import Refused

from .method import MajorityJudgment
from .models import Vote


class CannotClose(Refused, ValueError):
    """Only an open vote can be closed (message translated; 409: the vote changed under the
    person, who saw it open)."""

    def __init__(self, message: str):
        super().__init__(message, 409)


def write_register(vote: Vote) -> None:
    """In the closing transaction, under the vote's exclusive lock: write the ballots out
    in random order, fix the register's head, and record the close in the journal."""
    from .chain import finalise

    finalise(vote)
    audit.record("mj.vote.closed", commune_id=vote.commune_id, target=vote.question[:120],
                 vote=vote.id, register_head=vote.chain_head, online_ballots=vote.chain_length)


def asked_by(vote: Vote) -> tuple[str, str] | None:
    if vote.asked_by is None:
        return None
    return vote.asked_by, vote.asked_ref or ""


def closed(vote: Vote, closed_by=None) -> None:
    """After the closing commit: tell the plug-in that asked for the vote its result."""
    from .results import compute

    hooks.vote_closed.send(vote, method=MajorityJudgment.name, result=compute(vote),
                           asked_by=asked_by(vote), closed_by=closed_by)


def close_now(vote: Vote) -> str:
    """Close voting now, in the caller's transaction (not committed): the vote's exclusive
    lock, the ballots written out, the register fixed. Returns the status announced before,
    for :func:`close_announced`. Raises :class:`CannotClose` unless the vote is open."""
    from .ballots import lock_vote
    from .status import CLOSED, OPEN, PHASE_KIND, phase_of

    if lock_vote(vote, exclusive=True) != OPEN:
        raise CannotClose(_("Only an open vote can be closed."))
    vote.closes_at = utcnow()
    previous, vote.announced = vote.announced, CLOSED
    phases.record(PHASE_KIND, vote.id, phase_of(previous), phases.CLOSED)
    db.session.flush()
    write_register(vote)
    return previous


def close_announced(vote: Vote, previous: str, closed_by=None) -> None:
    """After the closing commit: ``phase-changed``, the live channel, then ``vote-closed``."""
    from .status import CLOSED, PHASE_KIND, announce, phase_of

    phases.changed(PHASE_KIND, vote, phase_of(previous), phases.CLOSED)
    announce(vote, previous, CLOSED)
    closed(vote, closed_by)


def close(vote: Vote, closed_by=None) -> None:
    """Close voting now and commit: the register is fixed, the close announced on the live
    channel, then ``vote-closed`` is sent. Raises :class:`CannotClose` unless the vote is open."""
    try:
        previous = close_now(vote)
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    close_announced(vote, previous, closed_by)
