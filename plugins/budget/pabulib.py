"""The Pabulib ``.pb`` format (pabulib.org/format): read, check, write.

A file has three sections, each a title line (``META``, ``PROJECTS``, ``VOTES``), a header
line, then rows; fields are separated by ``;`` and quoted like CSV. Every problem is
reported with the number of the line it is on (``PabulibError``), so that a person can fix
the file. Amounts are read exactly (``Fraction``): « 500000.00 » is 500000.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from fractions import Fraction

from .allocation.election import APPROVAL, POINTS, Election, Project

SECTIONS = ("meta", "projects", "votes")
VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")


class PabulibError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class Row:
    line: int
    values: dict[str, str]


@dataclass
class PabulibFile:
    meta: dict[str, str] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    project_columns: list[str] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    vote_columns: list[str] = field(default_factory=list)
    votes: list[Row] = field(default_factory=list)

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"]

    @property
    def project_ids(self) -> list[str]:
        return [row.values["project_id"] for row in self.projects]

    def meta_line(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


def number(text: str, line: int, what: str, *, negative: bool = False) -> Fraction:
    """An exact number written as Pabulib writes them (``12``, ``12.50``, ``12,50``)."""
    cleaned = text.strip().replace(",", ".")
    try:
        value = Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise PabulibError(line, f"{what} is not a number: {text!r}") from None
    if not negative and value < 0:
        raise PabulibError(line, f"{what} is negative: {text!r}")
    return value


def _whole(value: Fraction):
    return value.numerator if value.denominator == 1 else value


def _id_list(text: str) -> list[str]:
    text = text.strip()
    return [item.strip() for item in text.split(",")] if text else []


def loads(text: str) -> PabulibFile:
    """Read and check a ``.pb`` file's text."""
    if text.startswith("\ufeff"):
        text = text[1:]
    result = PabulibFile()
    section = None
    header = None
    seen = set()
    # csv.reader reports where a row ends; a quoted field may span lines.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    line_no = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise PabulibError(start, f"unreadable row ({error})") from None
        line_no = reader.line_num
        if line_no > start:
            # Pabulib rows are one line each: a quote left open would swallow the next ones.
            raise PabulibError(start, "a quote (\") opened on this line is not closed on it")
        if not row or all(not cell.strip() for cell in row):
            continue
        first = row[0].strip().lower()
        expected = SECTIONS[len(seen)] if len(seen) < len(SECTIONS) else None
        # A title line: the word alone (a row of VOTES may also hold one word and empty cells).
        if first in SECTIONS and (len(row) == 1 or (first == expected and not any(c.strip() for c in row[1:]))):
            if first in seen:
                raise PabulibError(line_no, f"section {first.upper()} appears twice")
            if first != expected:
                raise PabulibError(line_no, f"section {first.upper()} where {expected.upper()} was expected")
            seen.add(first)
            section, header = first, None
            continue
        if section is None:
            raise PabulibError(line_no, "the file must start with META")
        if header is None:
            header = [cell.strip() for cell in row]
            _check_header(section, header, line_no)
            if section == "meta":
                result.meta_lines["META"] = line_no
            elif section == "projects":
                result.project_columns = header
            elif section == "votes":
                result.vote_columns = header
            continue
        if len(row) != len(header):
            raise PabulibError(line_no, f"{len(row)} fields where the header has {len(header)}")
        values = {key: cell.strip() for key, cell in zip(header, row)}
        if section == "meta":
            key = values["key"]
            if not key:
                raise PabulibError(line_no, "a META key is empty")
            if key in result.meta:
                raise PabulibError(line_no, f"META key {key!r} appears twice")
            result.meta[key] = values["value"]
            result.meta_lines[key] = line_no
        elif section == "projects":
            result.projects.append(Row(line_no, values))
        else:
            result.votes.append(Row(line_no, values))
    for name in SECTIONS:
        if name not in seen:
            raise PabulibError(max(line_no, 1), f"section {name.upper()} is missing")
    if header is None:
        raise PabulibError(max(line_no, 1), "section VOTES has no header")
    _check(result)
    return result


def load(path) -> PabulibFile:
    with open(path, encoding="utf-8", newline="") as handle:
        try:
            return loads(handle.read())
        except UnicodeDecodeError as error:
            raise PabulibError(1, f"not UTF-8 text ({error.reason})") from None


def _check_header(section: str, header: list[str], line: int) -> None:
    if len(set(header)) != len(header):
        raise PabulibError(line, "a column appears twice in the header")
    required = {"meta": ("key", "value"), "projects": ("project_id", "cost"), "votes": ("voter_id", "vote")}[section]
    if section == "meta" and header != ["key", "value"]:
        raise PabulibError(line, "the META header must be key;value")
    for column in required:
        if column not in header:
            raise PabulibError(line, f"the {section.upper()} header has no {column} column")


def _unique(rows: list[Row], column: str, what: str) -> set[str]:
    """The ids of ``column``: each given, none twice."""
    seen = set()
    for row in rows:
        value = row.values[column]
        if not value:
            raise PabulibError(row.line, f"a {what} has no {column}")
        if value in seen:
            raise PabulibError(row.line, f"{what} {value!r} appears twice")
        seen.add(value)
    return seen


