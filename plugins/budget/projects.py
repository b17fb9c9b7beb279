"""Projects of a budget process: submitted by members during the dépôt phase, linked to the
needs they answer, reviewed for feasibility, merged when they duplicate one another; the
list with its filters and counts; and :func:`on_ballot`, what the vote offers. Nothing
here commits; a refusal is a :class:`~convergence.refusal.Refused` raised before any write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db
from convergence.features import is_active
from convergence.models.base import utcnow
from convergence.participation import comments, history, links, supports
from convergence.participation.models import Link
from convergence.refusal import Refused, clean_reason
from convergence.web.markdown import render_markdown

from . import processes
from .models import FEASIBLE, MERGED, NOT_FEASIBLE, PROJECT_STATUSES, REASON_MAX, SUBMISSION, SUBMITTED, WITHDRAWN, \
    Process, Project


def status_labels() -> dict[str, str]:
    return {SUBMITTED: _("Awaiting study"), FEASIBLE: _("Feasible"), NOT_FEASIBLE: _("Not feasible"),
            MERGED: _("Merged"), WITHDRAWN: _("Withdrawn by its authors")}


@dataclass
class Fields:
    """A project's fields as the form checked them (forms.ProjectForm.values())."""

    title: str
    description: str
    cost: int
    area_id: int | None = None
    category_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    need_ids: tuple[int, ...] = ()


# -- the needs it answers (through the needs plug-in's api) ------------------------------

def needs_offered(process: Process) -> bool:
    """Whether the needs map is there to link to: enabled on the site and switched on in
    the process's commune."""
    return "needs" in current_app.extensions["convergence.plugins"] and is_active(process.space.commune, "needs")


def find_needs(process: Process, numbers) -> list:
    """The needs of the process's commune with these numbers; Refused naming the first
    unknown one (a need of another commune is unknown here)."""
    if not numbers:
        return []
    if not needs_offered(process):
        raise Refused(_("The needs map is not switched on in this commune: no need can be linked."))
    from plugins.needs import api as needs

    found = []
    for number in numbers:
        need = needs.get_need(number)
        if need is None or need.commune_id != process.commune_id:
            raise Refused(_("There is no need no. %(n)d in this commune.", n=number))
        if need not in found:
            found.append(need)
    return found


# -- submitting ----------------------------------------------------------------------------

def check_place(process: Process, fields: Fields) -> None:
    """The area and category are the process's own (a form's choices say so; this is for
    the callers that are not a form)."""
    if fields.area_id is not None and fields.area_id not in {a.id for a in process.areas}:
        raise Refused(_("Unknown area."))
    if fields.category_id is not None and fields.category_id not in {c.id for c in process.categories}:
        raise Refused(_("Unknown category."))


def submit(process: Process, author, fields: Fields, now: datetime | None = None) -> Project:
    """A new project, numbered next in its process, with its links to needs."""
    if not processes.phase_is_open(process, SUBMISSION, now):
        raise Refused(_("Projects can only be submitted during the submission phase."), 409)
    check_place(process, fields)
    needs = find_needs(process, fields.need_ids)
    # The process's row locked (PostgreSQL; SQLite writes one at a time anyway): two
    # projects submitted at once do not both take the next number.
    db.session.execute(db.select(Process.id).where(Process.id == process.id).with_for_update())
    number = (db.session.scalar(db.select(db.func.max(Project.number)).where(Project.process_id == process.id))
              or 0) + 1
    project = Project(process_id=process.id, number=number, title=fields.title, description=fields.description,
                      description_html=str(render_markdown(fields.description)), cost=fields.cost,
                      area_id=fields.area_id, category_id=fields.category_id, latitude=fields.latitude,
                      longitude=fields.longitude, author_id=author.id if author else None, status=SUBMITTED)
    db.session.add(project)
    db.session.flush()
    history.record(project.subject_id, None, SUBMITTED, author)
    for need in needs:
        links.link(project.subject_id, need.subject_id)
    return project


def find(process: Process, number: int) -> Project | None:
    """The project of this number in this process (None for another process's)."""
    return db.session.scalar(db.select(Project).where(Project.process_id == process.id, Project.number == number))


def get(process_id: int, number: int) -> Project | None:
    return db.session.scalar(db.select(Project).where(Project.process_id == process_id, Project.number == number)
                             .options(db.joinedload(Project.area), db.joinedload(Project.category),
                                      db.joinedload(Project.author), db.joinedload(Project.merged_into)))


# -- feasibility review --------------------------------------------------------------------

def _not_after_vote_opened(process: Process, now: datetime | None, message: str) -> None:
    if processes.rules_frozen(process, now):
        raise Refused(message, 409)


