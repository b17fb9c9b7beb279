"""The follow-up of funded projects (suivi de réalisation): which projects are funded,
their follow-up rows, updates by the people who keep them, and the CSV round trip.
Nothing here commits (the request flow does) and every change goes into the commune's
journal of decisions.

A project is funded once the result is published: the result's funded list, adjusted by
the council decision's departures when it is recorded (:func:`funded_projects`). Its
follow-up can be updated only once the council has decided: the works start with the
délibération, not with the count.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.refusal import Refused

from . import follow_up_data
from .follow_up_math import Work, funded_ids
from .models import PUBLISHED, TO_START, Decision, Departure, FollowUp, Milestone, Project, Result


def _published_funded(process) -> list[int] | None:
    row = db.session.execute(db.select(Result.state, Result.funded)
                             .where(Result.process_id == process.id)).first()
    if row is None or row.state != PUBLISHED:
        return None
    return [int(i) for i in row.funded or ()]


def decision_of(process) -> Decision | None:
    return db.session.scalar(db.select(Decision).where(Decision.process_id == process.id)
                             .options(db.selectinload(Decision.departures)))


def funded_ids_of(process, decision: Decision | None = None) -> set[int]:
    """Ids of the projects funded: none before the result is published."""
    funded = _published_funded(process)
    if funded is None:
        return set()
    if decision is None:
        decision = decision_of(process)
    departures = [(d.project_id, d.funded) for d in decision.departures] if decision else []
    return funded_ids(funded, departures)


def funded_projects(process, decision: Decision | None = None) -> list[Project]:
    """The projects funded, by number: the result's list adjusted by the decision."""
    ids = funded_ids_of(process, decision)
    if not ids:
        return []
    return list(db.session.scalars(db.select(Project).where(Project.process_id == process.id, Project.id.in_(ids))
                                   .order_by(Project.number)))


@dataclass
class Line:
    """A funded project with its follow-up (a default one, unsaved, until first updated)."""

    project: Project
    follow_up: FollowUp

    @property
    def work(self) -> Work:
        f = self.follow_up
        return Work(cost=self.project.vote_cost, progress=f.progress, status=f.status, committed=f.committed,
                    spent=f.spent)

    def row(self) -> follow_up_data.Row:
        f = self.follow_up
        return follow_up_data.Row(
            number=self.project.number, title=self.project.title, status=f.status, progress=f.progress,
            committed=f.committed, spent=f.spent, reason=f.reason or "",
            milestones=tuple(follow_up_data.Milestone(m.on, m.label, m.done) for m in f.milestones))


def _blank(project: Project) -> FollowUp:
    # Not added to the session: a page that only reads writes nothing.
    return FollowUp(project_id=project.id, status=TO_START, progress=0, reason="", committed=0, spent=0)


def lines(process, decision: Decision | None = None) -> list[Line]:
    """Every funded project with its follow-up and milestones: three queries in all."""
    projects = funded_projects(process, decision)
    if not projects:
        return []
    found = {f.project_id: f for f in db.session.scalars(
        db.select(FollowUp).where(FollowUp.project_id.in_([p.id for p in projects]))
        .options(db.selectinload(FollowUp.milestones)))}
    result = []
    for project in projects:
        follow = found.get(project.id)
        if follow is None:
            follow = _blank(project)
            follow.milestones = []
        result.append(Line(project, follow))
    return result


def line_of(process, number: int, decision: Decision | None = None) -> Line | None:
    """The funded project numbered ``number`` with its follow-up, or None (not funded)."""
    project = db.session.scalar(db.select(Project).where(Project.process_id == process.id, Project.number == number))
    if project is None or project.id not in funded_ids_of(process, decision):
        return None
    follow = db.session.scalar(db.select(FollowUp).where(FollowUp.project_id == project.id)
                               .options(db.selectinload(FollowUp.milestones)))
    if follow is None:
        follow = _blank(project)
        follow.milestones = []
    return Line(project, follow)


# -- changes ------------------------------------------------------------------------------

