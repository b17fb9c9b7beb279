"""What participatory budgeting contributes to the core's hooks (convergence/hooks.py):
the processes on the pages of their space (panels), « Proposer un projet » while a dépôt
is open (space-actions), the open dépôts (open-now), the projects' names where other
items link to them (subject-label), and a person's share of the data export and of the
account's erasure. Each reads in one query (two for the erasure's summary)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from convergence.extensions import db
from convergence.models import Space
from convergence.models.base import utcnow
from convergence.open_now import OpenItem, member_spaces, switched_on
from convergence.participation import erasure as participation
from convergence.participation.models import Comment, Support
from convergence.permissions import can

from . import processes
from .models import NAME, SUBMISSION, Phase, Process, Project


def connect(plugin) -> None:
    plugin.connect_hook("commune-panels", lambda commune: _panel(commune))
    plugin.connect_hook("assembly-panels", lambda assembly: _panel(assembly))
    plugin.connect_hook("circle-panels", lambda circle: _panel(circle))
    plugin.connect_hook("space-actions", space_actions)
    plugin.connect_hook("open-now", open_now)
    plugin.connect_hook("subject-label", subject_labels)
    plugin.connect_hook("user-data", user_data)
    plugin.connect_hook("account-erasure-summary", erasure_summary)
    plugin.connect_hook("account-erasing", erase)
    from . import demo

    plugin.connect_hook("demo-switch-on", demo.switch_on)
    plugin.connect_hook("demo-commune-content", demo.load)


def _panel(owner):
    """The space's processes with the phase each is in, and « Créer » for facilitators."""
    space = owner.space
    found = processes.of_space(space)
    if not found and not can("budget.manage", space):
        return []
    now = utcnow()
    rows = [(p, processes.phase_label(processes.current_phase(p, now, follow_up_started=False))) for p in found]
    return [Markup(render_template("budget/process_panel.html", rows=rows, space=space))]


def _submission_open(now):
    return db.exists().where(Phase.process_id == Process.id, Phase.name == SUBMISSION, Phase.starts_at <= now,
                             db.or_(Phase.ends_at.is_(None), Phase.ends_at > now))


def space_actions(space, user):
    """« Proposer un projet » for each process of the space whose dépôt is open."""
    now = utcnow()
    rows = db.session.execute(db.select(Process.id, Process.title).where(Process.space_id == space.id,
                                                                        _submission_open(now))
                              .order_by(Process.id)).all()
    if len(rows) == 1:
        return [(_("Submit a project"), url_for("budget.submit", process_id=rows[0].id))]
    return [(_("Submit a project to « %(title)s »", title=title), url_for("budget.submit", process_id=pid))
            for pid, title in rows]


def open_now(user, limit):
    """The dépôts open now: everyone's on the home page; those of the spaces a person is
    a member of (an assembly's through its commune too) on « Pour moi »."""
    now = utcnow()
    ends = (db.select(Phase.ends_at).where(Phase.process_id == Process.id, Phase.name == SUBMISSION)
            .scalar_subquery())
    starts = (db.select(Phase.starts_at).where(Phase.process_id == Process.id, Phase.name == SUBMISSION)
              .scalar_subquery())
    query = (db.select(Process.id, Process.title, ends, starts, Space.kind)
             .join(Space, Space.id == Process.space_id)
             .where(_submission_open(now), switched_on(Process.space_id, NAME)))
    if user is not None:
        mine = member_spaces(user)
        query = query.where(db.or_(Process.space_id.in_(mine),
                                   db.and_(Space.kind == "assembly", Space.parent_id.in_(mine))))
    rows = db.session.execute(query.order_by(Process.id.desc()).limit(limit)).all()
    return [OpenItem(kind=_("Project submission"), title=title, url=url_for("budget.show", process_id=pid),
                     closes_at=closes, opened_at=opened)
            for pid, title, closes, opened, _kind in rows]


def subject_labels(subject_ids):
    """« Projet n° 3 : Title » and its page, for each project among ``subject_ids``."""
    rows = db.session.execute(db.select(Project.subject_id, Project.process_id, Project.number, Project.title)
                              .where(Project.subject_id.in_(subject_ids))).all()
    return {subject_id: (_("Project no. %(n)d: %(title)s", n=number, title=title),
                         url_for("budget.project", process_id=process_id, number=number))
            for subject_id, process_id, number, title in rows}


def user_data(user):
    projects = db.session.execute(
        db.select(Project.process_id, Project.number, Project.title, Project.description, Project.cost,
                  Project.status, Project.created_at).where(Project.author_id == user.id)
        .order_by(Project.process_id, Project.number)).all()
    supported = db.session.execute(
        db.select(Project.process_id, Project.number).join(Support, Support.subject_id == Project.subject_id)
        .where(Support.user_id == user.id).order_by(Project.process_id, Project.number)).all()
    said = db.session.execute(
        db.select(Project.process_id, Project.number, Comment.body, Comment.created_at)
        .join(Comment, Comment.subject_id == Project.subject_id)
        .where(Comment.author_id == user.id).order_by(Comment.id)).all()
    if not (projects or supported or said):
        return None  # nothing held about this person: no empty section
    return {
        "budget_projects_submitted": [
            {"process_id": p.process_id, "number": p.number, "title": p.title, "description": p.description,
             "cost": p.cost, "status": p.status, "created_at": p.created_at.isoformat()} for p in projects],
        "budget_projects_supported": [{"process_id": s.process_id, "number": s.number} for s in supported],
        "budget_comments": [{"process_id": c.process_id, "number": c.number, "body": c.body,
                             "created_at": c.created_at.isoformat()} for c in said],
    }


def _deletable(user):
    """The person's projects whose process has not opened its vote: those may go with the
    account; the others are on a ballot people voted on and stay, without their author."""
    now = utcnow()
    frozen = db.select(Process.id).where(db.or_(Process.rules_frozen_at.is_not(None),
                                                db.exists().where(Phase.process_id == Process.id,
                                                                  Phase.name == "vote", Phase.starts_at <= now)))
    return db.select(Project.subject_id).where(Project.author_id == user.id, Project.process_id.not_in(frozen))


def erasure_summary(user) -> list[tuple[str, str, str]]:
    projects = db.session.scalar(db.select(db.func.count()).select_from(Project).where(Project.author_id == user.id))
    comments, supports = participation.counts(user, db.select(Project.subject_id))
    lines = []
    if projects:
        lines.append((ngettext("%(num)d budget project you submitted", "%(num)d budget projects you submitted",
                               projects),
                      _("stay, without your name"),
                      _("are deleted with their supports and comments, except those already on a ballot, "
                        "which stay without your name")))
    if comments:
        lines.append((ngettext("%(num)d comment on a budget project", "%(num)d comments on budget projects",
                               comments), _("stay, signed « deleted account »"), _("are deleted")))
    if supports:
        lines.append((ngettext("%(num)d support of a budget project", "%(num)d supports of budget projects",
                               supports), _("are withdrawn"), _("are withdrawn")))
    return lines


def erase(user, keep_contributions: bool) -> None:
    """Supports and comments are the core's (its own account-erasing part); here the
    person's projects: unlinked, or deleted with their subjects where no vote has opened
    (author_id's ON DELETE SET NULL unlinks the rest)."""
    if not keep_contributions:
        participation.forget(_deletable(user))
    db.session.execute(db.update(Project).where(Project.author_id == user.id).values(author_id=None)
                       .execution_options(synchronize_session=False))
