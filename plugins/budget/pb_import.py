"""A Pabulib ``.pb`` file imported into a budget process: its projects and its ballots.

**When.** Into a process whose vote has not opened (its rules are not frozen) and that has no
project yet: a ``.pb`` file is a whole budget — its envelope, its kind of ballot and its
limits, its rule when the platform has it (``PROCESS_RULES``), the seed of its lot when it has one
(``tie_seed``, which our export writes), its projects and its ballots —
so the import sets the process's rules from the file's META rather than mixing two budgets.
The usual use is an **archive**: a budget voted elsewhere (on paper, on another platform)
kept here so that its result is computed, published, explained and followed like the
others; the process is then closed with the ballots of the file only. It may also be a
vote prepared elsewhere, opened here afterwards: online ballots are then added to the file's.

**Projects.** One per row of PROJECTS, feasible (they were on the ballot): ``project_id`` is
kept (``source_ref``, what the ``.pb`` export writes back), ``cost`` (whole euros), ``name``
(the title), ``description`` (as Markdown, sanitised), the first of ``category`` (a category of the process, created if new), the
area from ``district``, ``subunit`` or ``area`` (an area of the process without envelope,
created if new), ``latitude``/``longitude`` when both are on the earth. A project's number
is its ``project_id`` when every id is a whole number from 1 to 999,999 (so an export
imported again keeps its numbers, and the hash of its ballots), otherwise 1, 2, 3 … in the
file's order.

**Ballots are written as paper sheets, not into the ballot box.** The box holds what voters
cast here: a participation per voter, a sealed ballot, a receipt only they hold, the
register published at the close. A file's ballots come with none of that — no participation,
no receipt anybody holds — so writing them into the box would publish receipts nobody was
given and a register claiming online votes that were not cast here. A paper sheet is what
they are: a ballot collected elsewhere and typed in by a named person (the facilitator who
imports, ``entered_by``), from a named pile (the place « Fichier Pabulib … »), numbered 1, 2, 3
… in the file's order. The file's ``voter_id`` is not kept: nothing of the file links a
ballot to a person here. A process that asks for double entry is refused: a file is entered
once, and its sheets would never count.

**All or nothing.** Every problem is an :class:`ImportProblem` with its line
(« ligne L : … ») and nothing is written; the page shows it in French with a 422.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext as _

from convergence.extensions import db
from convergence.refusal import Refused
from convergence.web.markdown import render_markdown

from . import ballots as ballot_text
from . import pabulib
from .allocation.election import POINTS as ENGINE_POINTS
from .models import (APPROVAL, FEASIBLE, PLACE_MAX, POINTS, PROCESS_RULES, TITLE_MAX, Area, PaperSheet, Process,
                     Project, ProjectCategory)
from .pb_messages import french

AREA_COLUMNS = ("district", "subunit", "area")
MAX_NUMBER = 999_999
SOURCE_MAX = 64
CONTENT_MAX = 2_000


class ImportProblem(ValueError):
    """A problem of the file, on a line, already in the reader's language."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s", line=self.line, message=self.message)


@dataclass
class Imported:
    projects: int
    sheets: int
    rule: str
    rule_kept: bool  # the file's rule is one the platform has


def _whole(value: Fraction, line: int, what: str) -> int:
    if value.denominator != 1:
        raise ImportProblem(line, _("%(what)s is not a whole number of euros", what=what))
    return value.numerator


def check_process(process: Process) -> None:
    """Refused (409) when the process cannot take a file (see the module's doc)."""
    if process.rules_frozen_at is not None or process.vote_state != "upcoming":
        raise Refused(_("The vote has opened: a .pb file can only be imported before the vote opens."), 409)
    if db.session.scalar(db.select(db.func.count()).select_from(Project).where(Project.process_id == process.id)):
        raise Refused(_("This process already has projects: a .pb file is imported into a process without "
                        "projects."), 409)
    if process.double_entry:
        raise Refused(_("This process asks for every paper sheet to be entered twice; the ballots of a file "
                        "are entered once. Switch double entry off before importing."), 409)


def read(text: str) -> pabulib.PabulibFile:
    try:
        return pabulib.loads(text)
    except pabulib.PabulibError as error:
        raise ImportProblem(error.line, french(error.message)) from None


