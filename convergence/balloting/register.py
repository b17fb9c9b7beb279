"""The published register of a ballot box: a hash chain anyone can recount and check
(plain Python, no Flask, no database).

After the close, every online ballot is published as an entry holding its ``receipt`` and
what the counting method makes of its content (e.g. ``{"grades": […], "receipt": "…"}``).
Entries are sorted by receipt (random), so their order says nothing about who voted when.
Each entry's hash is ``sha256(previous hash + canonical entry)`` in hexadecimal, where the
canonical form is compact JSON with sorted keys in UTF-8; the first "previous hash" is the
sha256 of the canonical header (its ``format``, the vote and what a verifier needs to check
an entry). The last hash, the *head*, is fixed at the close: changing, adding or removing a
ballot afterwards changes it.

A counting method gives :func:`verify` its header format and a check of one entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable


class ChainError(ValueError):
    """A register that does not check out."""


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def genesis(head: dict) -> str:
    return hashlib.sha256(canonical(head)).hexdigest()


def link(previous: str, entry: dict) -> str:
    return hashlib.sha256(previous.encode("ascii") + canonical(entry)).hexdigest()


def verify(document: dict, register_format: str, check_entry: Callable[[dict, dict, int], dict]) -> int:
    """Check a published register; returns its number of entries.

    ``check_entry(header, entry, number)`` returns the entry as it was hashed (without its
    ``hash``) or raises :class:`ChainError` when its content does not fit the vote.
    Raises :class:`ChainError` when a hash, the order, the count or the head is wrong.
    """
    head = document.get("header")
    if not isinstance(head, dict) or head.get("format") != register_format:
        raise ChainError(f"not a register of the format {register_format}")
    previous = genesis(head)
    if document.get("genesis") != previous:
        raise ChainError("the header does not match its hash")
    last_receipt = ""
    count = 0
    entries: Iterable[dict] = document.get("entries", [])
    for number, entry in enumerate(entries, start=1):
        receipt = entry.get("receipt") if isinstance(entry, dict) else None
        if not isinstance(receipt, str) or receipt <= last_receipt:
            raise ChainError(f"entry {number}: receipts are not in increasing order")
        previous = link(previous, check_entry(head, entry, number))
        if entry.get("hash") != previous:
            raise ChainError(f"entry {number}: wrong hash")
        last_receipt = receipt
        count += 1
    if document.get("head") != previous:
        raise ChainError("the head is not the last hash")
    if document.get("count") != count:
        raise ChainError("the number of entries is not the announced one")
    return count
