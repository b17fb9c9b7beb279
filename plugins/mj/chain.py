"""The public register of a majority-judgment vote: the balloting service's hash chain
(``convergence.balloting.register``) with majority judgment's entries.

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
from collections.abc import Iterator

from convergence.balloting.register import ChainError, canonical, genesis, link
from convergence.balloting.register import verify as verify_register
from convergence.extensions import db

from .models import Ballot, Vote

FORMAT = "convergence-mj-register/1"


__all__ = ["FORMAT", "ChainError", "canonical", "compute_head", "entries", "finalise", "genesis", "header",
           "link", "verify"]


def header(vote: Vote) -> dict:
    return {
        "format": FORMAT,
        "vote": vote.id,
        "question": vote.question,
        "options": [option.label for option in vote.options],
        "grades": vote.n_grades,
    }


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
        db.select(Ballot.receipt, Ballot.content)
        .where(Ballot.box_id == db.select(Vote.box_id).where(Vote.id == vote_id).scalar_subquery())
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
    from .method import MajorityJudgment

    head = document.get("header")
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise ChainError("not a majority-judgment register")
    tallies = {i: [0] * head["grades"] for i in range(len(head["options"]))}
    method = MajorityJudgment()

    def check(header: dict, entry: dict, number: int) -> dict:
        hashed = method.check_entry(header, entry, number)
        for option, grade in enumerate(hashed["grades"]):
            tallies[option][grade] += 1
        return hashed

    verify_register(document, FORMAT, check)
    return tallies
