"""Read the input of ``convergence mj-tally FILE``: raw ballots (CSV) or tallies (JSON).

The format is detected from the content: a file whose first non-blank
character is ``{`` is JSON, anything else is CSV.

CSV of ballots (the format of Mieux Voter's Orsay 2007 data set)
    The first row is an empty cell then the option names.
    Every further row is a ballot id then one integer grade per option:
    higher is better, ``1`` is the worst grade and ``0`` means "no opinion".
    The scale is ``1..n`` where ``n`` is the highest grade seen in the file
    (at least 2) unless ``n_grades`` is given; grade ``g`` becomes engine
    grade index ``g - 1`` and ``0`` becomes a *missing* judgment, which the
    engine's default policy then counts as the worst grade. ``participants``
    is the number of ballots. Blank lines are skipped.

JSON of tallies
    ``{"participants": N, "tallies": {"option": [count of the worst grade,
    ..., count of the best grade], ...}}``; ``participants`` is optional
    (default: the largest tally sum). Missing judgments are ``participants``
    minus the sum of an option's tally.

Errors raise :class:`BallotsFileError`, whose text is
``"line L, column C: message"`` with 1-based positions; for CSV the column
is the cell number, for JSON the character on the line.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from typing import Any, NamedTuple, TextIO

from .engine import MAX_GRADES, MIN_GRADES

__all__ = ["BallotsData", "BallotsFileError", "load", "parse"]


class BallotsFileError(ValueError):
    """Malformed ballots file; ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message, line, column)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


class BallotsData(NamedTuple):
    """What a ballots file holds: tallies (worst grade first) and participants."""

    tallies: dict[str, list[int]]
    participants: int


def load(source: str | os.PathLike[str] | TextIO, *, n_grades: int | None = None) -> BallotsData:
    """Read a ballots file from a path, an open text file, or the text itself.

    A ``str`` is taken as the file's text when it contains a newline or starts
    with ``{``, and as a path otherwise; pass a :class:`pathlib.Path` to be
    unambiguous. ``n_grades`` fixes the CSV scale to ``1..n_grades`` instead
    of inferring it (for JSON it must match the tally length).
    """
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and not source.lstrip().startswith("{")
    ):
        with open(source, "rb") as handle:
            text = _decode(handle.read())
    elif isinstance(source, str):
        text = source
    else:
        text = source.read()
    return parse(text, n_grades=n_grades)


def parse(text: str, *, n_grades: int | None = None) -> BallotsData:
    """Parse the text of a ballots file (see the module docstring)."""
    if n_grades is not None and not MIN_GRADES <= n_grades <= MAX_GRADES:
        raise ValueError(f"n_grades must be {MIN_GRADES}..{MAX_GRADES}, not {n_grades}")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise BallotsFileError("empty file", 1, 1)
    if text.lstrip().startswith("{"):
        return _parse_json(text, n_grades)
    return _parse_csv(text, n_grades)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
        line = raw.count(b"\n", 0, start) + 1
        column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        raise BallotsFileError("not UTF-8 text", line, column) from None


# --------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------

_UNSIGNED = re.compile(r"[0-9]+")
_NEGATIVE = re.compile(r"-[0-9]+")


def _parse_csv(text: str, n_grades: int | None) -> BallotsData:
    # strict: a stray quote is an error rather than a silently odd cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    header_line = 0
    # Grades per ballot as written: 1..n, 0 = no opinion.
    ballots: list[list[int]] = []
    highest = 0
    end_line = 0
    try:
        for row in reader:
            # A quoted cell may span lines: report the line where the row starts.
            line, end_line = end_line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header, header_line = _csv_header(row, line), line
                continue
            if len(row) != len(header) + 1:
                # Point at the first missing cell, or at the first extra one.
                column = min(len(row), len(header) + 1) + 1
                raise BallotsFileError(
                    f"expected {len(header) + 1} cells (a ballot id then one grade per option), "
                    f"found {len(row)}",
                    line,
                    column,
                )
            grades = []
            for column, cell in enumerate(row[1:], start=2):
                grade = _csv_grade(cell, line, column, n_grades)
                highest = max(highest, grade)
                grades.append(grade)
            ballots.append(grades)
    except csv.Error as error:
        raise BallotsFileError(f"unreadable CSV: {error}", end_line + 1, 1) from None

    assert header is not None  # the text is not blank, so there was a first row
    if not ballots:
        raise BallotsFileError("no ballot after the header line", header_line + 1, 1)
    scale = n_grades if n_grades is not None else max(highest, MIN_GRADES)
    tallies = {name: [0] * scale for name in header}
    for grades in ballots:
        for name, grade in zip(header, grades):
            if grade:  # 0 = no opinion: left out, so it is a missing judgment
                tallies[name][grade - 1] += 1
    return BallotsData(tallies, len(ballots))


def _csv_header(row: list[str], line: int) -> list[str]:
    # An empty first cell is required: it is how a header without ballot-id
    # column (which would silently lose the first option) gets caught.
    if row[0].strip():
        raise BallotsFileError(
            f"the first cell of the header must be empty (it heads the ballot ids), not {row[0].strip()!r}",
            line,
            1,
        )
    names: list[str] = []
    seen: dict[str, int] = {}
    for column, cell in enumerate(row[1:], start=2):
        name = cell.strip()
        if not name:
            raise BallotsFileError("empty option name", line, column)
        if name in seen:
            raise BallotsFileError(
                f"duplicate option name {name!r} (also in column {seen[name]})", line, column
            )
        seen[name] = column
        names.append(name)
    return names


