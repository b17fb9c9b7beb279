"""Paper ballots counted in the room, entered by batch (a ballot box, a table): their
counts per option and grade go to the tally's paper counters with the batch.

Written in the caller's transaction, never committed (a page's handler commits once;
:mod:`plugins.mj.api` commits for other plug-ins); :func:`results_changed` after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db

from . import ballots
from .models import PAPER_SHARD, PaperBatch, PaperCount, Vote
from .status import CLOSED, EVENT_RESULTS, channel_of, publish, results_visible
from .votes import VoteDefinitionError

MAX_COUNT = 1_000_000
LABEL_MAX = 120


def check_counts(vote: Vote, counts: dict[int, Sequence[int]]) -> int:
    """The number of ballots of a batch: every paper ballot grades every option, so all
    options must add up to the same number. Raises :class:`VoteDefinitionError`."""
    options = list(vote.options)
    if set(counts) != {o.id for o in options}:
        raise VoteDefinitionError(_("Give counts for every option of this vote, and only for them."))
    totals = set()
    for option in options:
        row = counts[option.id]
        if len(row) != vote.n_grades or any(
                isinstance(c, bool) or not isinstance(c, int) or c < 0 or c > MAX_COUNT for c in row):
            raise VoteDefinitionError(_("Each count must be a whole number from 0 to 1,000,000."))
        totals.add(sum(row))
    if len(totals) != 1:
        raise VoteDefinitionError(_("Every option must have the same number of paper ballots: each ballot grades every option."))
    in_batch = totals.pop()
    if in_batch == 0:
        raise VoteDefinitionError(_("This batch holds no ballot."))
    return in_batch


def add_batch(vote: Vote, counts: dict[int, Sequence[int]], *, label: str = "", entered_by=None) -> PaperBatch:
    """Record a batch: ``counts[option_id][grade]``, worst first. Refused once the vote is
    closed (the register is fixed then): checked under the vote's shared lock."""
    in_batch = check_counts(vote, counts)
    if ballots.lock_vote(vote) == CLOSED:
        raise VoteDefinitionError(_("This vote is closed: paper ballots can no longer be added."), 410)
    batch = PaperBatch(box_id=vote.box_id, label=" ".join(label.split())[:LABEL_MAX], ballots=in_batch,
                       entered_by_id=getattr(entered_by, "id", None))
    batch.counts = [
        PaperCount(option_id=option.id, grade=grade, count=count)
        for option in vote.options for grade, count in enumerate(counts[option.id]) if count
    ]
    db.session.add(batch)
    db.session.flush()
    ballots.add_counts(vote.id, [(c.option_id, c.grade, c.count) for c in batch.counts], shard=PAPER_SHARD)
    audit.record("mj.paper.added", commune_id=vote.commune_id, target=vote.question[:120],
                 vote=vote.id, batch=batch.id, ballots=in_batch)
    return batch


def withdraw_batch(vote: Vote, batch_id: int) -> None:
    """Withdraw a batch entered by mistake (before the close)."""
    if ballots.lock_vote(vote) == CLOSED:
        raise VoteDefinitionError(_("This vote is closed: its paper ballots can no longer change."), 410)
    batch = db.session.scalar(
        db.select(PaperBatch).where(PaperBatch.id == batch_id, PaperBatch.box_id == vote.box_id))
    if batch is None:
        raise VoteDefinitionError(_("This batch of paper ballots does not exist."), 409)
    ballots.add_counts(vote.id, [(c.option_id, c.grade, -c.count) for c in batch.counts], shard=PAPER_SHARD)
    audit.record("mj.paper.removed", commune_id=vote.commune_id, target=vote.question[:120],
                 vote=vote.id, batch=batch.id, ballots=batch.ballots)
    db.session.delete(batch)


def batches(vote: Vote) -> list[PaperBatch]:
    return db.session.scalars(
        db.select(PaperBatch).where(PaperBatch.box_id == vote.box_id).order_by(PaperBatch.id)).all()


def results_changed(vote: Vote) -> None:
    """After the commit of a batch: pages showing live results update."""
    if results_visible(vote):
        publish(channel_of(vote), EVENT_RESULTS, {"vote_id": vote.id})
