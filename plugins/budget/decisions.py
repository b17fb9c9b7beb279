"""The council decision (délibération du conseil municipal) on a published result.

An elected member of the commune records it once: its number, date, text (sanitised
Markdown), the signed document (a PDF, at most ``DOCUMENT_MAX`` bytes, stored in the row
and served back as a download), and whether the council adopts the result or departs from
it project by project — funding a project the result did not, or not funding one it did —
each departure with a public reason. The decision goes into the commune's journal of
decisions and is announced on the live channel of the process's space once committed.
Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from convergence import audit, live
from convergence.extensions import db, on_commit
from convergence.refusal import Refused
from convergence.spaces import space_ref
from convergence.web.markdown import render_markdown

from .models import DOCUMENT_MAX, FEASIBLE, PUBLISHED, REASON_MAX, Decision, Departure, Project, Result

EVENT_RECORDED = "budget.decision.recorded"
LIVE_EVENTS = [(EVENT_RECORDED, _l("The council decision on a participatory budget is recorded."))]
PDF_MAGIC = b"%PDF-"


class DepartureRefused(Refused):
    """A departure refused: the page says it next to that project's reason."""

    def __init__(self, message: str, project_id: int):
        super().__init__(message, 422)
        self.project_id = project_id


def live_events():
    return list(LIVE_EVENTS)


@dataclass(frozen=True)
class Document:
    name: str
    content: bytes


def check_document(upload) -> Document | None:
    """The attached file as stored, None when none was chosen, or :class:`Refused`: not
    a PDF (by its content, not by the name or type the browser gave), or too large."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    content = upload.read(DOCUMENT_MAX + 1)
    if len(content) > DOCUMENT_MAX:
        raise Refused(_("The document is larger than %(mb)d MB.", mb=DOCUMENT_MAX // (1024 * 1024)), 413)
    if not content.startswith(PDF_MAGIC):
        raise Refused(_("The document must be a PDF file."), 415)
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "deliberation.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return Document(name, content)


def ballot_projects(process) -> list[Project]:
    """The projects the council may decide on: those that were on the ballot."""
    return list(db.session.scalars(db.select(Project).where(Project.process_id == process.id,
                                                             Project.status == FEASIBLE)
                                   .order_by(Project.number)))


def published_result(process) -> Result | None:
    result = db.session.get(Result, process.id)
    return result if result is not None and result.state == PUBLISHED else None


def check_open(process) -> Result:
    """The published result the council decides on, or :class:`Refused` (409): not
    published yet, or a decision already recorded."""
    result = published_result(process)
    if result is None:
        raise Refused(_("The council decides on a published result: the result of this budget is not "
                        "published yet."), 409)
    if db.session.scalar(db.select(Decision.id).where(Decision.process_id == process.id)) is not None:
        raise Refused(_("The council decision on this budget is already recorded."), 409)
    return result


def record(process, user, *, number: str, decided_on, text: str, document: Document | None,
           departures: dict[int, str]) -> Decision:
    """Record the council decision. ``departures``: project id → the public reason the
    council departs from the result for it (whichever way: the result's choice is
    reversed). :class:`Refused` before anything is kept: the result is not published, a
    decision is already recorded, a departure names a project not on the ballot or has
    no reason."""
    result = check_open(process)
    on_ballot = {p.id: p for p in ballot_projects(process)}
    funded = {int(i) for i in result.funded or ()}
    decision = Decision(process_id=process.id, number=number.strip(), decided_on=decided_on, text=text or "",
                        text_html=str(render_markdown(text)), recorded_by_id=user.id)
    if document is not None:
        decision.document_name, decision.document_type, decision.document = (document.name, "application/pdf",
                                                                             document.content)
    for project_id, reason in sorted(departures.items()):
        project = on_ballot.get(project_id)
        if project is None:
            raise DepartureRefused(_("The council can only depart from the result for a project that was on the "
                                     "ballot."), project_id)
        reason = (reason or "").strip()
        if not reason:
            raise DepartureRefused(_("Project %(number)d: say publicly why the council departs from the result.",
                                     number=project.number), project_id)
        if len(reason) > REASON_MAX:
            raise DepartureRefused(_("The reason is longer than %(n)d characters.", n=REASON_MAX), project_id)
        decision.departures.append(Departure(project_id=project_id, funded=project_id not in funded, reason=reason))
    db.session.add(decision)
    try:
        # Two elected members sending theirs at the same instant meet on the unique
        # process_id: the second is told, not shown an error page.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Refused(_("The council decision on this budget is already recorded."), 409) from None
    audit.record("budget.decision.recorded", commune_id=process.commune_id, target=process.title,
                 process_id=process.id, number=decision.number, decided_on=decided_on.isoformat(),
                 departures=len(decision.departures),
                 funded_added=sorted(on_ballot[d.project_id].number for d in decision.departures if d.funded),
                 funded_removed=sorted(on_ballot[d.project_id].number for d in decision.departures if not d.funded))
    channel, payload = space_ref(process.space), announcement(process, decision, on_ballot)
    on_commit(db.session, lambda: live.publish(channel, EVENT_RECORDED, payload))
    return decision


def announcement(process, decision: Decision, on_ballot: dict[int, Project]) -> dict:
    """What the live event says: which budget (the results, decision and project pages of
    that process fetch themselves again and show the decision), its number and date, and
    each departure by project number with what the council decided for it."""
    return {"process_id": process.id, "number": decision.number, "decided_on": decision.decided_on.isoformat(),
            "departures": [{"project": on_ballot[d.project_id].number, "funded": d.funded}
                           for d in sorted(decision.departures, key=lambda d: on_ballot[d.project_id].number)]}


@dataclass(frozen=True)
class Summary:
    """The decision as the results page says it: its number, date and how many departures."""

    number: str
    decided_on: object
    departures: int


def summary(process) -> Summary | None:
    """One query (not the document)."""
    row = db.session.execute(
        db.select(Decision.number, Decision.decided_on, db.func.count(Departure.id))
        .outerjoin(Departure, Departure.decision_id == Decision.id)
        .where(Decision.process_id == process.id)
        .group_by(Decision.id, Decision.number, Decision.decided_on)).first()
    return None if row is None else Summary(*row)


@dataclass(frozen=True)
class Note:
    """What a project's page says of the decision: recorded or not, and for this project
    whether the council followed the result or departed from it (and why)."""

    decision: Decision | None
    departure: Departure | None
    funded: bool | None  # as decided (None: no decision yet)
    #: The result is published and the council has not decided yet: the page listens for
    #: the decision on the live channel (before, it cannot come; after, it never changes).
    awaited: bool = False


def note_for(project) -> Note:
    """One query: the process's result, its decision and this project's departure, if any
    (a decision is only recorded on a published result)."""
    row = db.session.execute(
        db.select(Result.state, Result.funded, Decision, Departure)
        .select_from(Result)
        .outerjoin(Decision, Decision.process_id == Result.process_id)
        .outerjoin(Departure, db.and_(Departure.decision_id == Decision.id, Departure.project_id == project.id))
        .where(Result.process_id == project.process_id)).first()
    if row is None:
        return Note(None, None, None)
    state, funded, decision, departure = row
    if decision is None:
        return Note(None, None, None, awaited=state == PUBLISHED)
    if departure is not None:
        return Note(decision, departure, departure.funded)
    return Note(decision, None, project.id in {int(i) for i in funded or ()})
