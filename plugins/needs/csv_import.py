"""Importing needs from a CSV file: all lines checked, with the report form's rules
(forms.NeedForm), before anything is saved; all or nothing. Nothing here commits."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from . import lists
from .forms import NeedForm
from .reporting import new_need

COLUMNS = ["category", "title", "description", "community", "neighbourhood", "latitude", "longitude",
           "urgency"]
REQUIRED = ("category", "title")
MAX_LINES = 2000
MAX_BYTES = 2_000_000


def _text(upload) -> tuple[str | None, str | None]:
    """(the file's text, None) or (None, what is wrong with it)."""
    if upload is None or not upload.filename:
        return None, _("Choose a CSV file.")
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return None, _("The file is too large (2 MB at most).")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, _("The file is not UTF-8 text.")


def parse(commune, upload) -> tuple[list[tuple[int, str]], list]:
    """(line, problem) pairs, or the needs to record (not yet added)."""
    text, problem = _text(upload)
    if problem:
        return [(0, problem)], []
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        return [(0, _("The file is empty."))], []
    if any(c not in header for c in REQUIRED) or any(c not in COLUMNS for c in header):
        return [(1, _("Expected columns: %(cols)s.", cols=", ".join(COLUMNS)))], []
    found = lists.of(commune)
    problems, needs = [], []
    try:
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append((number, _("%(n)d cells instead of %(m)d.", n=len(row), m=len(header))))
                continue
            if len(needs) + len(problems) >= MAX_LINES:
                problems.append((number, _("Too many lines (%(max)d at most).", max=MAX_LINES)))
                break
            form = NeedForm(formdata=MultiDict(zip(header, row)), meta={"csrf": False})
            form.offer(commune, found, by_code=True)
            if form.validate():
                needs.append(new_need(commune, **form.values()))
            else:
                problems.append((number, " ".join(str(m) for messages in form.errors.values() for m in messages)))
    except csv.Error as error:
        problems.append((reader.line_num, _("Malformed CSV: %(error)s", error=str(error))))
    if not needs and not problems:
        problems.append((0, _("The file has no needs.")))
    return problems, ([] if problems else needs)
