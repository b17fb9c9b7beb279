"""The public register of ballots: a hash chain anyone can recount and check.

After the close, every online ballot is published as an entry
``{"grades": [grade index per option, in option order], "receipt": "XXXX-XXXX-XXXX"}``.
Entries are sorted by receipt (random), so their order says nothing about who voted
when. Each entry's hash is ``sha256(previous hash + canonical entry)`` in hexadecimal,
where the canonical form is compact JSON with sorted keys in UTF-8; the first
"previous hash" is the sha256 of the canonical header (the vote, its options and the
size of its scale). The last hash, the *head*, is fixed at the close and shown on the
vote's pages: changing, adding or removing any ballot afterwards changes it.

:func:`verify` is all a voter or an observer needs (pure Python, no database).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator

from convergence.extensions import db

from .models import Ballot, Vote

FORMAT = "convergence-mj-register/1"


class ChainError(ValueError):
    """A register that does not check out."""


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def header(vote: Vote) -> dict:
    return {
        "format": FORMAT,
        "vote": vote.id,
        "question": vote.question,
        "options": [option.label for option in vote.options],
        "grades": vote.n_grades,
    }


def genesis(head: dict) -> str:
    return hashlib.sha256(canonical(head)).hexdigest()


def link(previous: str, entry: dict) -> str:
    return hashlib.sha256(previous.encode("ascii") + canonical(entry)).hexdigest()


def _fast_link(previous: str, receipt: str, grades: str) -> tuple[list[int], str]:
    # Same bytes as link(previous, {"grades": ..., "receipt": ...}) without json.dumps,
    # which matters for a million ballots: receipts and digits need no escaping.
    values = [int(digit) for digit in grades]
    text = '{"grades":[' + ",".join(grades) + '],"receipt":"' + receipt + '"}'
    return values, hashlib.sha256((previous + text).encode("ascii")).hexdigest()


def _ordered_ballots(vote_id: int) -> Iterator[tuple[str, str]]:
    receipt = Ballot.receipt
    if db.session.get_bind().dialect.name == "postgresql":
        # Byte order, the order Python and every verifier use, not the server's locale.
        receipt = receipt.collate("C")
    query = (
        db.select(Ballot.receipt, Ballot.grades)
        .where(Ballot.vote_id == vote_id)
        .order_by(receipt)
        .execution_options(yield_per=5000)
    )
    for row in db.session.execute(query):
        yield row[0], row[1]


def entries(vote_id: int, head: dict) -> Iterator[dict]:
    """Entries with their hashes, in register order (streams from the database)."""
    previous = genesis(head)
    for receipt, grades in _ordered_ballots(vote_id):
        values, previous = _fast_link(previous, receipt, grades)
        yield {"receipt": receipt, "grades": values, "hash": previous}


def compute_head(vote: Vote) -> tuple[str, int]:
    previous, length = genesis(header(vote)), 0
    for receipt, grades in _ordered_ballots(vote.id):
        _values, previous = _fast_link(previous, receipt, grades)
        length += 1
    return previous, length


def finalise(vote: Vote) -> None:
    """Write out the sealed ballots (in random order, see ``sealed.write_out``) and fix the
    register's head; the caller holds the vote's exclusive row lock and commits."""
    from .sealed import write_out

    write_out(vote, tuple(option.id for option in vote.options))
    head, length = compute_head(vote)
    db.session.execute(
        db.update(Vote).where(Vote.id == vote.id).values(chain_head=head, chain_length=length)
        .execution_options(synchronize_session=False)
    )
    vote.chain_head, vote.chain_length = head, length


def verify(document: dict) -> dict[int, list[int]]:
    """Check a published register and return its online tallies (option index -> counts).

    Raises :class:`ChainError` when a hash, the order, the count or a grade is wrong.
    """
    head = document.get("header")
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise ChainError("not a majority-judgment register")
    previous = genesis(head)
    if document.get("genesis") != previous:
        raise ChainError("the header does not match its hash")
    n_options, n_grades = len(head["options"]), head["grades"]
    tallies = {i: [0] * n_grades for i in range(n_options)}
    last_receipt = ""
    entries_: Iterable[dict] = document.get("entries", [])
    count = 0
    for number, entry in enumerate(entries_, start=1):
        receipt, grades = entry.get("receipt"), entry.get("grades")
        if not isinstance(receipt, str) or receipt <= last_receipt:
            raise ChainError(f"entry {number}: receipts are not in increasing order")
        if not isinstance(grades, list) or len(grades) != n_options or any(
            isinstance(g, bool) or not isinstance(g, int) or not 0 <= g < n_grades for g in grades
        ):
            raise ChainError(f"entry {number}: grades do not fit the vote")
        previous = link(previous, {"grades": grades, "receipt": receipt})
        if entry.get("hash") != previous:
            raise ChainError(f"entry {number}: wrong hash")
        for option, grade in enumerate(grades):
            tallies[option][grade] += 1
        last_receipt = receipt
        count += 1
    if document.get("head") != previous:
        raise ChainError("the head is not the last hash")
    if document.get("count") != count:
        raise ChainError("the number of entries is not the announced one")
    return tallies
