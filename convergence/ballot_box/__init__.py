"""The ballot box: sealing ballots while a vote is open, so that nobody reading the database
can link a ballot to its voter (the core service every voting plug-in uses: majority
judgment today, budget ballots and declaration votes next).

What a plug-in does with it:

* at the creation of a vote, give it a ``convergence.balloting.models.BallotBox`` (which
  keeps ``new_salt()`` and the box's name, the ``box`` below);
* at each ballot, write the participation and ``seal_for(box, salt).seal(ballot)`` in one
  transaction (one person, one ballot, by the database's unique constraint), keyed by
  ``seal.lookup(receipt)`` so the voter can replace it with their receipt;
* at the close, in one transaction: open every sealed ballot (``open_all(seals_for(…), …)``),
  write them out in ``shuffled()`` order, recount, delete the sealed rows and erase the
  salt.

The key comes from ``BALLOT_SEAL_KEY`` (default: ``SECRET_KEY``), and the older
``SECRET_KEY_FALLBACKS`` still open what they sealed, so a key rotated during a vote loses
no ballot. See the mj plug-in's README for what this guarantees and what it does not.
"""

from __future__ import annotations

from flask import current_app

from .sealing import Seal, SealBroken, new_salt, open_all, shuffled

__all__ = ["Seal", "SealBroken", "new_salt", "open_all", "seal_for", "seals_for", "shuffled"]

# Deriving keys costs a few microseconds of HKDF; a busy vote seals hundreds of ballots a
# second with the same ones.
_SEALS: dict[tuple[bytes, str, str], Seal] = {}


def _secrets() -> list[bytes]:
    config = current_app.config
    current = config.get("BALLOT_SEAL_KEY") or config["SECRET_KEY"]
    older = [] if config.get("BALLOT_SEAL_KEY") else list(config.get("SECRET_KEY_FALLBACKS") or ())
    return [key.encode("utf-8") if isinstance(key, str) else key for key in [current, *older]]


def _seal(secret: bytes, box: str, salt: str) -> Seal:
    key = (secret, box, salt)
    seal = _SEALS.get(key)
    if seal is None:
        if len(_SEALS) > 1000:
            _SEALS.clear()
        seal = _SEALS[key] = Seal(secret, box, salt)
    return seal


def seal_for(box: str, salt: str) -> Seal:
    """The keys that seal new ballots of this box (``box``: e.g. ``"mj:12"``)."""
    return _seal(_secrets()[0], box, salt)


def seals_for(box: str, salt: str) -> list[Seal]:
    """Every key that may have sealed a ballot of this box, the current one first."""
    return [_seal(secret, box, salt) for secret in _secrets()]
