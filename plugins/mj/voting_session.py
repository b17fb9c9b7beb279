"""What the browser's session keeps for voting: the voting code someone typed, until their
ballot is cast — never a receipt. A signed cookie is readable, and on a shared phone or a
kiosk the next person would find the previous voter's receipt, and with it their ballot."""

from __future__ import annotations

from flask import g, session

from . import ballots
from .models import Vote

CODES_KEY = "mj_codes"


def _codes() -> dict:
    return session.get(CODES_KEY) or {}


def typed_code(vote_id: int) -> str | None:
    """The code kept for this vote, normalised (None when there is none)."""
    return ballots.normalise_code(_codes().get(str(vote_id)))


def remember_code(vote_id: int, code: str) -> None:
    codes = dict(_codes())
    codes[str(vote_id)] = code
    session[CODES_KEY] = codes


def forget_code(vote_id: int) -> None:
    codes = dict(_codes())
    if codes.pop(str(vote_id), None) is not None:
        session[CODES_KEY] = codes


def note_code_id(vote_id: int, code_id: int | None) -> None:
    """The id of the code kept for a vote, read with the vote (loading.py): no query of its own."""
    g.setdefault("mj_code_ids", {})[vote_id] = code_id


def code_id(vote: Vote) -> int | None:
    known = g.get("mj_code_ids", {})
    if vote.id in known:  # looked up with the vote
        return known[vote.id]
    text = _codes().get(str(vote.id))
    return ballots.find_code_id(vote, text) if text else None


def forget_voting_secrets(*_args, **_kwargs) -> None:
    """Drop voting codes from the session at logout (connected to Flask-Login's signal):
    the core keeps the session at logout (its language…); codes must go."""
    session.pop(CODES_KEY, None)