def _csv_grade(cell: str, line: int, column: int, n_grades: int | None) -> int:
    value = cell.strip()
    if _NEGATIVE.fullmatch(value):
        raise BallotsFileError(
            f"{value!r} is a negative grade (grades are 1 = worst and up, 0 = no opinion)",
            line,
            column,
        )
    if not _UNSIGNED.fullmatch(value):
        raise BallotsFileError(f"{value!r} is not an integer grade", line, column)
    grade = int(value)
    top = n_grades if n_grades is not None else MAX_GRADES
    if grade > top:
        raise BallotsFileError(
            f"grade {grade} is above the highest grade {top}", line, column
        )
    return grade


# --------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------


@dataclass
class _Node:
    """A JSON value with the offset of its first character.

    ``kind`` is "object", "array" or "scalar". Objects hold
    ``[(key, key_offset, node), ...]`` so that duplicate keys and their
    positions survive; arrays hold ``[node, ...]``.
    """

    kind: str
    value: Any
    offset: int


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(
    r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null|NaN|-?Infinity"
)


def _located(text: str, offset: int) -> tuple[_Node, int]:
    # Minimal walker over text that json.loads has already accepted, so it
    # only has to record where things are, not to diagnose syntax.
    offset = _WHITESPACE.match(text, offset).end()
    start = offset
    char = text[offset]
    if char == "{":
        pairs = []
        offset = _WHITESPACE.match(text, offset + 1).end()
        while text[offset] != "}":
            match = _STRING.match(text, offset)
            key = json.loads(match.group())
            offset = _WHITESPACE.match(text, match.end()).end() + 1  # past ':'
            node, offset = _located(text, offset)
            pairs.append((key, match.start(), node))
            offset = _WHITESPACE.match(text, offset).end()
            if text[offset] == ",":
                offset = _WHITESPACE.match(text, offset + 1).end()
        return _Node("object", pairs, start), offset + 1
    if char == "[":
        items = []
        offset = _WHITESPACE.match(text, offset + 1).end()
        while text[offset] != "]":
            node, offset = _located(text, offset)
            items.append(node)
            offset = _WHITESPACE.match(text, offset).end()
            if text[offset] == ",":
                offset = _WHITESPACE.match(text, offset + 1).end()
        return _Node("array", items, start), offset + 1
    match = _STRING.match(text, offset) or _SCALAR.match(text, offset)
    return _Node("scalar", json.loads(match.group()), start), match.end()


def _parse_json(text: str, n_grades: int | None) -> BallotsData:
    try:
        json.loads(text)
        # The content starts with "{" and is valid JSON, so the root is an object.
        root, _ = _located(text, 0)
    except json.JSONDecodeError as error:
        raise BallotsFileError(error.msg, error.lineno, error.colno) from None
    except RecursionError:
        raise BallotsFileError("JSON nested too deeply", 1, 1) from None

    def fail(message: str, offset: int) -> BallotsFileError:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return BallotsFileError(message, line, column)

    members: dict[str, _Node] = {}
    for key, key_offset, node in root.value:
        if key not in ("participants", "tallies"):
            raise fail(f"unknown key {key!r} (expected 'participants' and 'tallies')", key_offset)
        if key in members:
            raise fail(f"duplicate key {key!r}", key_offset)
        members[key] = node
    if "tallies" not in members:
        raise fail("missing key 'tallies'", root.offset)

    tallies_node = members["tallies"]
    if tallies_node.kind != "object":
        raise fail("'tallies' must be an object mapping option names to lists of counts", tallies_node.offset)
    if not tallies_node.value:
        raise fail("'tallies' has no option", tallies_node.offset)

    tallies: dict[str, list[int]] = {}
    for name, key_offset, node in tallies_node.value:
        if not name.strip():
            raise fail("empty option name", key_offset)
        if name in tallies:
            raise fail(f"duplicate option name {name!r}", key_offset)
        if node.kind != "array":
            raise fail(f"the tally of {name!r} must be a list of counts, worst grade first", node.offset)
        counts = []
        for item in node.value:
            count = item.value
            if isinstance(count, bool) or not isinstance(count, int):
                raise fail(f"{_json_text(text, item)} is not an integer count", item.offset)
            if count < 0:
                raise fail(f"negative count {count}", item.offset)
            counts.append(count)
        if n_grades is not None and len(counts) != n_grades:
            raise fail(
                f"the tally of {name!r} has {len(counts)} counts, expected {n_grades}", node.offset
            )
        if tallies:
            first, first_counts = next(iter(tallies.items()))
            if len(counts) != len(first_counts):
                raise fail(
                    f"the tally of {name!r} has {len(counts)} counts but the tally of "
                    f"{first!r} has {len(first_counts)}",
                    node.offset,
                )
        if not MIN_GRADES <= len(counts) <= MAX_GRADES:
            raise fail(
                f"the tally of {name!r} has {len(counts)} counts; "
                f"a scale has {MIN_GRADES} to {MAX_GRADES} grades",
                node.offset,
            )
        tallies[name] = counts

    sums = {name: sum(counts) for name, counts in tallies.items()}
    node = members.get("participants")
    if node is None:
        participants = max(sums.values())
    else:
        participants = node.value
        if isinstance(participants, bool) or not isinstance(participants, int) or participants < 0:
            raise fail(f"participants must be a non-negative integer, not {_json_text(text, node)}", node.offset)
        for name, key_offset, _ in tallies_node.value:
            if sums[name] > participants:
                raise fail(
                    f"the tally of {name!r} sums to {sums[name]}, more than the "
                    f"{participants} participants",
                    key_offset,
                )
    return BallotsData(tallies, participants)


def _json_text(text: str, node: _Node) -> str:
    # Quote the value as written in the file, which is what the user sees.
    if node.kind != "scalar":
        return "[...]" if node.kind == "array" else "{...}"
    return json.dumps(node.value, ensure_ascii=False)
