"""The follow-up pages (suivi de réalisation): a budget's progress and its CSV (export and
re-import), and each funded project's follow-up, public, updated by the people who keep
it (rule ``budget.follow_up``)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from convergence.participation import links
from convergence.permissions import can
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.downloads import csv_download
from convergence.web.handlers import route

from .. import decisions, follow_up, follow_up_data
from ..decision_forms import STATUS_LABELS, FollowUpForm, ImportForm, MilestoneDoneForm, MilestoneForm
from ..follow_up_math import budget_progress, shown, totals
from . import bp
from .base import ProcessPage


def _keeps(process) -> bool:
    return current_user.is_authenticated and can("budget.follow_up", process)


@route(bp, "/budgets/<int:process_id>/suivi", "follow_up")
class BudgetFollowUp(ProcessPage):
    def get(self):
        return self.render()

    def render(self):
        decision = follow_up.decision_of(self.process)
        found = follow_up.lines(self.process, decision)
        works = [line.work for line in found]
        return self.page("budget/follow_up.html", lines=found, decision=decision,
                         progress=shown(budget_progress(works)), totals=totals(works, self.process.envelope),
                         labels=STATUS_LABELS, keeps=_keeps(self.process))


@route(bp, "/budgets/<int:process_id>/suivi.csv", "follow_up_csv")
class FollowUpCsv(ProcessPage):
    def get(self):
        rows = [follow_up_data.cells(line.row()) for line in follow_up.lines(self.process)]
        return csv_download(follow_up_data.COLUMNS, rows, f"suivi-budget-{self.process.id}.csv")


@route(bp, "/budgets/<int:process_id>/suivi/import", "follow_up_import", methods=("GET", "POST"))
class FollowUpImport(ProcessPage):
    permission = "budget.follow_up"

    def get(self):
        return self.render()

    def post(self):
        form = self.form(ImportForm)
        if not form.validate():  # the CSRF token; the file is read below
            return self.invalid()
        try:
            rows = follow_up_data.read(self._text(form.file.data))
            changed = follow_up.import_rows(self.process, rows, current_user)
        except follow_up_data.Problem as problem:
            self.problem = problem  # nothing was written: all or nothing
            return self.invalid()
        flash(ngettext("%(num)d project's follow-up changed.", "%(num)d projects' follow-up changed.", changed),
              "success")
        return redirect(url_for("budget.follow_up", process_id=self.process.id), 303)

    @staticmethod
    def _text(upload) -> str:
        if upload is None or not getattr(upload, "filename", ""):
            raise follow_up_data.Problem(0, _("Choose a CSV file."))
        raw = upload.read(follow_up_data.MAX_BYTES + 1)
        if len(raw) > follow_up_data.MAX_BYTES:
            raise follow_up_data.Problem(0, _("The file is too large (1 MB at most)."))
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise follow_up_data.Problem(0, _("The file is not UTF-8 text.")) from None

    def render(self):
        return self.page("budget/follow_up_import.html", form=self.form(ImportForm),
                         problem=getattr(self, "problem", None), columns=follow_up_data.COLUMNS, labels=STATUS_LABELS)


@route(bp, "/budgets/<int:process_id>/projets/<int:number>/suivi", "project_follow_up", methods=("GET", "POST"))
class ProjectFollowUp(ProcessPage):
    post_permission = "budget.follow_up"
    posts = "FollowUpForm"

    def load(self, process_id: int, number: int):
        space = super().load(process_id)
        self.decision = follow_up.decision_of(self.process)
        self.line = follow_up.line_of(self.process, number, self.decision)
        if self.line is None:
            abort(404)  # not a funded project: it has no follow-up
        return space

    @property
    def here(self) -> str:
        return url_for("budget.project_follow_up", process_id=self.process.id, number=self.line.project.number)

    def get(self):
        return self.render()

    def post(self):
        form = self.form(FollowUpForm)
        if not form.validate():
            return self.invalid()
        follow_up.update(self.process, self.line, current_user, status=form.status.data,
                         progress=form.progress.data, reason=form.reason.data or "",
                         committed=form.committed.data, spent=form.spent.data)
        flash(_("The follow-up is updated."), "success")
        return redirect(self.here, 303)

    def render(self):
        project, follow = self.line.project, self.line.follow_up
        return self.page("budget/follow_up_project.html", project=project, follow=follow,
                         form=self.form(FollowUpForm, obj=follow), milestone_form=self.form(MilestoneForm),
                         needs=links.linked(project.subject_id, "needs"), labels=STATUS_LABELS,
                         note=decisions.note_for(project), keeps=_keeps(self.process))


@route(bp, "/budgets/<int:process_id>/projets/<int:number>/suivi/jalons", "add_milestone", methods=("POST",))
class AddMilestone(ProjectFollowUp):
    posts = "MilestoneForm"

    def post(self):
        form = self.form(MilestoneForm)
        if not form.validate():
            return self.invalid()
        replay.claim(self.here)
        with self.refusals_at(form.label):
            follow_up.add_milestone(self.process, self.line, current_user, form.on.data, form.label.data)
        flash(_("The milestone is added."), "success")
        return redirect(self.here, 303)


@route(bp, "/budgets/<int:process_id>/projets/<int:number>/suivi/jalons/<int:milestone_id>", "milestone_done",
       methods=("POST",))
class MilestoneDone(ProjectFollowUp):
    posts = "MilestoneDoneForm"

    def load(self, process_id: int, number: int, milestone_id: int):
        self.milestone_id = milestone_id
        return super().load(process_id, number)

    def post(self):
        form = self.form(MilestoneDoneForm)
        if not form.validate() or form.done.data not in ("0", "1"):
            raise Refused(_("Say whether the milestone is done."), 400)
        follow_up.set_milestone_done(self.process, self.line, current_user, self.milestone_id, form.done.data == "1")
        return redirect(self.here, 303)
