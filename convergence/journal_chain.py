"""The chain of the journal of decisions: how an entry's hash is computed and how a chain
is checked. Plain Python (no Flask, no database): the writer (convergence/audit.py), the
migration that chained the entries recorded before (0009_journal_chain) and anyone holding
the JSON export compute exactly the same thing.

Each commune's entries form one chain, the entries without a commune another. An entry
holds its place in its chain (``sequence``: 1, 2, 3 …), the hash of the entry before it
(``previous_hash``; 64 zeros for the first) and its own ``hash``: the SHA-256, in lowercase
hexadecimal, of the UTF-8 bytes of this JSON object, written with its keys sorted, no
whitespace (separators ``,`` and ``:``) and non-ASCII characters as they are::

    {"action": …, "actor_id": …, "commune_id": …, "created_at": "2026-12-01T18:05:09.123456",
     "details": {…}, "previous": "<64 hex>", "sequence": 7, "target": …, "version": 1}

``created_at`` is the entry's UTC time, always with six digits of microseconds;
``commune_id`` and ``actor_id`` are numbers or ``null``; ``details`` is the entry's details
as stored (``null`` for an entry that has none).

The fields that can name a person (:func:`personal_fields`) are not hashed as they are but
as a sealed value ``{"sealed": "<64 hex>"}``: the SHA-256 of ``salt + ":" + canonical JSON
of the value``, with a random salt of the entry's own (``seals``: ``{"actor_id": {"salt":
…}}``). Erasing an account (the right to erasure) replaces the name in the entry and keeps,
in place of the salt, the sealed value itself (``{"digest": …}``): the hash does not change,
so the chain still verifies, and the name cannot be found again from what is left — without
the salt, trying every name of the commune against the digest gives nothing. Hashing the
name itself would have left the choice between keeping the name forever or breaking the
chain; hashing only an account's number would have left the names in the journal unchecked.

Version 1 must never change: a different serialisation would be a ``version`` 2, computed
alongside (the version is part of what is hashed).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

VERSION = 1
GENESIS = "0" * 64

# Acts whose ``target`` is a person's name (the others name a space, a text, a vote …).
NAMED_TARGET_ACTIONS = frozenset({"role.given", "role.withdrawn"})
# Keys of ``details`` that name or designate a person, in whichever act.
PERSON_DETAILS = ("person", "person_id")


def canonical(value) -> bytes:
    """``value`` as canonical JSON: sorted keys, no whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def normalised(details):
    """``details`` as it reads back from a JSON column (tuples become lists, numeric keys
    strings), so that the writer hashes what a reader of the database will see."""
    return json.loads(json.dumps(details))


def timestamp(moment: datetime) -> str:
    return moment.isoformat(sep="T", timespec="microseconds")


def new_salt() -> str:
    return secrets.token_hex(16)


def commitment(salt: str, value) -> str:
    return hashlib.sha256(salt.encode("utf-8") + b":" + canonical(value)).hexdigest()


def personal_fields(action: str, actor_id, details) -> list[str]:
    """The fields of an entry sealed rather than hashed as they are (see the module)."""
    fields = ["actor_id"] if actor_id is not None else []
    if action in NAMED_TARGET_ACTIONS:
        fields.append("target")
    if isinstance(details, Mapping):
        fields += [f"details.{key}" for key in PERSON_DETAILS if key in details]
    return fields


def new_seals(action: str, actor_id, details) -> dict:
    return {field: {"salt": new_salt()} for field in personal_fields(action, actor_id, details)}


def _read(fields: Mapping, field: str):
    if field.startswith("details."):
        details = fields.get("details")
        return details.get(field.removeprefix("details.")) if isinstance(details, Mapping) else None
    return fields.get(field)


def redact(seals: Mapping, fields: Mapping, field: str) -> dict:
    """``seals`` once ``field`` is to be erased: its salt replaced by its sealed value,
    computed from the value the entry holds now (``fields``: actor_id, target, details)."""
    seal = seals.get(field)
    if seal is None or "salt" not in seal:
        return dict(seals)  # not sealed (an entry not yet chained) or already erased
    return {**seals, field: {"digest": commitment(seal["salt"], _read(fields, field))}}


class BadSeal(ValueError):
    pass


def _sealed(seal, value) -> dict:
    if isinstance(seal, Mapping) and isinstance(seal.get("salt"), str):
        return {"sealed": commitment(seal["salt"], value)}
    if isinstance(seal, Mapping) and isinstance(seal.get("digest"), str):
        return {"sealed": seal["digest"]}
    raise BadSeal(seal)


def payload(*, previous: str, sequence: int, action: str, commune_id, actor_id, target, details,
            created_at: datetime, seals: Mapping | None) -> bytes:
    """The bytes hashed for one entry (see the module)."""
    fields = {"action": action, "actor_id": actor_id, "commune_id": commune_id,
              "created_at": timestamp(created_at), "details": details, "previous": previous,
              "sequence": sequence, "target": target, "version": VERSION}
    if seals:
        details = dict(details) if isinstance(details, Mapping) else details
        for field, seal in seals.items():
            if field.startswith("details."):
                if not isinstance(details, dict):
                    raise BadSeal(field)
                key = field.removeprefix("details.")
                details[key] = _sealed(seal, details.get(key))
            elif field in ("actor_id", "target"):
                fields[field] = _sealed(seal, fields[field])
            else:
                raise BadSeal(field)
        fields["details"] = details
    return canonical(fields)


def entry_hash(**fields) -> str:
    return hashlib.sha256(payload(**fields)).hexdigest()


HASHED = ("action", "commune_id", "actor_id", "target", "details", "created_at", "seals")


@dataclass(frozen=True)
class Verdict:
    """``count`` entries in the chain; ``broken``: the place (1, 2 …) of the first entry
    that does not verify, ``None`` if the chain is intact; ``reason`` says why; ``head``:
    the hash of the last entry verified (to compare with one published earlier)."""

    count: int
    broken: int | None = None
    reason: str = ""
    head: str = GENESIS

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(entries: Iterable[Mapping], chain: int) -> Verdict:
    """Check the entries of chain ``chain`` (a commune's id, 0 for the entries without a
    commune), given in the chain's order, each a mapping with the stored columns
    (``chain``, ``sequence``, ``previous_hash``, ``hash`` and :data:`HASHED`)."""
    entries = list(entries)
    previous, count = GENESIS, len(entries)
    for place, entry in enumerate(entries, start=1):
        if entry.get("chain") != chain:
            return Verdict(count, place, "not in this chain", previous)
        if entry.get("sequence") != place:
            return Verdict(count, place, "out of sequence", previous)
        if entry.get("previous_hash") != previous:
            return Verdict(count, place, "previous hash does not match", previous)
        if not isinstance(entry.get("created_at"), datetime):
            return Verdict(count, place, "no date", previous)
        try:
            expected = entry_hash(previous=previous, sequence=place, action=entry.get("action"),
                                  commune_id=entry.get("commune_id"), actor_id=entry.get("actor_id"),
                                  target=entry.get("target"), details=entry.get("details"),
                                  created_at=entry["created_at"], seals=entry.get("seals"))
        except (BadSeal, TypeError, ValueError):
            return Verdict(count, place, "unreadable seal", previous)
        if entry.get("hash") != expected:
            return Verdict(count, place, "hash does not match", previous)
        previous = expected
    return Verdict(count, None, "", previous)
