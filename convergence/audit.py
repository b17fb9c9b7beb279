"""The journal of decisions: official acts, append-only, written in the act's transaction
and hash-chained per commune (one more chain for the acts without a commune).

``record()`` only adds the entry: it stays as cheap as an insert. The entry is chained when
its transaction commits (``before_commit``): the chain's lock is taken then, so that it is
held for the shortest time and always last — an act holding a vote's row lock while it
records cannot wait for the journal while another act, holding the journal, waits for that
row. On PostgreSQL the lock is a transaction-level advisory lock per chain; SQLite lets one
writer at a time anyway, and the entries are flushed before the chain's head is read so that
this transaction already is that writer. A UNIQUE (chain, sequence) constraint is the
database's own guarantee that a chain never forks.

How an entry's hash is computed, and why names are sealed with a salt (so that erasing an
account keeps the chain verifiable): convergence/journal_chain.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession

from . import journal_chain
from .extensions import db
from .models import AuditEntry
from .models.base import utcnow

# The journal keeps a short copy of what was acted on (the act itself names its object):
# a longer title is cut here, deliberately, rather than failing the act it records.
TARGET_LENGTH = AuditEntry.__table__.c.target.type.length

# First key of pg_advisory_xact_lock(key1, key2) for the journal's chains (« JRNL »); the
# second is the chain. No other lock of the application uses this key.
_LOCK_CLASS = 0x4A524E4C
_FLUSHED = "convergence_journal_unchained"


def record(action: str, *, commune_id: int | None, target: str = "", **details) -> AuditEntry:
    actor = current_user.id if getattr(current_user, "is_authenticated", False) else None
    if len(target) > TARGET_LENGTH:
        target = target[:TARGET_LENGTH - 1] + "…"
    entry = AuditEntry(actor_id=actor, action=action, commune_id=commune_id, target=target, details=details,
                       created_at=utcnow())
    db.session.add(entry)
    return entry


def chain_of(commune_id: int | None) -> int:
    return commune_id if commune_id is not None else 0


@event.listens_for(OrmSession, "after_flush")
def _note_flushed(session, _context) -> None:
    # Entries flushed before the commit (a query's autoflush): chained with the others then.
    flushed = [obj for obj in session.new if isinstance(obj, AuditEntry) and obj.hash is None]
    if flushed:
        session.info.setdefault(_FLUSHED, []).extend(flushed)


@event.listens_for(OrmSession, "after_transaction_end")
def _ended(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_FLUSHED, None)


@event.listens_for(OrmSession, "before_commit")
def _chain_new_entries(session) -> None:
    if not session.info.get(_FLUSHED) and not any(isinstance(obj, AuditEntry) for obj in session.new):
        return
    session.flush()  # every new entry gets its id (their order) and, on SQLite, the write lock
    seen, entries = set(), []
    for entry in session.info.pop(_FLUSHED, []):
        # A savepoint rolled back takes its entries out of the session: they are not chained.
        if id(entry) not in seen and entry.hash is None and inspect(entry).persistent:
            seen.add(id(entry))
            entries.append(entry)
    if not entries:
        return
    by_chain: dict[int, list[AuditEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.id):
        by_chain.setdefault(chain_of(entry.commune_id), []).append(entry)
    postgres = session.connection().dialect.name == "postgresql"
    for chain in sorted(by_chain):  # always in the same order: two commits never wait on each other
        if postgres:
            session.execute(db.text("SELECT pg_advisory_xact_lock(:class, :chain)"),
                            {"class": _LOCK_CLASS, "chain": chain})
        head = session.execute(
            db.select(AuditEntry.sequence, AuditEntry.hash).where(AuditEntry.chain == chain)
            .order_by(AuditEntry.sequence.desc()).limit(1)).first()
        sequence, previous = head if head is not None else (0, journal_chain.GENESIS)
        for entry in by_chain[chain]:
            sequence += 1
            seal(entry, chain, sequence, previous)
            previous = entry.hash
    # The commit's own flush writes what was just set.


def seal(entry: AuditEntry, chain: int, sequence: int, previous: str) -> None:
    """Give ``entry`` its place after ``previous`` in ``chain``, its seals and its hash."""
    if entry.created_at is None:  # an entry made without record()
        entry.created_at = utcnow()
    details = journal_chain.normalised(entry.details)
    if details != entry.details:  # (rewritten only when reading it back would differ: tuples, numeric keys)
        entry.details = details
    entry.seals = journal_chain.new_seals(entry.action, entry.actor_id, details)
    entry.chain, entry.sequence, entry.previous_hash = chain, sequence, previous
    entry.hash = journal_chain.entry_hash(
        previous=previous, sequence=sequence, action=entry.action, commune_id=entry.commune_id,
        actor_id=entry.actor_id, target=entry.target, details=details, created_at=entry.created_at,
        seals=entry.seals)


# Acts whose entry names a person: role.* in ``target``, circle.* in ``person``; with the
# account's ``person_id`` since it was recorded, by name alone in older entries.
PERSON_ACTIONS = ("role.given", "role.withdrawn", "circle.join", "circle.leave", "circle.request_opened",
                  "circle.request_closed")


def _fields(entry: AuditEntry) -> dict:
    return {"actor_id": entry.actor_id, "target": entry.target, "details": entry.details}


def forget_person(user, replacement: str) -> int:
    """Put ``replacement`` in place of the person's name in the journal entries naming them
    (the act stays); returns how many changed. Entries are never edited otherwise.

    Each value taken out was sealed in the entry's hash with a salt: the salt gives way to
    the sealed value (journal_chain.redact), so the chain still verifies and the name can
    no longer be found from the entry. The entries the person made lose their author the
    same way (the account's deletion then empties ``actor_id``)."""
    changed = 0
    for entry in db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.in_(PERSON_ACTIONS))):
        details = dict(entry.details or {})
        field = "person" if entry.action.startswith("circle.") else "target"
        named = details.get("person") if field == "person" else entry.target
        if details.get("person_id", user.id if named == user.display_name else None) != user.id:
            continue
        seals = entry.seals or {}
        for sealed in ("details.person_id", "details.person" if field == "person" else "target"):
            seals = journal_chain.redact(seals, _fields(entry), sealed)
        if entry.seals is not None:  # (an entry of this very transaction is chained as it is left)
            entry.seals = seals
        details.pop("person_id", None)
        if field == "person":
            details["person"] = replacement
        else:
            entry.target = replacement
        entry.details = details
        changed += 1
    for entry in db.session.scalars(db.select(AuditEntry).where(AuditEntry.actor_id == user.id)):
        if entry.seals is None:
            entry.actor_id = None  # not chained yet: chained without its author, as the database will hold it
        else:
            entry.seals = journal_chain.redact(entry.seals, _fields(entry), "actor_id")
    return changed


