"""Casting and changing ballots: one transaction each, or nothing at all.

A new ballot writes two things in one transaction: the participation (who) and the sealed
ballot (what, unreadable without the server's key, see ``sealed.py``). The database
refuses a second participation of the same person or code, so a double submit, even from
two processes at the same instant, ends in an IntegrityError and a rollback of both. The
tally's online counters are not touched while voting is open: they are written by the
close, from the ballots, so their history says nothing of who voted what.
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from convergence.balloting import autocommit, receipts
from convergence.extensions import db
from convergence.models import driver
from convergence.models.base import utcnow

from . import sealed
from .engine import MAX_GRADES
from .method import MajorityJudgment, Sheet
from .models import SHARDS, Ballot, Code, Option, Participation, SealedBallot, Vote
from .status import CLOSED, OPEN, status_at

# Receipts and voting codes are the balloting service's (random, typed back leniently).
new_receipt, normalise_receipt = receipts.new_receipt, receipts.normalise_receipt
new_code, normalise_code = receipts.new_code, receipts.normalise_code


class BallotError(Exception):
    """A ballot that cannot be recorded; ``message`` is for the voter, ``status`` for HTTP."""

    status = 422

    def __init__(self, message, status: int | None = None, reason: str = ""):
        super().__init__(str(message))
        self.message = message
        self.reason = reason
        if status is not None:
            self.status = status


# -- grades -----------------------------------------------------------------------------

# Once a vote is open its options never change (update_vote refuses), so a process may
# keep their ids: casting a ballot then loads one row for the vote, not one per option.
# Keyed with the creation time too, as SQLite may give a deleted vote's id to a new one.
_FROZEN_OPTIONS: dict[tuple[int, object], tuple[int, ...]] = {}


def option_ids(vote: Vote) -> tuple[int, ...]:
    """The vote's option ids in position order (the order of a ballot's digits)."""
    if "options" in vote.__dict__:  # already loaded with the vote
        return tuple(option.id for option in vote.options)
    if status_at(vote.opens_at, vote.closes_at, utcnow()) not in (OPEN, CLOSED):
        return tuple(option.id for option in vote.options)
    key = (vote.id, vote.created_at)
    ids = _FROZEN_OPTIONS.get(key)
    if ids is None:
        ids = tuple(db.session.scalars(
            db.select(Option.id).where(Option.vote_id == vote.id).order_by(Option.position)))
        if len(_FROZEN_OPTIONS) > 10_000:
            _FROZEN_OPTIONS.clear()
        _FROZEN_OPTIONS[key] = ids
    return ids


# What a ballot holds and how it is written is the counting method's (method.py).
MAJORITY_JUDGMENT = MajorityJudgment()


def sheet_of(vote: Vote) -> Sheet:
    return Sheet(option_ids(vote), vote.n_grades)


def encode(ids, grades: dict[int, int]) -> str:
    return MAJORITY_JUDGMENT.serialise(Sheet(tuple(ids), MAX_GRADES), grades)


def decode(vote: Vote, text: str) -> dict[int, int]:
    return MAJORITY_JUDGMENT.deserialise(sheet_of(vote), text)


# -- checks -----------------------------------------------------------------------------

def lock_vote(vote: Vote, *, exclusive: bool = False) -> str:
    """Lock the vote's row and return its status as of now.

    Ballots take a shared lock (FOR KEY SHARE: many voters at once), the close takes
    an exclusive one (FOR UPDATE). So the close waits for the ballots being written,
    and a ballot that waited for the close sees it: no ballot slips in after the
    hash chain is fixed. SQLite ignores the clause; it writes one transaction at a time.
    """
    query = db.select(Vote.opens_at, Vote.closes_at, Vote.announced).where(Vote.id == vote.id)
    query = query.with_for_update() if exclusive else query.with_for_update(read=True, key_share=True)
    opens_at, closes_at, announced = db.session.execute(query).one()
    # A close is marked in the row it locks: a ballot that waited for it is refused even if
    # its own clock reading came a moment before the closing time.
    return CLOSED if announced == CLOSED else status_at(opens_at, closes_at, utcnow())


def _require_open(vote: Vote) -> None:
    current = lock_vote(vote)
    if current == CLOSED:
        raise BallotError(_l("This vote is closed: ballots are no longer accepted."), 410)
    if current != OPEN:
        raise BallotError(_l("This vote is not open yet."), 403)


def has_participated(vote: Vote, *, user_id: int | None = None, code_id: int | None = None) -> bool:
    return db.session.scalar(
        db.select(Participation.id).where(Participation.box_id == vote.box_id,
                                          Participation.whose(user_id, code_id))
    ) is not None


def find_code(vote: Vote, text: str | None) -> Code | None:
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.scalar(db.select(Code).where(Code.box_id == vote.box_id, Code.code == code))


def find_code_id(vote: Vote, text: str | None) -> int | None:
    """Like find_code, without building an object (on every ballot of a vote by codes)."""
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.scalar(db.select(Code.id).where(Code.box_id == vote.box_id, Code.code == code))


def code_used(code: Code) -> bool:
    return db.session.scalar(db.select(Participation.id).where(Participation.code_id == code.id)) is not None


def find_ballot(vote: Vote, receipt: str | None) -> Ballot | None:
    """A ballot of the register (written out at the close)."""
    receipt = normalise_receipt(receipt)
    if receipt is None:
        return None
    return db.session.get(Ballot, (vote.box_id, receipt))


def receipt_known(vote: Vote, receipt: str | None) -> bool:
    """Whether a ballot of this vote, open or closed, has this receipt."""
    normalised = normalise_receipt(receipt)
    if normalised is None:
        return False
    return sealed.find(vote, normalised) is not None or db.session.get(Ballot, (vote.box_id, normalised)) is not None


# -- counters ---------------------------------------------------------------------------

# Plain SQL, the same text every time: SQLAlchemy caches it, and executemany sends the
# rows in one go (psycopg pipelines them). PostgreSQL and SQLite share this syntax.
_ADD_COUNT = db.text(
    "INSERT INTO mj_counts (vote_id, option_id, grade, shard, count) "
    "VALUES (:vote_id, :option_id, :grade, :shard, :count) "
    "ON CONFLICT (vote_id, option_id, grade, shard) DO UPDATE SET count = mj_counts.count + excluded.count"
)


def add_counts(vote_id: int, deltas: list[tuple[int, int, int]], *, shard: int | None = None) -> None:
    """Add ``(option_id, grade, delta)`` to the tally's counters.

    Online ballots go to one random shard (0..SHARDS-1) per transaction, in a fixed
    order, so two transactions never lock the same rows in opposite orders (no
    deadlock); paper counts go to shard PAPER_SHARD.
    """
    if not deltas:
        return
    if shard is None:
        shard = secrets.randbelow(SHARDS)
    db.session.execute(_ADD_COUNT, [
        {"vote_id": vote_id, "option_id": option_id, "grade": grade, "shard": shard, "count": delta}
        for option_id, grade, delta in sorted(deltas)
    ])


# -- casting ----------------------------------------------------------------------------

# PostgreSQL: the whole ballot in one statement, one round trip. The first CTE locks the
# vote's row (shared) and re-reads it once the lock is granted, so a ballot racing the
# close either commits before the register is fixed or finds the vote closed and writes
# nothing: the close marks the row ("announced") under its exclusive lock, and that mark
# decides even when the ballot's clock reading (:now) came just before the closing time.
# Then the participation and the sealed ballot.
_CAST_PG = driver.Statement("""
WITH open_vote AS (
    SELECT box_id FROM mj_votes
    WHERE id = :vote_id AND opens_at <= :now AND (closes_at IS NULL OR closes_at > :now)
      AND announced IS DISTINCT FROM 'closed'
    FOR KEY SHARE
), participation AS (
    INSERT INTO ballot_participations (box_id, user_id, code_id)
    SELECT box_id, :user_id, :code_id FROM open_vote
    RETURNING box_id
)
INSERT INTO ballot_sealed (box_id, lookup, sealed)
SELECT box_id, :lookup, :sealed FROM participation
RETURNING 1
""")


def _cast_postgres(vote: Vote, receipt: str, text: str, user_id, code_id) -> None:
    lookup, sealed_ballot = sealed.seal(vote, receipt, text)
    written = driver.rows(_CAST_PG, {
        "vote_id": vote.id, "now": utcnow(), "user_id": user_id, "code_id": code_id,
        "lookup": lookup, "sealed": sealed_ballot,
    })
    if not written:
        _require_open(vote)  # says why (closed, not open yet)
        raise BallotError(_l("Your ballot could not be recorded. Please send it again."), 409)


def _cast_portable(vote: Vote, receipt: str, text: str, user_id, code_id) -> None:
    _require_open(vote)
    lookup, sealed_ballot = sealed.seal(vote, receipt, text)
    db.session.execute(db.insert(Participation).values(box_id=vote.box_id, user_id=user_id, code_id=code_id))
    db.session.execute(db.insert(SealedBallot).values(box_id=vote.box_id, lookup=lookup, sealed=sealed_ballot))


def cast(vote: Vote, grades: dict[int, int], *, user_id: int | None = None,
         code_id: int | None = None) -> str:
    """Record a first ballot and return its receipt; commits, or rolls back everything.
    On PostgreSQL the ballot is one statement, atomic even in autocommit
    (see ``convergence/balloting/autocommit.py``); elsewhere it takes several, in one transaction."""
    Participation.one_voter(user_id, code_id)
    text = MAJORITY_JUDGMENT.serialise(sheet_of(vote), grades)
    try:
        receipt = new_receipt()
        if db.session.get_bind().dialect.name == "postgresql":
            write = _cast_postgres
        else:
            autocommit.need_transaction()
            write = _cast_portable
        write(vote, receipt, text, user_id, code_id)
        autocommit.commit()
    except IntegrityError:
        db.session.rollback()
        if has_participated(vote, user_id=user_id, code_id=code_id):
            raise BallotError(_l("Your ballot has already been recorded (it may have been sent twice). "
                                 "To change it, give your receipt."), 409, "already-voted") from None
        raise BallotError(_l("Your ballot could not be recorded. Please send it again."), 409) from None
    except BaseException:
        db.session.rollback()
        raise
    return receipt


def change(vote: Vote, receipt: str, grades: dict[int, int], *, user_id: int | None = None,
           code_id: int | None = None) -> str:
    """Replace the ballot with this receipt; only someone who has voted may do it."""
    autocommit.need_transaction()  # several statements and a row lock: never in autocommit
    whose = Participation.whose(user_id, code_id)
    options = option_ids(vote)
    text = MAJORITY_JUDGMENT.serialise(Sheet(options, vote.n_grades), grades)
    try:
        _require_open(vote)
        if db.session.scalar(db.select(Participation.id).where(Participation.box_id == vote.box_id, whose)) is None:
            raise BallotError(_l("You have not voted yet in this vote."), 409)
        normalised = normalise_receipt(receipt)
        found = sealed.find(vote, normalised, for_update=True) if normalised is not None else None
        if found is not None:
            found.sealed = sealed.seal(vote, normalised, text)[1]
        else:
            # A ballot cast before sealing existed (the upgrade kept it in clear): sealed now.
            ballot = None
            if normalised is not None:
                ballot = db.session.scalar(
                    db.select(Ballot).where(Ballot.box_id == vote.box_id, Ballot.receipt == normalised)
                    .with_for_update()
                )
            if ballot is None:
                raise BallotError(_l("No ballot of this vote has this receipt. Check the code you typed."), 422)
            add_counts(vote.id, [(option_id, int(old), -1) for option_id, old in zip(options, ballot.content)])
            db.session.delete(ballot)
            lookup, sealed_ballot = sealed.seal(vote, normalised, text)
            db.session.add(SealedBallot(box_id=vote.box_id, lookup=lookup, sealed=sealed_ballot))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return normalised