def _check(pb: PabulibFile) -> None:
    meta = pb.meta
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise PabulibError(pb.meta_line("META"), f"META has no {key}")
    number(meta["budget"], pb.meta_line("budget"), "budget")
    if meta["vote_type"] not in VOTE_TYPES:
        raise PabulibError(pb.meta_line("vote_type"),
                           f"unknown vote_type {meta['vote_type']!r} (one of {', '.join(VOTE_TYPES)})")
    for key in ("min_length", "max_length"):
        if key in meta and not (meta[key].isascii() and meta[key].isdigit()):
            raise PabulibError(pb.meta_line(key), f"{key} is not a whole number: {meta[key]!r}")
    for key in ("max_points", "max_sum_points", "min_points", "min_sum_points", "default_score",
                "min_project_score_threshold"):
        if key in meta:
            number(meta[key], pb.meta_line(key), key, negative=True)
    ids = _unique(pb.projects, "project_id", "project")
    for row in pb.projects:
        number(row.values["cost"], row.line, f"the cost of project {row.values['project_id']!r}")
    if not pb.projects:
        raise PabulibError(pb.meta_line("META"), "the file has no project")
    points_needed = pb.vote_type in ("cumulative", "scoring")
    if points_needed and "points" not in pb.vote_columns:
        raise PabulibError(pb.votes[0].line - 1 if pb.votes else 1,
                           f"{pb.vote_type} votes need a points column")
    _unique(pb.votes, "voter_id", "voter")
    for row in pb.votes:
        chosen = _id_list(row.values["vote"])
        for pid in chosen:
            if pid not in ids:
                raise PabulibError(row.line, f"vote for project {pid!r}, which is not in PROJECTS")
        if len(set(chosen)) != len(chosen):
            raise PabulibError(row.line, "a project appears twice in one vote")
        if pb.vote_type == "choose-1" and len(chosen) > 1:
            raise PabulibError(row.line, "a choose-1 vote names more than one project")
        if points_needed:
            points = _id_list(row.values["points"])
            if len(points) != len(chosen):
                raise PabulibError(row.line, f"{len(chosen)} projects but {len(points)} points")
            for value in points:
                number(value, row.line, "points", negative=pb.vote_type == "scoring")


def ballots(pb: PabulibFile) -> tuple[str, list[dict[str, Fraction | int]]]:
    """The ballots as points per project id, scored as the format says, and how to read
    them (``APPROVAL`` or ``POINTS``): approval and choose-1 give 1 to each project named;
    cumulative and scoring the points written (scoring: ``default_score`` to the others);
    ordinal the Borda score of the ballot — of k projects ranked, the first gets k points,
    the next one k - 1, and so on (the ``score`` column of Zurich's file counts so)."""
    vote_type = pb.vote_type
    result = []
    if vote_type in ("approval", "choose-1"):
        for row in pb.votes:
            result.append({pid: 1 for pid in _id_list(row.values["vote"])})
        return APPROVAL, result
    if vote_type == "ordinal":
        length = int(pb.meta.get("max_length") or len(pb.projects))
        for row in pb.votes:
            chosen = _id_list(row.values["vote"])
            if len(chosen) > length:
                raise PabulibError(row.line, f"{len(chosen)} projects ranked where max_length is {length}")
            result.append({pid: len(chosen) - position for position, pid in enumerate(chosen)})
        return POINTS, result
    default = number(pb.meta.get("default_score", "0"), pb.meta_line("default_score"), "default_score",
                     negative=True) if vote_type == "scoring" else 0
    ids = pb.project_ids
    for row in pb.votes:
        points = {pid: _whole(number(value, row.line, "points", negative=True))
                  for pid, value in zip(_id_list(row.values["vote"]), _id_list(row.values["points"]))}
        if default:
            for pid in ids:
                points.setdefault(pid, _whole(default))
        result.append(points)
    return POINTS, result


def election(pb: PabulibFile) -> Election:
    """The file as an allocation engine reads it."""
    kind, by_id = ballots(pb)
    index = {pid: i for i, pid in enumerate(pb.project_ids)}
    projects = tuple(Project(row.values["project_id"], _whole(number(row.values["cost"], row.line, "cost")))
                     for row in pb.projects)
    return Election(
        budget=_whole(number(pb.meta["budget"], pb.meta_line("budget"), "budget")),
        projects=projects,
        ballots=tuple({index[pid]: points for pid, points in ballot.items()} for ballot in by_id),
        kind=kind,
    )


def dumps(pb: PabulibFile) -> str:
    """The file's text: what ``loads`` reads back to the same content."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in pb.meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    writer.writerow(pb.project_columns)
    for row in pb.projects:
        writer.writerow([row.values.get(c, "") for c in pb.project_columns])
    out.write("VOTES\n")
    writer.writerow(pb.vote_columns)
    for row in pb.votes:
        writer.writerow([row.values.get(c, "") for c in pb.vote_columns])
    return out.getvalue()