def _rows(commune_id: int | None):
    where = AuditEntry.commune_id == commune_id if commune_id is not None else AuditEntry.commune_id.is_(None)
    columns = [getattr(AuditEntry, name) for name in ("id", "chain", "sequence", "previous_hash", "hash",
                                                       *journal_chain.HASHED)]
    # Every entry of the commune, chained or not (an entry written past record() shows as broken).
    return db.session.execute(db.select(*columns).where(where)
                              .order_by(AuditEntry.sequence.is_(None), AuditEntry.sequence, AuditEntry.id)
                              ).mappings().all()


# What journal_chain.verify found wrong, said to a person.
REASONS = {
    "not in this chain": _l("the entry is not in this commune's chain"),
    "out of sequence": _l("an entry is missing or out of order"),
    "previous hash does not match": _l("the previous entry's hash does not match"),
    "no date": _l("the entry has no date"),
    "unreadable seal": _l("the seal of a name is unreadable"),
    "hash does not match": _l("the entry's hash does not match what it holds"),
}


def verify(commune_id: int | None) -> journal_chain.Verdict:
    """Recompute the chain of the commune ``commune_id`` (``None``: the entries without a
    commune) from what the database holds."""
    return journal_chain.verify(_rows(commune_id), chain_of(commune_id))


def export(commune_id: int | None) -> dict:
    """The chain as JSON-ready data, enough for anyone to recompute every hash."""
    rows = _rows(commune_id)
    return {
        "chain": chain_of(commune_id), "version": journal_chain.VERSION, "genesis": journal_chain.GENESIS,
        "serialisation": "SHA-256 of the canonical JSON described in README, « Journal of decisions »",
        "entries": [{"sequence": row["sequence"], "previous_hash": row["previous_hash"], "hash": row["hash"],
                     "action": row["action"], "commune_id": row["commune_id"], "actor_id": row["actor_id"],
                     "target": row["target"], "details": row["details"],
                     "created_at": journal_chain.timestamp(row["created_at"]), "seals": row["seals"]}
                    for row in rows],
    }
