"""The feasibility study: the projects to study (``/budgets/<id>/etude``) and the verdict
given on a project's page — feasible (with a revised cost if any) or not feasible with a
public reason — by the facilitators or the members of the process's review circle."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user

from convergence.web.handlers import route

from .. import projects
from ..money import euros
from ..forms import ReviewForm
from ..models import SUBMITTED
from . import bp
from .processes import ProcessView
from .projects import ProjectPage


@route(bp, "/budgets/<int:process_id>/etude", "review_queue")
class ReviewQueue(ProcessView):
    login_required = True
    permission = "budget.review"

    def get(self):
        listing = projects.listing(self.process)
        waiting = [p for p in listing.projects if p.status == SUBMITTED]
        done = [p for p in listing.projects if p.status in ("feasible", "not_feasible")]
        return self.page("budget/review_queue.html", waiting=waiting, done=done, euros=euros,
                         status_labels=projects.status_labels())


@route(bp, "/budgets/<int:process_id>/projets/<int:number>/etude", "review", methods=("POST",))
class Review(ProjectPage):
    login_required = True
    permission = "budget.review"
    posts = "ReviewForm"

    def post(self):
        form = self.form(ReviewForm)
        if not form.validate():
            return self.invalid()
        projects.review(self.project, form.verdict.data == "feasible", form.reason.data, form.revised(),
                        current_user)
        flash(_("The feasibility study has been recorded."), "success")
        return self.back("#etude")
