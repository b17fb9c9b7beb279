"""Searching names and titles the same way on SQLite and PostgreSQL: capitals and accents
ignored (« elodie », « ÉLODIE » and « Élodie » find each other).

SQLite's ``lower()`` and ``LIKE`` fold ASCII letters only, and PostgreSQL's ``unaccent``
is an extension a site may not have. So the fold is defined here, once, as a table of
characters: every Latin letter with an accent or a capital (U+00C0–U+024F) goes to its
small letter without the accent, and combining accents are dropped (a name typed in
decomposed form). PostgreSQL applies the table with its built-in ``translate``, SQLite
with :func:`fold` registered on each connection, and the typed query goes through
:func:`fold` in Python: the three agree on every character of the table. Outside it
(Greek, Cyrillic …) only the case is folded, by each database's ``lower()``.

Usage: ``folded(User.display_name).like(like_pattern(typed), escape="\\\\")``.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import func, literal
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

SQLITE_FUNCTION = "convergence_fold"
COMBINING = [chr(c) for c in range(0x0300, 0x0370)]


def _table() -> dict[str, str]:
    table = {}
    for point in range(0x00C0, 0x0250):
        char = chr(point)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
        if len(base) != 1:  # a ligature (« Ĳ ») keeps its letter, only its case folds
            base = char.lower()
        if len(base) == 1 and base != char:
            table[char] = base
    return table


TABLE = _table()
# translate(): each character of FROM becomes the one at the same place in TO; those
# past TO's end (the combining accents) are removed.
FROM = "".join(TABLE) + "".join(COMBINING)
TO = "".join(TABLE.values())
_TRANSLATION = str.maketrans({**TABLE, **dict.fromkeys(COMBINING, None)})
_LIKE_SPECIALS = re.compile(r"([\\%_])")


def fold(text: str | None) -> str | None:
    """``text`` without capitals nor accents, as the databases fold it (None stays None)."""
    if text is None:
        return None
    return str(text).translate(_TRANSLATION).lower()


def like_pattern(typed: str) -> str:
    """A LIKE pattern (escape ``\\``) finding the folded ``typed`` anywhere in a folded text."""
    return "%" + _LIKE_SPECIALS.sub(r"\\\1", fold(typed)) + "%"


class folded(FunctionElement):
    """SQL expression: the column's text folded as :func:`fold` does, per dialect."""

    type = String()
    inherit_cache = True
    name = "folded"


@compiles(folded)
def _folded_default(element, compiler, **kw):
    return compiler.process(func.lower(func.translate(*element.clauses, literal(FROM), literal(TO))), **kw)


@compiles(folded, "sqlite")
def _folded_sqlite(element, compiler, **kw):
    return compiler.process(getattr(func, SQLITE_FUNCTION)(*element.clauses), **kw)


def register(engine) -> None:
    """Give every new SQLite connection of ``engine`` the function :class:`folded` calls."""
    if engine.dialect.name != "sqlite" or event.contains(engine, "connect", _create_function):
        return
    event.listen(engine, "connect", _create_function)


def _create_function(dbapi_connection, _record) -> None:
    # deterministic: SQLite may then use it in indexes and let the planner reuse results.
    dbapi_connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)
