"""Casting budget ballots into the process's ballot box (the core's balloting service):
one transaction each, or nothing at all; voting codes; the close's writing out.

A first ballot writes the participation (who: one per person or code and box, by the
database's unique constraints) and the sealed ballot (what: ``receipt|text`` sealed under
the box's key, ``convergence.ballot_box``) in one transaction. On PostgreSQL it is one
statement (:data:`_CAST_PG`), which also locks the process's row (shared) and checks the
vote is open: a ballot racing the close either commits before the close writes the box out
or finds the vote closed and writes nothing. A second ballot of the same person fails on
the unique constraint; changing a ballot takes its receipt (the sealed row is found by a
keyed hash of it). The close (:func:`write_out`, under the row's exclusive lock) opens
every sealed ballot and writes them all out to ``ballots`` in random order.

Sealed ballots are padded to one length per process: the length of a ciphertext would say
how many projects its voter chose.
"""

from __future__ import annotations

from flask import g, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from convergence import audit, ballot_box
from convergence.balloting import BY_CODES, Electorate, autocommit, members_of, receipts
from convergence.balloting.models import Ballot, BallotBox, Participation, SealedBallot, VotingCode
from convergence.extensions import db
from convergence.models import driver
from convergence.models.base import utcnow
from convergence.permissions import can
from convergence.refusal import Refused

from . import ballots, roll
from .method import BudgetBallots, Definition
from .models import VOTE, Phase, Process
from .projects import on_ballot as projects_on_ballot
from .status import CLOSED, OPEN, vote_state

METHOD = BudgetBallots()
CODES_KEY = "budget_codes"
MAX_CODES_AT_ONCE = 1000


class BallotError(Refused):
    """A ballot that cannot be recorded (message for the voter, HTTP status)."""

    def __init__(self, message, status: int = 422, reason: str = ""):
        super().__init__(message, status)
        self.reason = reason


# -- the ballot: projects and rules -----------------------------------------------------

# Once the vote has opened, the projects on the ballot never change (the rules are frozen,
# the review is over): a process keeps them, and a ballot costs no query for them. Keyed
# with the freezing time, so a process id given again (SQLite) is not mistaken.
_FROZEN: dict[tuple[int, object], dict[int, int]] = {}


def _feasible(process: Process) -> dict[int, int]:
    return {p.number: p.vote_cost for p in projects_on_ballot(process)}


def on_ballot(process: Process) -> dict[int, int]:
    """Number → cost the vote uses (the review's, else the authors') of every project on
    the ballot: the feasible ones."""
    if process.rules_frozen_at is None:
        return _feasible(process)
    key = (process.id, process.rules_frozen_at)
    found = _FROZEN.get(key)
    if found is None:
        if len(_FROZEN) > 1000:
            _FROZEN.clear()
        found = _FROZEN[key] = _feasible(process)
    return found


def rules_of(process: Process, costs: dict[int, int] | None = None) -> ballots.BallotRules:
    return ballots.BallotRules(
        kind=process.ballot_kind, costs=on_ballot(process) if costs is None else costs,
        min_choices=process.min_choices, max_choices=process.max_choices,
        max_points_per_project=process.max_points_per_project, max_points=process.max_points,
        envelope=process.envelope if process.ballot_kind == ballots.KNAPSACK else None)


def definition(process: Process) -> Definition:
    """What the tally needs (for the results' computation)."""
    return Definition(rules_of(process), process.envelope, process.rule, process.tie_seed)


def padded_length(rules: ballots.BallotRules) -> int:
    """The longest text a valid ballot of these rules can have: every sealed ballot of the
    process is padded to it."""
    most = rules.max_points_per_project or rules.max_points or 1
    return len(ballots.serialise(dict.fromkeys(rules.costs, most), rules.kind))


# -- who votes ---------------------------------------------------------------------------

def electorate(process: Process) -> Electorate:
    if process.voters == "codes":
        return BY_CODES
    return members_of(process.space)


def typed_code(process_id: int) -> str | None:
    return receipts.normalise_code((session.get(CODES_KEY) or {}).get(str(process_id)))


def remember_code(process_id: int, code: str) -> None:
    codes = dict(session.get(CODES_KEY) or {})
    codes[str(process_id)] = code
    session[CODES_KEY] = codes


def forget_code(process_id: int) -> None:
    codes = dict(session.get(CODES_KEY) or {})
    if codes.pop(str(process_id), None) is not None:
        session[CODES_KEY] = codes


def forget_voting_secrets(*_args, **_kwargs) -> None:
    """At logout: the next person on the device must type their own code."""
    session.pop(CODES_KEY, None)


def find_code(process: Process, text: str | None) -> VotingCode | None:
    code = receipts.normalise_code(text)
    if code is None:
        return None
    return db.session.scalar(db.select(VotingCode).where(VotingCode.box_id == process.box_id,
                                                         VotingCode.code == code))


