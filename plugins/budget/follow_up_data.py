"""The data of a project's follow-up — status, progress, abandonment reason, money
committed and spent, milestones — its one check (the page's form and the CSV import both
use it) and its CSV text. No database here: rows in, rows out.

The CSV file has one line per funded project (the columns of :data:`COLUMNS`); the
milestones of a project are in one cell, one a line, ``YYYY-MM-DD [x] label`` (done) or
``YYYY-MM-DD [ ] label``, by date. Cells are written through ``convergence.web.downloads`` (a text
starting like a formula gets a leading ``'``, taken off again when read back), so what is
exported and read back is the same data. The title is there for the person editing the
sheet; the import goes by the project's number.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from convergence.web.downloads import SafeWriter, restore

from .models import ABANDONED, DONE, FOLLOW_UP_STATUSES, REASON_MAX, TITLE_MAX

COLUMNS = ["number", "title", "status", "progress", "committed", "spent", "reason", "milestones"]
MAX_BYTES = 1_000_000
MONEY_MAX = 2_000_000_000  # fits the INTEGER columns
_MILESTONE = re.compile(r"^(\d{4}-\d{2}-\d{2}) \[( |x)\] (.+)$")


class Problem(ValueError):
    """What is wrong with the file, and on which line (0: the file as a whole)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Milestone:
    on: date
    label: str
    done: bool = False


@dataclass(frozen=True)
class Row:
    number: int
    status: str
    progress: int
    committed: int
    spent: int
    reason: str = ""
    milestones: tuple[Milestone, ...] = field(default_factory=tuple)
    # Shown in the file for the person editing it, not read back: not part of the data.
    title: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)  # where it was read, for the messages


def problem(status: str, progress: int, reason: str, committed: int, spent: int) -> str | None:
    """What is wrong with a follow-up's values, in French, or None."""
    if status not in FOLLOW_UP_STATUSES:
        return _("Unknown status « %(status)s ».", status=status)
    if not 0 <= progress <= 100:
        return _("The progress is a percentage, between 0 and 100.")
    if status == ABANDONED and not reason.strip():
        return _("Say publicly why the project is abandoned.")
    if len(reason) > REASON_MAX:
        return _("The reason is longer than %(n)d characters.", n=REASON_MAX)
    if status == DONE and progress != 100:
        return _("A project done is at 100 percent.")
    if committed < 0 or spent < 0:
        return _("Amounts of money cannot be negative.")
    if committed > MONEY_MAX or spent > MONEY_MAX:
        return _("That amount is too large.")
    if spent > committed:
        return _("More is spent than committed: every euro paid has been committed first.")
    return None


def label_problem(label: str) -> str | None:
    if not label.strip():
        return _("Name the milestone.")
    if len(label) > TITLE_MAX:
        return _("The milestone's label is longer than %(n)d characters.", n=TITLE_MAX)
    if "\n" in label or "\r" in label:
        return _("A milestone's label is one line.")
    return None


# -- writing ------------------------------------------------------------------------------

def milestones_cell(milestones) -> str:
    return "\n".join(f"{m.on.isoformat()} [{'x' if m.done else ' '}] {m.label}" for m in milestones)


def cells(row: Row) -> list:
    """The line of ``row``; numbers as numbers, so they are written as they are."""
    return [row.number, row.title, row.status, row.progress, row.committed, row.spent, row.reason,
            milestones_cell(row.milestones)]


def write(rows) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(COLUMNS)
    writer.writerows(cells(row) for row in rows)
    return out.getvalue()


# -- reading ------------------------------------------------------------------------------

def _whole(cell: str, what: str, line: int) -> int:
    text = cell.strip()
    if not re.fullmatch(r"\d{1,10}", text):
        raise Problem(line, _("%(what)s: « %(value)s » is not a whole number of 0 or more.", what=what,
                              value=text[:40]))
    return int(text)


def _milestones(cell: str, line: int) -> tuple[Milestone, ...]:
    found = []
    for part in cell.split("\n"):
        if not part.strip():
            continue
        match = _MILESTONE.match(part)
        if match is None:
            raise Problem(line, _("Milestone « %(text)s »: write « YYYY-MM-DD [x] label » (done) or "
                                  "« YYYY-MM-DD [ ] label ».", text=part[:60]))
        try:
            on = date.fromisoformat(match.group(1))
        except ValueError:
            raise Problem(line, _("Milestone « %(text)s »: the date does not exist.", text=part[:60])) from None
        label = match.group(3)
        wrong = label_problem(label)
        if wrong:
            raise Problem(line, wrong)
        found.append(Milestone(on, label, match.group(2) == "x"))
    # A project's milestones are kept by date (those of one date in the order written):
    # a file listing them otherwise reads as what will be stored.
    return tuple(sorted(found, key=lambda m: m.on))


def read(text: str) -> list[Row]:
    """The rows of a CSV file as :func:`write` writes it; :class:`Problem` at the first
    line that is wrong (nothing is half-read: the caller saves all rows or none)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise Problem(0, _("The file is empty.")) from None
    except csv.Error as error:
        raise Problem(1, _("Malformed CSV: %(error)s", error=str(error))) from None
    if [h.strip().lower() for h in header] != COLUMNS:
        raise Problem(1, _("Expected columns: %(cols)s.", cols=", ".join(COLUMNS)))
    rows, seen = [], set()
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise Problem(start, _("Malformed CSV: %(error)s", error=str(error))) from None
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(COLUMNS):
            raise Problem(line, _("%(n)d cells instead of %(m)d.", n=len(record), m=len(COLUMNS)))
        number_cell, title, status, progress, committed, spent, reason, milestones = record
        number = _whole(number_cell, _("number"), line)
        if number in seen:
            raise Problem(line, _("Project %(number)d is on two lines.", number=number))
        seen.add(number)
        row = Row(number=number, title=restore(title), line=line, status=restore(status).strip(),
                  progress=_whole(progress, _("progress"), line), committed=_whole(committed, _("committed"), line),
                  spent=_whole(spent, _("spent"), line), reason=restore(reason).strip(),
                  milestones=_milestones(restore(milestones), line))
        wrong = problem(row.status, row.progress, row.reason, row.committed, row.spent)
        if wrong:
            raise Problem(line, wrong)
        rows.append(row)
    if not rows:
        raise Problem(0, _("The file lists no project."))
    return rows
