"""Projects: the list with its filters and counts, the submission form (dépôt phase
only), a project's page with its supports, comments and the needs it answers, and the
merging of a duplicate by the facilitators. A project is named by its number within its
process: ``/budgets/<id>/projets/<number>`` of another budget's project is a 404."""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.participation import comments, history, links, supports
from convergence.participation.forms import CommentForm
from convergence.participation.handlers import CommentPost
from convergence.participation.refusal import AlreadySet
from convergence.permissions import can
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.handlers import Handler, route

from .. import processes, projects
from ..money import euros
from ..forms import MergeForm, ProjectForm, ReviewForm, SupportForm
from ..models import SUBMISSION
from . import bp
from .processes import ProcessView


@route(bp, "/budgets/<int:process_id>/projets", "projects")
class ProjectList(ProcessView):
    def get(self):
        process = self.process
        areas = {str(a.id): a for a in process.areas}
        categories = {str(c.id): c for c in process.categories}
        chosen = {"area": request.args.get("area", ""), "category": request.args.get("category", ""),
                  "status": request.args.get("status", "")}
        area = areas.get(chosen["area"])
        category = categories.get(chosen["category"])
        status = chosen["status"] if chosen["status"] in projects.status_labels() else None
        listing = projects.listing(process, area_id=area.id if area else None,
                                   category_id=category.id if category else None, status=status)
        return self.page("budget/projects.html", listing=listing, chosen=chosen, status=status,
                         status_labels=projects.status_labels(), euros=euros)


@route(bp, "/budgets/<int:process_id>/projets/nouveau", "submit", methods=("GET", "POST"))
class Submit(ProcessView):
    login_required = True
    permission = "budget.submit"

    def project_form(self) -> ProjectForm:
        return self.form(ProjectForm).offer(self.process, needs=projects.needs_offered(self.process))

    def get(self):
        return self.render()

    def post(self):
        form = self.project_form()
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.needs if "needs" in form else form.title):
            project = projects.submit(self.process, current_user, form.values())
        url = url_for("budget.project", process_id=self.process.id, number=project.number)
        replay.claim(url)
        flash(_("Thank you: your project no. %(n)d has been submitted.", n=project.number), "success")
        return redirect(url)

    def refused(self, refusal: Refused):
        # Submission closed is about the page, not a field: its message at the top.
        if refusal.status == 409:
            refusal.field = None
        return super().refused(refusal)

    def render(self):
        return self.page("budget/project_form.html", form=self.project_form(), euros=euros,
                         open=processes.phase_is_open(self.process, SUBMISSION),
                         needs_url=self._needs_url())

    def _needs_url(self):
        if not projects.needs_offered(self.process):
            return None
        return url_for("needs.index", slug=self.process.space.commune.slug)


class ProjectPage(ProcessView):
    """A page of one project of the process."""

    def load(self, process_id: int, number: int):
        space = super().load(process_id)
        self.project = projects.get(self.process.id, number)
        if self.project is None:
            abort(404)
        return space

    def project_url(self, anchor: str = "", project=None) -> str:
        return url_for("budget.project", process_id=self.process.id, number=(project or self.project).number) + anchor

    def back(self, anchor: str = "", project=None):
        return redirect(self.project_url(anchor, project))

    def render(self):
        project, process = self.project, self.process
        manage, review = can("budget.manage", process), can("budget.review", process)
        forms = {"comment_form": self.form(CommentForm)}
        if review:
            form = self.form(ReviewForm)
            if request.method == "GET" or form.verdict.data is None:
                form.verdict.data = form.verdict.data or ("not_feasible" if project.status == "not_feasible"
                                                          else "feasible")
                if form.reason.data is None:
                    form.reason.data = project.review_reason
                if form.revised_cost.data is None and project.revised_cost is not None:
                    form.revised_cost.data = str(project.revised_cost)
            forms["review_form"] = form
        if manage:
            forms["merge_form"] = self.form(MergeForm)
        return self.page("budget/project.html", project=project, threads=comments.threads(project.subject_id),
                         history=history.of(project.subject_id), links=links.linked(project.subject_id),
                         merged_from=projects.merged_from(project), euros=euros,
                         status_labels=projects.status_labels(),
                         supported=current_user.is_authenticated
                         and supports.has_supported(project.subject_id, current_user),
                         frozen=processes.rules_frozen(process), manage=manage, review=review, **forms)


@route(bp, "/budgets/<int:process_id>/projets/<int:number>", "project")
class ProjectShow(ProjectPage):
    def get(self):
        return self.render()


class OnTheProject(ProjectPage):
    def access_target(self):
        return self.project


@route(bp, "/budgets/<int:process_id>/projets/<int:number>/soutien", "support", methods=("POST",))
class Support(OnTheProject):
    permission = "budget.support"
    posts = "SupportForm"

    def post(self):
        form = self.form(SupportForm)
        form.validate()  # the CSRF token; the action is read by wanted()
        withdraw = form.wanted() == "withdraw"
        try:
            if withdraw:
                supports.withdraw(self.project.subject_id, current_user,
                                  not_supported=_("You do not support this project."))
            else:
                supports.add(self.project.subject_id, current_user, already=_("You already support this project."))
        except AlreadySet as already:  # a second press, or its twin: how things stand
            flash(already.message, "info")
            return self.back()
        flash(_("Your support has been withdrawn.") if withdraw else _("Your support has been counted."), "success")
        return self.back()


@route(bp, "/budgets/<int:process_id>/projets/<int:number>/commentaires", "comment", methods=("POST",))
class Comment(CommentPost, OnTheProject):
    permission = "budget.comment"

    def post(self):
        self.post_comment(self.project.subject_id)
        replay.claim(self.project_url("#commentaires"))
        return self.back("#commentaires")


@route(bp, "/budgets/<int:process_id>/projets/<int:number>/fusion", "merge", methods=("POST",))
class Merge(ProjectPage):
    login_required = True
    permission = "budget.manage"
    posts = "MergeForm"

    def post(self):
        form = self.form(MergeForm)
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.target):
            target = projects.find(self.process, form.number)
            projects.merge(self.project, target, current_user)
        flash(_("The duplicate has been merged into project no. %(n)d.", n=target.number), "success")
        return self.back(project=target)

    def refused(self, refusal: Refused):
        if refusal.status == 409:  # the vote opened: about the page, not the number typed
            refusal.field = None
        return super().refused(refusal)


LEAFLET_FILES = {"leaflet.js", "leaflet.css"}


@route(bp, "/budgets/leaflet/<path:filename>", "leaflet")
class LeafletFiles(Handler):
    """Leaflet's files for the project's map, from the xstatic-leaflet package installed
    with the application (never a CDN); only those the map needs."""

    def load(self, filename):
        self.filename = filename

    def get(self):
        name = self.filename
        if name not in LEAFLET_FILES and not (name.startswith("images/") and name.count("/") == 1
                                              and name.endswith(".png")):
            abort(404)
        import xstatic.pkg.leaflet as leaflet

        return send_from_directory(Path(leaflet.BASE_DIR), name, max_age=86400)