def voter(process: Process) -> tuple[int | None, int | None] | None:
    """(user id, code id) of whoever may cast a ballot here from this browser, or None:
    a member of the process's space with their account (``voters`` "members" or "both"),
    else the holder of the code typed on this device ("codes" or "both")."""
    if process.voters != "codes" and current_user.is_authenticated and can("budget.ballot.cast", process):
        return current_user.id, None
    if process.voters in ("codes", "both"):
        known = g.setdefault("budget_code_ids", {})
        if process.id not in known:
            text = typed_code(process.id)
            code = find_code(process, text) if text else None
            known[process.id] = code.id if code is not None else None
        if known[process.id] is not None:
            return None, known[process.id]
    return None


def has_participated(process: Process, *, user_id=None, code_id=None) -> bool:
    return db.session.scalar(db.select(Participation.id).where(
        Participation.box_id == process.box_id, Participation.whose(user_id, code_id))) is not None


# -- sealing -----------------------------------------------------------------------------

def _seal(process: Process):
    box = process.box
    if box.seal_salt is None:
        raise BallotError(_l("This vote is closed: ballots are no longer accepted."), 410)
    return ballot_box.seal_for(box.seal_context, box.seal_salt)


def sealed(process: Process, receipt: str, text: str, rules: ballots.BallotRules) -> tuple[bytes, bytes]:
    keys = _seal(process)
    plain = f"{receipt}|{text}".ljust(len(receipt) + 1 + padded_length(rules))
    return keys.lookup(receipt), keys.seal(plain.encode("ascii"))


def _opened(box: BallotBox, rows) -> list[tuple[str, str]]:
    opened = ballot_box.open_all(ballot_box.seals_for(box.seal_context, box.seal_salt), rows)
    return [tuple(text.decode("ascii").rstrip(" ").split("|", 1)) for text in opened]


def find_sealed(process: Process, receipt: str, *, for_update: bool = False) -> SealedBallot | None:
    box = process.box
    if box.seal_salt is None:
        return None
    keys = [seal.lookup(receipt) for seal in ballot_box.seals_for(box.seal_context, box.seal_salt)]
    query = db.select(SealedBallot).where(SealedBallot.box_id == box.id, SealedBallot.lookup.in_(keys))
    return db.session.scalar(query.with_for_update() if for_update else query)


def receipt_known(process: Process, receipt: str | None) -> bool:
    normalised = receipts.normalise_receipt(receipt)
    return normalised is not None and find_sealed(process, normalised) is not None


# -- casting -----------------------------------------------------------------------------

def lock(process: Process, *, exclusive: bool = False) -> str:
    """Lock the process's row (shared for a ballot, exclusive for the close) and return
    the vote's state as of now. SQLite ignores the clause (one writer at a time)."""
    query = (db.select(Process.vote_state, Phase.starts_at, Phase.ends_at)
             .join(Phase, db.and_(Phase.process_id == Process.id, Phase.name == VOTE), isouter=True)
             .where(Process.id == process.id))
    query = query.with_for_update(of=Process) if exclusive else query.with_for_update(of=Process, read=True,
                                                                                     key_share=True)
    recorded, starts_at, ends_at = db.session.execute(query).one()
    if recorded == CLOSED:
        return CLOSED
    from convergence import phases

    return phases.state_at(starts_at, ends_at, utcnow())


def require_open(process: Process) -> None:
    current = lock(process)
    if current == CLOSED:
        raise BallotError(_l("This vote is closed: ballots are no longer accepted."), 410)
    if current != OPEN:
        raise BallotError(_l("This vote is not open yet."), 403)


# PostgreSQL: the whole first ballot in one statement, one round trip (see mj's ballots.py):
# the first CTE locks the process's row (shared) once the vote is open by its dates and not
# marked closed; then the participation and the sealed ballot.
_CAST_PG = driver.Statement("""
WITH open_process AS (
    SELECT p.box_id FROM budget_processes p
    JOIN budget_phases ph ON ph.process_id = p.id AND ph.name = 'vote'
    WHERE p.id = :process_id AND ph.starts_at <= :now AND (ph.ends_at IS NULL OR ph.ends_at > :now)
      AND p.vote_state <> 'closed'
    FOR KEY SHARE OF p
), participation AS (
    INSERT INTO ballot_participations (box_id, user_id, code_id)
    SELECT box_id, :user_id, :code_id FROM open_process
    RETURNING box_id
)
INSERT INTO ballot_sealed (box_id, lookup, sealed)
SELECT box_id, :lookup, :sealed FROM participation
RETURNING 1
""")


