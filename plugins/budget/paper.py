"""Paper ballots, typed one by one by tellers (``PaperSheet``): the Method of Equal Shares
needs every ballot, so a polling place's pile is typed sheet by sheet, each a list of project
numbers (points ballots: ``number:points``), checked by ``ballots.check``.

Decisions (README « Bulletins papier »):

* **When**: while the vote is open. A polling place's pile is typed once the place has
  closed; the online vote closes after the last place's sheets are in, and the close fixes
  the count (the result is asked for then). After the close nothing is typed any more.
* **Nul**: a sheet that breaks the rules is refused with the problems in plain French; the
  teller may record it as « nul » by ticking the box, never silently. A nul sheet counts as
  a paper ballot cast and supports no project (:data:`VOID`, not a ballot's text).
* **Double entry** (``Process.double_entry``): each sheet typed twice by two different
  people (entry 1, entry 2); a sheet counts only when both entries agree. The sheets whose
  entries differ, or that wait for their second entry, are listed (:func:`differences`) and
  an entry can be corrected. Without double entry, a sheet counts once typed.

Written in the caller's transaction, never committed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db
from convergence.refusal import Refused

from . import ballots
from .models import PLACE_MAX, PaperSheet, Process

REPLACEMENT = "\ufffd"  # the character standing for one that could not be read
VOID = "nul"  # a spoilt sheet: taking part, for no project; never a ballot's text
_SEPARATORS = re.compile(r"[\s,;.]+")
_PART = re.compile(r"^([1-9][0-9]{0,5})(?::([1-9][0-9]{0,5}))?$")


class SheetError(ValueError):
    """What a teller typed is not a list of numbers (message in French, translated)."""


def parse(text: str, kind: str) -> dict[int, int]:
    """The content of a typed sheet: numbers separated by spaces, commas or dots
    (``3 7 12``), ``number:points`` on a points ballot (``3:2 7:5``), ``-`` for a blank
    sheet. Raises :class:`SheetError` for anything else."""
    text = (text or "").strip()
    if text == ballots.BLANK:
        return {}
    if not text:
        raise SheetError(_("Type the project numbers of the sheet, or - for a blank sheet."))
    content: dict[int, int] = {}
    for part in _SEPARATORS.split(text):
        if not part:
            continue
        match = _PART.match(part)
        if match is None:
            raise SheetError(_("« %(part)s » is not a project number.", part=part[:20]))
        number, points = int(match.group(1)), match.group(2)
        if number in content:
            raise SheetError(_("Project no. %(number)d is typed twice.", number=number))
        if points is not None and kind != ballots.POINTS:
            raise SheetError(_("This ballot takes no points: type the numbers only."))
        content[number] = int(points) if points is not None else (1 if kind != ballots.POINTS else 0)
    if kind == ballots.POINTS and any(points == 0 for points in content.values()):
        raise SheetError(_("On a points ballot type each project as number:points, e.g. 3:2."))
    return content


def _open(process: Process) -> None:
    from .casting import lock
    from .status import CLOSED, OPEN

    current = lock(process)
    if current == CLOSED:
        raise Refused(_("This vote is closed: paper ballots can no longer be typed."), 410)
    if current != OPEN:
        raise Refused(_("Paper ballots are typed while the vote is open."), 409)


def _stored_text(rules: ballots.BallotRules, text: str, void: bool) -> str:
    """What an entry stores: :data:`VOID` when ticked « nul », else the typed sheet's
    ballot text once it reads and keeps the rules (Refused, 422, in French otherwise)."""
    from .method import status_sentence

    if void:
        return VOID
    try:
        content = parse(text, rules.kind)
    except SheetError as error:
        raise Refused(str(error), 422) from None
    status = ballots.check(rules, content)
    if not status.valid:
        raise Refused(_("%(problems)s Correct what you typed, or tick « Spoilt sheet » if the sheet "
                        "itself breaks the rules.", problems=status_sentence(rules, status)), 422)
    return ballots.serialise(content, rules.kind)


def add(process: Process, place: str, sheet: int, text: str, *, void: bool = False, entered_by=None,
        rules: ballots.BallotRules | None = None) -> PaperSheet:
    """Type one sheet: the first entry, or the second by someone else (double entry)."""
    from .casting import rules_of

    place = " ".join((place or "").split())
    if not place or len(place) > PLACE_MAX:
        raise Refused(_("Name the polling place (at most 120 characters)."), 422)
    if REPLACEMENT in place:
        # What a browser sends for a character it could not encode (half of a surrogate
        # pair): the name would be stored damaged, and its sheets filed apart.
        raise Refused(_("The name of the polling place contains a damaged character (�): type it again."), 422)
    if not 1 <= sheet <= 1_000_000:
        raise Refused(_("A sheet number is a whole number from 1."), 422)
    content_text = _stored_text(rules or rules_of(process), text, void)
    _open(process)
    from .roll import register_open

    if register_open(process, place):
        # Typed while people are still marked there, a sheet's row would follow the
        # émargements in time: the pile is typed once the register is closed (roll.py).
        raise Refused(_("The register of « %(place)s » is still open: close it before typing its sheets.",
                        place=place), 409)
    entries = db.session.execute(db.select(PaperSheet.entry, PaperSheet.entered_by_id).where(
        PaperSheet.process_id == process.id, PaperSheet.place == place, PaperSheet.sheet == sheet)).all()
    if not entries:
        entry = 1
    elif process.double_entry and len(entries) == 1:
        if entered_by is not None and entries[0][1] == entered_by.id:
            raise Refused(_("You typed this sheet already: its second entry is made by someone else."), 409)
        entry = 2
    else:
        raise Refused(_("Sheet %(sheet)d of « %(place)s » has already been typed. To correct it, use the list "
                        "of differences.", sheet=sheet, place=place), 409)
    row = PaperSheet(process_id=process.id, place=place, sheet=sheet, entry=entry, content=content_text,
                     entered_by_id=getattr(entered_by, "id", None))
    db.session.add(row)
    db.session.flush()
    audit.record("budget.paper.typed", commune_id=process.commune_id, target=process.title[:120],
                 process=process.id, place=place, sheet=sheet, entry=entry)
    return row


def correct(process: Process, sheet_id: int, text: str, *, void: bool = False, corrected_by=None) -> PaperSheet:
    """Replace what one entry says (the sheet read again), while the vote is open."""
    from .casting import rules_of

    row = db.session.scalar(db.select(PaperSheet).where(PaperSheet.id == sheet_id,
                                                        PaperSheet.process_id == process.id))
    if row is None:
        raise Refused(_("This paper sheet does not exist."), 404)
    row.content = _stored_text(rules_of(process), text, void)
    _open(process)
    audit.record("budget.paper.corrected", commune_id=process.commune_id, target=process.title[:120],
                 process=process.id, place=row.place, sheet=row.sheet, entry=row.entry)
    return row


@dataclass(frozen=True)
class Pending:
    """A sheet not counted yet under double entry: its two entries differ, or one is missing."""

    place: str
    sheet: int
    first: PaperSheet | None
    second: PaperSheet | None


def _sheets(process: Process) -> dict[tuple[str, int], dict[int, PaperSheet]]:
    rows = db.session.scalars(db.select(PaperSheet).where(PaperSheet.process_id == process.id)
                              .order_by(PaperSheet.place, PaperSheet.sheet, PaperSheet.entry))
    grouped: dict[tuple[str, int], dict[int, PaperSheet]] = {}
    for row in rows:
        grouped.setdefault((row.place, row.sheet), {})[row.entry] = row
    return grouped


def sheet_counts(entries: dict[int, str], double_entry: bool) -> str | None | bool:
    """The text a paper sheet counts with, from its entries (entry number → text): None
    while it waits for its second entry, False when its entries disagree. Plain logic:
    the one rule of what a sheet counts for (results, lists of differences, places)."""
    # Compared as contents (the same ballot typed in another order agrees); « nul » as itself.
    contents = {number: text if text == VOID else ballots.deserialise(text) for number, text in entries.items()}
    if len(contents) == 2:
        return entries[1] if contents[1] == contents[2] else False
    if double_entry:
        return None
    return next(iter(entries.values()))


def _counts(process: Process, entries: dict[int, PaperSheet]) -> str | None | bool:
    return sheet_counts({number: row.content for number, row in entries.items()}, process.double_entry)


def differences(process: Process) -> list[Pending]:
    if not process.double_entry:
        return []
    return [Pending(place, sheet, entries.get(1), entries.get(2))
            for (place, sheet), entries in _sheets(process).items()
            if not isinstance(_counts(process, entries), str)]


@dataclass
class Tally:
    """The paper sheets as the count reads them: the texts of those that count (spoilt
    ones included, as :data:`VOID`), in (place, sheet) order, and those that do not yet."""

    texts: list[str]
    disagreeing: int = 0  # sheets whose two entries differ
    waiting: int = 0  # sheets waiting for their second entry


def tally(process: Process) -> Tally:
    found = Tally([])
    for entries in _sheets(process).values():
        text = _counts(process, entries)
        if text is None:
            found.waiting += 1
        elif text is False:
            found.disagreeing += 1
        else:
            found.texts.append(text)
    return found


def counted_texts(process: Process) -> list[str]:
    """Every paper sheet that counts, as its text (spoilt ones included, as :data:`VOID`):
    under double entry only those whose two entries agree."""
    return tally(process).texts


def counted_ballots(process: Process) -> list[str]:
    """The paper ballots the allocation reads: counted sheets that are not spoilt."""
    return [text for text in counted_texts(process) if text != VOID]


def by_place(process: Process) -> list[tuple[str, int, int]]:
    """(place, sheets typed, sheets counted) per polling place, by name."""
    places: dict[str, list[int]] = {}
    for (place, _sheet), entries in _sheets(process).items():
        typed_counted = places.setdefault(place, [0, 0])
        typed_counted[0] += 1
        if isinstance(_counts(process, entries), str):
            typed_counted[1] += 1
    return [(place, typed, counted) for place, (typed, counted) in sorted(places.items())]
