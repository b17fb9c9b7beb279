"""Amounts in euros as people type them (« 12 000 », « 12 000 € », « 12000,00 »), read
into whole euros, and written back without cents — plain Python, no Flask, no database, so the rules are tested on their
own (tests/plugins/budget/test_projects.py, with hypothesis).

A project's cost, a process's envelope and an area's envelope are whole euros: cents are
refused rather than rounded, so what is stored is what the person wrote. Spaces (plain,
no-break, narrow no-break) and the apostrophe may separate thousands; the decimal mark is
the comma (French) or the point, and only zero cents may follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern

# Beyond this nothing a commune spends is meant, and it stays within a 32-bit column.
EUROS_MAX = 1_000_000_000

_SEPARATORS = re.compile(r"[ \u00a0\u202f\u2009']")
_NUMBER = re.compile(r"(?P<sign>[-\u2212]?)(?P<units>[0-9]{1,13})(?:[.,](?P<cents>[0-9]{1,2}))?")

# The reasons a typed amount is refused (the caller words them in French).
EMPTY, NOT_A_NUMBER, NEGATIVE, CENTS, TOO_LARGE = "empty", "not_a_number", "negative", "cents", "too_large"


@dataclass(frozen=True)
class Reading:
    euros: int | None  # the amount, when it is one
    problem: str | None = None  # else why not: one of the constants above


def read_euros(raw) -> Reading:
    """What ``raw`` (text typed in a field, or None) says as whole euros."""
    text = "" if raw is None else str(raw).strip()
    if text.endswith("€"):
        text = text[:-1].strip()
    elif text.lower().endswith("eur"):
        text = text[:-3].strip()
    if not text:
        return Reading(None, EMPTY)
    text = _SEPARATORS.sub("", text)
    match = _NUMBER.fullmatch(text)
    if match is None:
        return Reading(None, NOT_A_NUMBER)
    units = int(match["units"])
    if match["sign"] and (units or int(match["cents"] or 0)):
        return Reading(None, NEGATIVE)
    if match["cents"] and int(match["cents"]):
        return Reading(None, CENTS)
    if units > EUROS_MAX:
        return Reading(None, TOO_LARGE)
    return Reading(units)


def format_euros(amount: int, locale: str = "fr") -> str:
    """Whole euros as the language writes them, without cents: « 12 000 € » in French
    (narrow no-break spaces between thousands), "€12,000" in English. The locale's own
    currency pattern, its decimals taken off."""
    if type(amount) is int:
        # The results page of a budget writes about a thousand amounts (every project's
        # cost and « pourquoi »), the same ones at every request: Babel's formatting was a
        # quarter of its time. Only for ints: 2 and 2.0 are the same key to a cache.
        return _whole_euros(amount, locale)
    return _format(amount, locale)


@lru_cache(maxsize=8192)
def _whole_euros(amount: int, locale: str) -> str:
    return _format(amount, locale)


def _format(amount, locale: str) -> str:
    where, pattern = _pattern(locale)
    return pattern.apply(amount, where, currency="EUR", currency_digits=False)


@lru_cache(maxsize=16)
def _pattern(locale: str):
    where = Locale.parse(locale)
    pattern = parse_pattern(where.currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return where, pattern