def review(project: Project, feasible: bool, reason: str, revised_cost: int | None, by,
           now: datetime | None = None) -> None:
    """Record the feasibility study: feasible or not, a public reason (required when not
    feasible), and the revised cost (feasible only; None keeps the authors' estimate).
    Refused once the vote has opened: the ballot's projects no longer change."""
    _not_after_vote_opened(project.process, now, _("The vote has opened: the feasibility study can no longer "
                                                   "change. Nothing has been saved."))
    if project.status in (MERGED, WITHDRAWN):
        raise Refused(_("This project was merged or withdrawn: it is not studied."), 409)
    reason = clean_reason(reason, required=not feasible, limit=REASON_MAX,
                          what=_("Say publicly why the project is not feasible."))
    if revised_cost is not None and revised_cost < 0:
        raise Refused(_("The cost cannot be negative."))
    old = project.status
    project.status = FEASIBLE if feasible else NOT_FEASIBLE
    project.review_reason = reason
    project.revised_cost = revised_cost if feasible else None
    project.reviewed_by_id = by.id if by else None
    project.reviewed_at = now or utcnow()
    history.record(project.subject_id, old, project.status, by, reason)
    audit.record("budget.review", commune_id=project.process.commune_id,
                 target=f"budget:{project.process_id}:{project.number}", verdict=project.status,
                 cost=project.vote_cost)


# -- duplicates ----------------------------------------------------------------------------

def check_merge(duplicate: Project, target: Project | None) -> None:
    if target is None or target.process_id != duplicate.process_id:
        raise Refused(_("There is no such project in this budget."))
    if target.id == duplicate.id:
        raise Refused(_("A project cannot be merged into itself."))
    if duplicate.merged_into_id is not None:
        raise Refused(_("This project has already been merged."), 409)
    if target.merged_into_id is not None:
        raise Refused(_("Project no. %(n)d was itself merged: merge into the project it was merged into.",
                        n=target.number), 409)


def merge(duplicate: Project, target: Project, by, now: datetime | None = None) -> None:
    """Merge ``duplicate`` into ``target``: supports move (once per person, the core's
    rule), comments and the links to needs move too, both keep a note in their history;
    the duplicate is off the ballot from then on."""
    _not_after_vote_opened(duplicate.process, now, _("The vote has opened: projects can no longer be merged. "
                                                     "Nothing has been saved."))
    check_merge(duplicate, target)
    supports.move(duplicate.subject_id, target.subject_id)
    comments.move(duplicate.subject_id, target.subject_id)
    for other in linked_subjects(duplicate.subject_id):
        links.link(target.subject_id, other)
    history.record(duplicate.subject_id, duplicate.status, MERGED, by,
                   _("Merged into project no. %(n)d.", n=target.number))
    history.record(target.subject_id, target.status, target.status, by,
                   _("Project no. %(n)d was merged into this one.", n=duplicate.number))
    duplicate.status, duplicate.merged_into_id = MERGED, target.id
    audit.record("budget.merge", commune_id=duplicate.process.commune_id,
                 target=f"budget:{duplicate.process_id}:{duplicate.number}", into=target.number)


def linked_subjects(subject_id: int) -> list[int]:
    rows = db.session.execute(db.select(Link.source_id, Link.target_id)
                              .where(db.or_(Link.source_id == subject_id, Link.target_id == subject_id))).all()
    return [target if source == subject_id else source for source, target in rows]


def merged_from(project: Project) -> list[Project]:
    return list(db.session.scalars(db.select(Project).where(Project.merged_into_id == project.id)
                                   .order_by(Project.number)))


# -- the list and the ballot ---------------------------------------------------------------

@dataclass
class Listing:
    projects: list[Project]
    by_status: dict[str, int]  # within the area and category chosen
    total: int


def listing(process: Process, *, area_id: int | None = None, category_id: int | None = None,
            status: str | None = None) -> Listing:
    """The process's projects by number, filtered, with the counts by status: two queries
    whatever the number of projects (areas, categories and counters come with them)."""
    where = [Project.process_id == process.id]
    if area_id is not None:
        where.append(Project.area_id == area_id)
    if category_id is not None:
        where.append(Project.category_id == category_id)
    counts = dict(db.session.execute(db.select(Project.status, db.func.count()).where(*where)
                                     .group_by(Project.status)).all())
    if status in PROJECT_STATUSES:
        where.append(Project.status == status)
    found = list(db.session.scalars(db.select(Project).where(*where).order_by(Project.number)
                                    .options(db.joinedload(Project.area), db.joinedload(Project.category),
                                             db.joinedload(Project.merged_into))))
    return Listing(found, {s: counts.get(s, 0) for s in PROJECT_STATUSES}, sum(counts.values()))


def on_ballot(process: Process, *, with_places: bool = False) -> list[Project]:
    """The projects the vote offers: the feasible ones, in number order. Each has its
    ``number`` (what a ballot lists) and ``vote_cost`` (the review's cost, else the
    authors'). One query, with their area and category when ``with_places``. The one
    definition of the ballot's projects: casting's rules, the ballot page and the results
    all read it."""
    query = (db.select(Project).where(Project.process_id == process.id, Project.status == FEASIBLE)
             .order_by(Project.number))
    if with_places:
        query = query.options(db.joinedload(Project.area), db.joinedload(Project.category))
    return list(db.session.scalars(query))


