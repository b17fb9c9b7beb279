"""Every file the platform hands out — CSV and JSON — through one helper, so that each
download names its file the same way and no CSV cell runs as a formula.

**CSV.** A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read as a formula by spreadsheet programs (OWASP, « CSV injection »): whoever opens the
open data would run what a participant typed. Such text gets a leading ``'``, which
spreadsheets take as « this is text » and do not show. Text that itself begins with ``'``
gets one too, so that removing exactly one leading ``'`` always gives back what was
written (:func:`restore`).

Numbers stay numbers: an ``int``, a finite ``float`` or a ``Decimal`` given by the code
(counts, ranks, coordinates) is written as it is, so that -3 stays -3 in the sheet. The
choice is made on the value's type, never on what a text looks like: a participant's
text « -3 » is still text and gets its ``'``.

**JSON.** UTF-8 as written (accents kept), indented for a person reading it.

**The file's name.** ``Content-Disposition: attachment`` with the name in ASCII and, when
it has other characters, in UTF-8 too (RFC 6266), quotes and line breaks taken out.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

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


def content_disposition(filename: str) -> str:
    """``attachment`` with ``filename`` safe in a header (ASCII, and UTF-8 when needed)."""
    name = re.sub(r'[\x00-\x1f\x7f"\\/]', "", filename).strip() or "export"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "export"
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def download(body: str | bytes, filename: str, mimetype: str) -> Response:
    """A file to save, named ``filename``."""
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": content_disposition(filename)})


def csv_download(header: Iterable, rows: Iterable[Iterable], filename: str, *, bom: bool = False) -> Response:
    """A CSV file, every cell neutralised; ``bom`` adds the byte-order mark some
    spreadsheets need to read accents right."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return download(("\ufeff" if bom else "") + out.getvalue(), filename, "text/csv")


def json_download(data, filename: str) -> Response:
    """A JSON file (UTF-8, indented)."""
    return download(json.dumps(data, ensure_ascii=False, indent=2), filename, "application/json")


# The name plug-ins knew first (convergence/web/csv_export.py).
csv_response = csv_download