def import_pb(process: Process, text: str, user, filename: str = "") -> Imported:
    """Import the file's text into ``process`` (see the module's doc). Raises
    :class:`ImportProblem` or :class:`Refused` before anything is written."""
    check_process(process)
    pb = read(text)
    meta = pb.meta
    envelope = _whole(pabulib.number(meta["budget"], pb.meta_line("budget"), "budget"), pb.meta_line("budget"),
                      _("the budget"))
    if envelope <= 0:
        raise ImportProblem(pb.meta_line("budget"), _("the budget must be more than 0"))
    try:
        kind, scored = pabulib.ballots(pb)
    except pabulib.PabulibError as error:
        raise ImportProblem(error.line, french(error.message)) from None

    ids = pb.project_ids
    numeric = all(pid.isascii() and pid.isdigit() and 1 <= int(pid) <= MAX_NUMBER for pid in ids)
    numbers = {pid: int(pid) if numeric else k + 1 for k, pid in enumerate(ids)}
    if numeric and len(set(numbers.values())) != len(numbers):  # « 7 » and « 07 »
        numbers = {pid: k + 1 for k, pid in enumerate(ids)}

    # -- the projects, checked before anything is added ---------------------------------
    rows = []
    for row in pb.projects:
        values, line = row.values, row.line
        pid = values["project_id"]
        if len(pid) > SOURCE_MAX:
            raise ImportProblem(line, _("the project id is longer than %(max)d characters", max=SOURCE_MAX))
        cost = _whole(pabulib.number(values["cost"], line, "cost"), line, _("the cost of project %(id)s", id=pid))
        title = (values.get("name") or "").strip() or _("Project %(id)s", id=pid)
        category = next((c.strip() for c in (values.get("category") or "").split(",") if c.strip()), None)
        area = next((values[c].strip() for c in AREA_COLUMNS if (values.get(c) or "").strip()), None)
        latitude, longitude = _point(values)
        rows.append(dict(pid=pid, cost=cost, title=title[:TITLE_MAX], line=line,
                         category=category[:PLACE_MAX] if category else None,
                         area=area[:PLACE_MAX] if area else None, latitude=latitude, longitude=longitude,
                         description=(values.get("description") or "").strip()))

    # -- the ballots, as texts of ballots.py ------------------------------------------------
    points_kind = kind == ENGINE_POINTS
    texts = []
    for row, ballot in zip(pb.votes, scored):
        content = {}
        for pid, points in ballot.items():
            if points < 0:
                raise ImportProblem(row.line, _("negative points cannot be entered on a ballot here"))
            if Fraction(points).denominator != 1:
                raise ImportProblem(row.line, _("points are whole numbers here"))
            if points:
                content[numbers[pid]] = int(points)
        text = ballot_text.serialise(content, POINTS if points_kind else APPROVAL)
        if len(text) > CONTENT_MAX:
            raise ImportProblem(row.line, _("this ballot names too many projects to be entered"))
        texts.append(text)

    # -- the process's rules, from META -------------------------------------------------------
    rule = meta.get("rule", "")
    rule_kept = rule in PROCESS_RULES
    process.envelope = envelope
    if meta.get("tie_seed"):
        # The lot the file's result was computed with (our export writes it): the same
        # ties, so that the same outcome comes out; it was published with that result.
        process.tie_seed = meta["tie_seed"][:64]
    process.rule = rule if rule_kept else process.rule
    if points_kind:
        process.ballot_kind = POINTS
        most = max((p for text in texts for p in ballot_text.deserialise(text).values()), default=1)
        total = _limit(meta, "max_sum_points", pb)
        process.max_points_per_project = _limit(meta, "max_points", pb) or (None if total else most)
        process.max_points = total
    else:
        process.ballot_kind = APPROVAL
        process.max_points_per_project = process.max_points = None
    process.min_choices = _limit(meta, "min_length", pb) or 0
    max_length = 1 if pb.vote_type == "choose-1" else _limit(meta, "max_length", pb)
    process.max_choices = max_length if max_length and max_length >= process.min_choices else None

    # -- written, all at once -----------------------------------------------------------------
    categories = {c.name: c for c in process.categories}
    areas = {a.name: a for a in process.areas}
    for r in rows:
        if r["category"] and r["category"] not in categories:
            categories[r["category"]] = ProjectCategory(process_id=process.id, name=r["category"])
            db.session.add(categories[r["category"]])
        if r["area"] and r["area"] not in areas:
            areas[r["area"]] = Area(process_id=process.id, name=r["area"], envelope=None)
            db.session.add(areas[r["area"]])
    db.session.flush()
    db.session.add_all(
        Project(process_id=process.id, number=numbers[r["pid"]], title=r["title"], cost=r["cost"],
                description=r["description"], description_html=str(render_markdown(r["description"])),
                status=FEASIBLE, source_ref=r["pid"], author_id=None,
                category_id=categories[r["category"]].id if r["category"] else None,
                area_id=areas[r["area"]].id if r["area"] else None, latitude=r["latitude"],
                longitude=r["longitude"])
        for r in rows)
    place = _("Pabulib file %(name)s", name=filename or "").strip()[:PLACE_MAX]
    if texts:
        db.session.execute(db.insert(PaperSheet), [
            dict(process_id=process.id, place=place, sheet=k + 1, entry=1, content=text, entered_by_id=user.id)
            for k, text in enumerate(texts)])
    db.session.flush()
    return Imported(len(rows), len(texts), process.rule, rule_kept)


def _limit(meta, key: str, pb) -> int | None:
    if key not in meta:
        return None
    value = pabulib.number(meta[key], pb.meta_line(key), key)
    if value.denominator != 1 or value <= 0:
        return None
    return value.numerator


def _point(values) -> tuple[float | None, float | None]:
    try:
        latitude, longitude = float(values.get("latitude") or ""), float(values.get("longitude") or "")
    except ValueError:
        return None, None
    if -90 <= latitude <= 90 and -180 <= longitude <= 180:
        return latitude, longitude
    return None, None
