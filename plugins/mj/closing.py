"""Closing a vote: one transaction writes the sealed ballots out and fixes the register,
then, after its commit, the close is announced and the ``vote-closed`` signal sent.

:func:`close` is what a facilitator's button calls, and what a scheduled closing calls (one
function, with the vote); a vote whose closing time passed is closed by
``status.sync`` on the next page or ballot, through the same two steps
(:func:`write_register` in the transaction, :func:`closed` after it).
"""

from __future__ import annotations

from flask_babel import gettext as _

from convergence import audit, hooks
from convergence.extensions import db
from convergence.models.base import utcnow

from .method import MajorityJudgment
from .models import Vote


class CannotClose(ValueError):
    """Only an open vote can be closed (message translated)."""


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


def close(vote: Vote, closed_by=None) -> None:
    """Close voting now: the register is fixed, the close announced on the live channel,
    then ``vote-closed`` is sent. Raises :class:`CannotClose` unless the vote is open."""
    from .ballots import lock_vote
    from .status import CLOSED, OPEN, announce

    if lock_vote(vote, exclusive=True) != OPEN:
        db.session.rollback()
        raise CannotClose(_("Only an open vote can be closed."))
    vote.closes_at = utcnow()
    previous, vote.announced = vote.announced, CLOSED
    db.session.flush()
    write_register(vote)
    db.session.commit()
    announce(vote, previous, CLOSED)
    closed(vote, closed_by)
