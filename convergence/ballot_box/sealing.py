"""Sealed ballots: what a ballot box keeps while voting is open (plain Python, no Flask).

A ballot is written in the same transaction as its voter's participation, so that one person
casts one ballot and nothing is lost when a worker dies. That transaction leaves marks that
tie the two rows together for whoever reads the database (PostgreSQL's ``xmin``, the rows'
physical order, SQLite's ``rowid``). So the ballot is not written in clear: it is *sealed*
with AES-256-GCM under a key derived from a secret the database never holds, and only
unsealed at the close, when all the ballots of the box are written out together, in random
order, by one transaction (see ``convergence.ballot_box.unseal`` and the plug-ins' close).

A receipt lets its voter change their ballot while voting is open; the sealed row is found
by a keyed hash of the receipt (HMAC-SHA-256), never by the receipt itself, which the
register publishes after the close.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12
LOOKUP_BYTES = 16  # 128 bits: collisions inside one box are out of reach


class SealBroken(ValueError):
    """A sealed ballot that no known key opens (a changed secret, or a tampered row)."""


def new_salt() -> str:
    """A box's own salt: with it erased at the close, even the server's secret no longer
    opens what a copy of the database files may still hold of the sealed rows."""
    return secrets.token_hex(16)


class Seal:
    """The keys of one ballot box: one to seal ballots, one to find them by receipt."""

    __slots__ = ("_aead", "_lookup_key")

    def __init__(self, secret: bytes, box: str, salt: str):
        material = HKDF(
            algorithm=hashes.SHA256(), length=64, salt=salt.encode("ascii"),
            info=b"convergence ballot box " + box.encode("utf-8"),
        ).derive(secret)
        self._aead = AESGCM(material[:32])
        self._lookup_key = material[32:]

    def seal(self, ballot: bytes) -> bytes:
        # A fresh nonce each time: two identical ballots give unrelated sealed rows.
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, ballot, None)

    def open(self, sealed: bytes) -> bytes:
        sealed = bytes(sealed)
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], None)
        except InvalidTag:
            raise SealBroken("this sealed ballot does not open with this key") from None

    def lookup(self, receipt: str) -> bytes:
        return hmac.new(self._lookup_key, receipt.encode("utf-8"), hashlib.sha256).digest()[:LOOKUP_BYTES]


def open_all(seals: Iterable[Seal], sealed_rows: Iterable[bytes]) -> list[bytes]:
    """Open every sealed ballot with the first key that fits (the current secret, then the
    older ones); raises :class:`SealBroken` rather than lose a ballot silently."""
    seals = list(seals)
    opened = []
    for sealed in sealed_rows:
        for seal in seals:
            try:
                opened.append(seal.open(sealed))
                break
            except SealBroken:
                continue
        else:
            raise SealBroken("a sealed ballot opens with none of the configured keys")
    return opened


def shuffled(items: Iterable) -> list:
    """The items in an order drawn from the operating system's random source: the order
    in which a box's ballots are written out says nothing about who cast them when."""
    result = list(items)
    secrets.SystemRandom().shuffle(result)
    return result
