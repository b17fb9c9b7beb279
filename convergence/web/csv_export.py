"""CSV files that a spreadsheet opens without running anything written in them.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by spreadsheet programs (OWASP, « CSV injection »): whoever opens the open data
would run what a participant typed. Such text gets a leading ``'``, which spreadsheets
take as « this is text » and do not show. Text that itself begins with ``'`` gets one
too, so that removing exactly one leading ``'`` always gives back what was written
(:func:`restore`).

Numbers stay numbers: an ``int``, a finite ``float`` or a ``Decimal`` given by the code
(counts, ranks, coordinates) is written as it is, so that -3 stays -3 in the sheet. The
choice is made on the value's type, never on what a text looks like: a participant's
text « -3 » is still text and gets its ``'``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from decimal import Decimal

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, (float, Decimal)):
        return math.isfinite(value)  # "-inf" or "nan" would be read as a formula or a name
    return False


def neutralise(value):
    """The cell to write for ``value``: numbers as they are, ``None`` empty, anything else
    as text, prefixed when a spreadsheet would take it for a formula."""
    if value is None:
        return ""
    if _is_number(value):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS + (PREFIX,)):
        return PREFIX + text
    return text


def restore(cell: str) -> str:
    """The text that was written, from a cell read back."""
    return cell[len(PREFIX):] if cell.startswith(PREFIX) else cell


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`neutralise`."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_response(header: Iterable, rows: Iterable[Iterable], filename: str, *, bom: bool = False) -> Response:
    """A CSV download; ``bom`` adds the byte-order mark some spreadsheets need to read
    accents right."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return Response(("\ufeff" if bom else "") + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
