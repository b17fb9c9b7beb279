"""Receipts and voting codes: random codes a person can read aloud, copy by hand and type
back (plain Python, no Flask).

A *receipt* (60 random bits) is given to a voter with their ballot: it lets them change it
until the close and find it in the published register afterwards. A *voting code* (50
random bits) is printed on a sheet for someone without an account: one code, one ballot.
Both come from ``secrets`` and use Crockford's base 32, without I, L, O or U, and a typed
code is read back leniently (lower case, spaces, O for 0, I or L for 1).
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})
RECEIPT_GROUPS = (4, 4, 4)  # 60 random bits
CODE_GROUPS = (5, 5)  # 50 random bits: guessing one of a few hundred codes is hopeless


def random_code(groups: tuple[int, ...]) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(size)) for size in groups)


def normalise(text: str | None, groups: tuple[int, ...]) -> str | None:
    """The canonical form of a typed code, or None when it cannot be one."""
    if not text:
        return None
    raw = "".join(ch for ch in text.upper().translate(_TYPOS) if ch.isalnum())
    if len(raw) != sum(groups) or any(ch not in ALPHABET for ch in raw):
        return None
    parts, start = [], 0
    for size in groups:
        parts.append(raw[start:start + size])
        start += size
    return "-".join(parts)


def new_receipt() -> str:
    return random_code(RECEIPT_GROUPS)


def normalise_receipt(text: str | None) -> str | None:
    return normalise(text, RECEIPT_GROUPS)


def new_code() -> str:
    return random_code(CODE_GROUPS)


def normalise_code(text: str | None) -> str | None:
    return normalise(text, CODE_GROUPS)
