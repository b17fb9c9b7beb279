"""A space's budget processes: creating one from the space (``/budgets/nouveau?space=<id>``,
or ``?commune=<slug>``, ``?assembly=<id>``, ``?circle=<id>``), its page (the calendar with
the current phase, the envelope, the rules in plain French, the projects) and its editing,
where the ballot's rules are shown frozen once the vote has opened and a change of them is
refused (409, nothing stored)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.extensions import db
from convergence.models import Circle
from convergence.models.base import utcnow
from convergence.permissions import can
from convergence.spaces import space_from_args
from convergence.web import replay
from convergence.web.errors import abort_with
from convergence.web.handlers import route

from .. import processes, projects, status
from ..money import euros
from ..forms import ProcessForm
from ..models import SUBMISSION
from . import bp
from .base import BudgetPage, ProcessPage


def _circles(commune_id: int) -> list[Circle]:
    return list(db.session.scalars(db.select(Circle).where(Circle.commune_id == commune_id).order_by(Circle.name)))


@route(bp, "/budgets/nouveau", "create", methods=("GET", "POST"))
class Create(BudgetPage):
    login_required = True
    permission = "budget.manage"  # on the space

    def load(self):
        space = space_from_args(request.args)
        if space is None:
            abort_with(400, _("Say in which commune, assembly or circle the budget is held."))
        return space

    def process_form(self) -> ProcessForm:
        return self.form(ProcessForm).offer(_circles(self.space.commune_id))

    def get(self):
        return self.render()

    def post(self):
        form = self.process_form()
        if not form.validate():
            return self.invalid()
        process = processes.create(self.space, current_user, form.values())
        status.schedule(process)  # the worker opens and closes the vote at its dates
        url = url_for("budget.show", process_id=process.id)
        replay.claim(url)
        flash(_("The participatory budget has been created."), "success")
        return redirect(url)

    def render(self):
        return render_template("budget/process_form.html", form=self.process_form(), space=self.space, process=None,
                               frozen=False, action=request.full_path.rstrip("?"))


class ProcessView(ProcessPage):
    def load(self, process_id: int, **_more):
        self.process = processes.load_for_page(process_id)
        if self.process is None:
            abort(404)
        return self.process.space


@route(bp, "/budgets/<int:process_id>", "show")
class Show(ProcessView):
    def get(self):
        process, now = self.process, utcnow()
        listing = projects.listing(process)
        steps = processes.steps(process, now)
        current = next((s.name for s in steps if s.state == "current"), None)
        return self.page("budget/process.html", steps=steps, current=current, phase_label=processes.phase_label,
                         rules=processes.rules_sentences(process), frozen=processes.rules_frozen(process, now),
                         listing=listing, status_labels=projects.status_labels(), euros=euros,
                         submission_open=processes.phase_is_open(process, SUBMISSION, now),
                         manage=can("budget.manage", process), review=can("budget.review", process),
                         vote_state=status.vote_state(process, now), vote_labels=status.state_labels())


@route(bp, "/budgets/<int:process_id>/modifier", "edit", methods=("GET", "POST"))
class Edit(ProcessView):
    login_required = True
    permission = "budget.manage"

    def process_form(self) -> ProcessForm:
        form = self.form(ProcessForm).offer(_circles(self.process.commune_id))
        if request.method == "GET":
            form.show(self.process)
        return form

    def get(self):
        return self.render()

    def post(self):
        form = self.process_form()
        if not form.validate():
            return self.invalid()
        processes.update(self.process, form.values(), current_user)
        status.schedule(self.process)  # at the dates as they now stand
        flash(_("The participatory budget has been saved."), "success")
        return redirect(url_for("budget.show", process_id=self.process.id))

    def render(self):
        return self.page("budget/process_form.html", form=self.process_form(),
                         frozen=processes.rules_frozen(self.process),
                         action=url_for("budget.edit", process_id=self.process.id))