def cast(process: Process, content: dict[int, int], *, user_id=None, code_id=None,
         rules: ballots.BallotRules | None = None) -> str:
    """Record a first ballot (checked against the rules) and return its receipt; commits,
    or rolls back everything and raises :class:`BallotError`."""
    Participation.one_voter(user_id, code_id)
    rules = rules or rules_of(process)
    status = ballots.check(rules, content)
    if not status.valid:
        from .method import status_sentence

        raise BallotError(status_sentence(rules, status), 422, "rules")
    text = METHOD.serialise(rules, content)
    receipt = receipts.new_receipt()
    try:
        lookup, sealed_ballot = sealed(process, receipt, text, rules)
        if db.session.get_bind().dialect.name == "postgresql":
            written = driver.rows(_CAST_PG, {
                "process_id": process.id, "now": utcnow(), "user_id": user_id, "code_id": code_id,
                "lookup": lookup, "sealed": sealed_ballot})
            if not written:
                require_open(process)  # says why (closed, not open yet)
                raise BallotError(_l("Your ballot could not be recorded. Please send it again."), 409)
        else:
            autocommit.need_transaction()
            require_open(process)
            db.session.execute(db.insert(Participation).values(box_id=process.box_id, user_id=user_id,
                                                               code_id=code_id))
            db.session.execute(db.insert(SealedBallot).values(box_id=process.box_id, lookup=lookup,
                                                              sealed=sealed_ballot))
        autocommit.commit()
    except IntegrityError:
        db.session.rollback()
        how = roll.voted(process, user_id=user_id, code_id=code_id)
        if how is not None:
            if how.place is not None:  # marked on a polling place's register: no receipt to give
                raise BallotError(_l("You have already voted at the polling place « %(place)s »: one vote per "
                                     "person.", place=how.place), 409, "voted-on-paper") from None
            raise BallotError(_l("You have already voted. To change your ballot, give the receipt you received."),
                              409, "already-voted") from None
        raise BallotError(_l("Your ballot could not be recorded. Please send it again."), 409) from None
    except BaseException:
        db.session.rollback()
        raise
    return receipt


def change(process: Process, receipt: str, content: dict[int, int], *, user_id=None, code_id=None) -> str:
    """Replace the ballot with this receipt (only someone who has voted); commits."""
    autocommit.need_transaction()  # several statements and a row lock
    whose = Participation.whose(user_id, code_id)
    rules = rules_of(process)
    status = ballots.check(rules, content)
    if not status.valid:
        from .method import status_sentence

        raise BallotError(status_sentence(rules, status), 422, "rules")
    text = METHOD.serialise(rules, content)
    try:
        require_open(process)
        if db.session.scalar(db.select(Participation.id).where(Participation.box_id == process.box_id,
                                                               whose)) is None:
            raise BallotError(_l("You have not voted yet in this vote."), 409)
        normalised = receipts.normalise_receipt(receipt)
        found = find_sealed(process, normalised, for_update=True) if normalised is not None else None
        if found is None:
            raise BallotError(_l("No ballot of this vote has this receipt. Check the code you typed."), 422,
                              "receipt")
        found.sealed = sealed(process, normalised, text, rules)[1]
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return normalised


# -- the close ---------------------------------------------------------------------------

def write_out(process: Process) -> int:
    """At the close, under the process's exclusive lock, in the closing transaction: every
    sealed ballot opened and written to ``ballots`` in random order, the sealed rows
    deleted and the box's salt erased. Returns the number of online ballots."""
    box = process.box
    rows = db.session.scalars(db.select(SealedBallot.sealed).where(SealedBallot.box_id == box.id)).all()
    everything = ballot_box.shuffled(_opened(box, rows) if box.seal_salt is not None else [])
    db.session.execute(db.delete(SealedBallot).where(SealedBallot.box_id == box.id)
                       .execution_options(synchronize_session=False))
    if everything:
        db.session.execute(db.insert(Ballot), [
            {"box_id": box.id, "receipt": receipt, "content": text} for receipt, text in everything])
    db.session.execute(db.update(BallotBox).where(BallotBox.id == box.id).values(seal_salt=None)
                       .execution_options(synchronize_session=False))
    set_committed_value(box, "seal_salt", None)
    return len(everything)


def online_ballots(process: Process) -> list[str]:
    """The texts of the online ballots written out at the close (for the count)."""
    return list(db.session.scalars(db.select(Ballot.content).where(Ballot.box_id == process.box_id)))


def find_ballot(process: Process, receipt: str | None) -> Ballot | None:
    normalised = receipts.normalise_receipt(receipt)
    return None if normalised is None else db.session.get(Ballot, (process.box_id, normalised))


# -- voting codes ------------------------------------------------------------------------

def create_codes(process: Process, count: int, created_by=None) -> list[VotingCode]:
    """Add ``count`` codes (1..1000) to the process's box; not committed."""
    from flask_babel import gettext as _

    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise Refused(_("Create between 1 and 1000 codes at a time."), 422)
    if process.voters == "members":
        raise Refused(_("This vote is for the members of the space: it takes no voting codes."), 409)
    if vote_state(process) == CLOSED:
        raise Refused(_("This vote is closed."), 409)
    made = [VotingCode(box_id=process.box_id, code=receipts.new_code()) for _n in range(count)]
    db.session.add_all(made)
    audit.record("budget.codes.created", commune_id=process.commune_id, target=process.title[:120],
                 process=process.id, count=count)
    return made


def codes_listing(process: Process) -> list[tuple[str, int | None]]:
    """(code, its participation's id or None) of every code, in the order made."""
    return db.session.execute(
        db.select(VotingCode.code, Participation.id)
        .outerjoin(Participation, Participation.code_id == VotingCode.id)
        .where(VotingCode.box_id == process.box_id).order_by(VotingCode.id)).all()


def unused_codes(process: Process) -> list[str]:
    return [code for code, used in codes_listing(process) if used is None]
