"""The sealed ballot box of a vote (see ``convergence.ballot_box``): sealing a ballot, opening
them all for live results, and writing them out at the close.

A sealed ballot is ``receipt|grades`` (the grades as one digit per option, in position
order). Its row holds the sealed bytes and a keyed hash of the receipt, nothing else.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy.orm.attributes import set_committed_value

from convergence import ballot_box
from convergence.extensions import db

from .models import Ballot, BallotBox, SealedBallot, Vote


def name_box(vote: Vote) -> None:
    """Give a new vote's box the name mixed into its keys, once the vote has its id. Always
    ``mj:<vote id>``, the name of mj's boxes from before they moved to the core: revision
    mj_0005 carries it onto the box, and its downgrade needs nothing else to open them."""
    vote.box.seal_context = f"mj:{vote.id}"


def _box(vote: Vote) -> str:
    return vote.box.seal_context


def seal_of(vote: Vote) -> ballot_box.Seal:
    if vote.seal_salt is None:
        raise ValueError("this vote's ballot box is closed")
    return ballot_box.seal_for(_box(vote), vote.seal_salt)


def lookups(vote: Vote, receipt: str) -> list[bytes]:
    """The keyed hashes a ballot with this receipt may be filed under (current key first)."""
    if vote.seal_salt is None:
        return []
    return [seal.lookup(receipt) for seal in ballot_box.seals_for(_box(vote), vote.seal_salt)]


def seal(vote: Vote, receipt: str, grades: str) -> tuple[bytes, bytes]:
    """(lookup, sealed bytes) of a ballot."""
    keys = seal_of(vote)
    return keys.lookup(receipt), keys.seal(f"{receipt}|{grades}".encode("ascii"))


def _opened(vote: Vote, rows) -> list[tuple[str, str]]:
    opened = ballot_box.open_all(ballot_box.seals_for(_box(vote), vote.seal_salt), rows)
    return [tuple(text.decode("ascii").split("|", 1)) for text in opened]


def find(vote: Vote, receipt: str, *, for_update: bool = False) -> SealedBallot | None:
    """The sealed row of this receipt, or None (found by its keyed hash, never opened)."""
    keys = lookups(vote, receipt)
    if not keys:
        return None
    query = db.select(SealedBallot).where(SealedBallot.box_id == vote.box_id, SealedBallot.lookup.in_(keys))
    return db.session.scalar(query.with_for_update() if for_update else query)


# Live results of an open vote open every sealed ballot: a projector and a hundred phones
# asking at once, once a second, share one opening per process and second.
_TALLY_SECONDS = 1.0
_tallies: dict[tuple[int, str], tuple[float, dict[int, list[int]]]] = {}
_tallies_lock = threading.Lock()


def tally(vote: Vote, option_ids: tuple[int, ...]) -> dict[int, list[int]]:
    """Counts per option id and grade of the sealed ballots (open votes with live results)."""
    if vote.seal_salt is None:
        return {}
    key = (vote.id, vote.seal_salt)
    now = time.monotonic()
    with _tallies_lock:
        cached = _tallies.get(key)
    if cached is not None and now - cached[0] < _TALLY_SECONDS:
        return cached[1]
    rows = db.session.scalars(db.select(SealedBallot.sealed).where(SealedBallot.box_id == vote.box_id)).all()
    return _counted(vote, option_ids, rows, now)


def tallies(votes: list[tuple[Vote, tuple[int, ...]]]) -> dict[int, dict[int, list[int]]]:
    """:func:`tally` of several votes (each with its option ids), by vote id: the sealed
    rows of those not counted in the last second read in one query, whatever their number."""
    now = time.monotonic()
    found: dict[int, dict[int, list[int]]] = {}
    missing: dict[int, tuple[Vote, tuple[int, ...]]] = {}
    for vote, option_ids in votes:
        if vote.seal_salt is None:
            continue
        with _tallies_lock:
            cached = _tallies.get((vote.id, vote.seal_salt))
        if cached is not None and now - cached[0] < _TALLY_SECONDS:
            found[vote.id] = cached[1]
        else:
            missing[vote.box_id] = (vote, option_ids)
    if missing:
        rows: dict[int, list[bytes]] = {box_id: [] for box_id in missing}
        for box_id, sealed_ballot in db.session.execute(
                db.select(SealedBallot.box_id, SealedBallot.sealed).where(SealedBallot.box_id.in_(missing))):
            rows[box_id].append(sealed_ballot)
        for box_id, (vote, option_ids) in missing.items():
            found[vote.id] = _counted(vote, option_ids, rows[box_id], now)
    return found


def _counted(vote: Vote, option_ids: tuple[int, ...], rows, now: float) -> dict[int, list[int]]:
    """Open the sealed ``rows`` of ``vote``, count them, keep the counts for a second."""
    counts = {option_id: [0] * vote.n_grades for option_id in option_ids}
    for _receipt, grades in _opened(vote, rows):
        for option_id, digit in zip(option_ids, grades):
            counts[option_id][int(digit)] += 1
    with _tallies_lock:
        if len(_tallies) > 1000:
            _tallies.clear()
        _tallies[(vote.id, vote.seal_salt)] = (now, counts)
    return counts


_ADD_ONLINE = db.text(
    "INSERT INTO mj_counts (vote_id, option_id, grade, shard, count) VALUES (:vote_id, :option_id, :grade, 0, :count)")


def write_out(vote: Vote, option_ids: tuple[int, ...]) -> int:
    """At the close, under the vote's exclusive lock, in the closing transaction: every
    ballot of the vote (the sealed ones and any written before sealing existed) is written
    to the box's ``ballots`` again in random order, the online counters are rewritten from them, the
    sealed rows are deleted and the box's salt erased. Every row this leaves carries the
    mark of this one transaction, and their order is drawn at random. Returns the number of
    online ballots."""
    sealed_rows = db.session.scalars(db.select(SealedBallot.sealed).where(SealedBallot.box_id == vote.box_id)).all()
    everything = _opened(vote, sealed_rows) if vote.seal_salt is not None else []
    everything += [tuple(row) for row in db.session.execute(
        db.select(Ballot.receipt, Ballot.content).where(Ballot.box_id == vote.box_id))]
    everything = ballot_box.shuffled(everything)
    db.session.execute(db.delete(Ballot).where(Ballot.box_id == vote.box_id).execution_options(synchronize_session=False))
    db.session.execute(db.delete(SealedBallot).where(SealedBallot.box_id == vote.box_id)
                       .execution_options(synchronize_session=False))
    if everything:
        db.session.execute(db.insert(Ballot), [
            {"box_id": vote.box_id, "receipt": receipt, "content": grades} for receipt, grades in everything])
    counts: dict[tuple[int, int], int] = {}
    for _receipt, grades in everything:
        for option_id, digit in zip(option_ids, grades):
            counts[(option_id, int(digit))] = counts.get((option_id, int(digit)), 0) + 1
    db.session.execute(db.text("DELETE FROM mj_counts WHERE vote_id = :vote_id AND shard >= 0"),
                       {"vote_id": vote.id})
    if counts:
        db.session.execute(_ADD_ONLINE, [
            {"vote_id": vote.id, "option_id": option_id, "grade": grade, "count": count}
            for (option_id, grade), count in sorted(counts.items())])
    db.session.execute(db.update(BallotBox).where(BallotBox.id == vote.box_id).values(seal_salt=None)
                       .execution_options(synchronize_session=False))
    set_committed_value(vote.box, "seal_salt", None)
    return len(everything)