def _require_decision(process) -> None:
    if db.session.scalar(db.select(Decision.id).where(Decision.process_id == process.id)) is None:
        raise Refused(_("The follow-up starts once the council decision is recorded."), 409)


def _kept(line: Line) -> FollowUp:
    """The follow-up row, added to the session if it was a default one."""
    follow = line.follow_up
    if follow not in db.session:
        db.session.add(follow)
    return follow


def _journal(action: str, process, project: Project, **details) -> None:
    audit.record(action, commune_id=process.commune_id, target=project.title, process_id=process.id,
                 number=project.number, **details)


def update(process, line: Line, user, *, status: str, progress: int, reason: str, committed: int,
           spent: int) -> FollowUp:
    """Set a project's follow-up; :class:`Refused` (nothing written) when the values are
    wrong or the council has not decided yet."""
    _require_decision(process)
    reason = (reason or "").strip()
    wrong = follow_up_data.problem(status, progress, reason, committed, spent)
    if wrong:
        raise Refused(wrong, 422)
    follow = _kept(line)
    reason = reason if status == "abandoned" else ""
    before = (follow.status, follow.progress, follow.committed, follow.spent, follow.reason or "")
    follow.status, follow.progress, follow.committed, follow.spent = status, progress, committed, spent
    follow.reason = reason
    follow.updated_by_id, follow.updated_at = user.id, utcnow()
    if before != (status, progress, committed, spent, reason):  # the same values again: nothing to tell
        _journal("budget.follow_up.updated", process, line.project, status=status, progress=progress,
                 committed=committed, spent=spent)
    return follow


def add_milestone(process, line: Line, user, on, label: str) -> Milestone:
    _require_decision(process)
    label = (label or "").strip()
    wrong = follow_up_data.label_problem(label)
    if wrong:
        raise Refused(wrong, 422)
    follow = _kept(line)
    milestone = Milestone(project_id=line.project.id, on=on, label=label, done=False)
    follow.milestones.append(milestone)
    follow.updated_by_id, follow.updated_at = user.id, utcnow()
    _journal("budget.milestone.added", process, line.project, milestone=label, on=on.isoformat())
    return milestone


def set_milestone_done(process, line: Line, user, milestone_id: int, done: bool) -> Milestone:
    """Mark a milestone done (or not); setting what is already set changes nothing."""
    _require_decision(process)
    milestone = next((m for m in line.follow_up.milestones if m.id == milestone_id), None)
    if milestone is None:
        raise Refused(_("This milestone is not one of this project's."), 404)
    if milestone.done != done:
        milestone.done = done
        follow = _kept(line)
        follow.updated_by_id, follow.updated_at = user.id, utcnow()
        _journal("budget.milestone.done" if done else "budget.milestone.reopened", process, line.project,
                 milestone=milestone.label)
    return milestone


def import_rows(process, rows: list[follow_up_data.Row], user) -> int:
    """Apply the rows read from a CSV file, all or nothing: every row names a funded
    project of the process, or :class:`Refused` before anything is written. The
    milestones of each project listed become those of its line. Returns how many
    projects changed."""
    _require_decision(process)
    by_number = {line.project.number: line for line in lines(process)}
    for row in rows:
        if row.number not in by_number:
            raise follow_up_data.Problem(row.line,
                                         _("Project %(number)d is not a funded project of this budget.",
                                           number=row.number))
    changed = 0
    for row in rows:
        line = by_number[row.number]
        if line.row() == row:  # the same data: nothing to write, nothing to journal
            continue
        changed += 1
        follow = _kept(line)
        follow.status, follow.progress, follow.committed, follow.spent = (row.status, row.progress, row.committed,
                                                                         row.spent)
        follow.reason = row.reason if row.status == "abandoned" else ""
        follow.updated_by_id, follow.updated_at = user.id, utcnow()
        follow.milestones.clear()
        follow.milestones.extend(Milestone(project_id=line.project.id, on=m.on, label=m.label, done=m.done)
                                 for m in row.milestones)
    audit.record("budget.follow_up.imported", commune_id=process.commune_id, target=process.title,
                 process_id=process.id, count=changed)
    return changed

