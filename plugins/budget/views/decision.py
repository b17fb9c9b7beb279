"""The council decision's page (délibération): read by anyone, recorded once by an
elected member of the commune; its signed document served back as a download."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.extensions import db
from convergence.permissions import can
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.downloads import download
from convergence.web.handlers import WRITING, route
from convergence.web.inputs import whole_number

from .. import decisions
from ..decision_forms import DecisionForm
from ..models import DOCUMENT_MAX, Decision
from . import bp
from .base import ProcessPage

DEPART, REASON = "depart-", "reason-"
# The site's MAX_CONTENT_LENGTH (2 MB by default) is below a signed deliberation's 5 MB:
# this page alone takes the document and the form around it (text, reasons), so that a
# document a little too large is said on the page, with what was typed. Set before the
# body is read (URL preprocessors run before every before_request function, the form
# token's check included, which reads the form).
FORM_ROOM = 1024 * 1024


@bp.url_value_preprocessor
def _room_for_the_document(endpoint, _values):
    if endpoint == "budget.decision":
        request.max_content_length = DOCUMENT_MAX + FORM_ROOM


@route(bp, "/budgets/<int:process_id>/deliberation", "decision", methods=("GET", "POST"))
class DecisionPage(ProcessPage):
    def check_access(self):
        super().check_access()
        if request.method in WRITING:
            if not current_user.is_authenticated:
                abort(current_app.login_manager.unauthorized())
            if not can("budget.decide", self.process):
                raise Refused(_("Only the commune's elected members record the council decision."), 403)

    def get(self):
        return self.render()

    def post(self):
        form = self.form(DecisionForm)
        if not form.validate():
            return self.invalid()
        decisions.check_open(self.process)  # before the form's token: a refusal, not « expired »
        with self.refusals_at(form.document):
            document = decisions.check_document(form.document.data)
        url = url_for("budget.decision", process_id=self.process.id)
        replay.claim(url)
        try:
            decisions.record(self.process, current_user, number=form.number.data, decided_on=form.decided_on.data,
                             text=form.text.data or "", document=document, departures=self._departures())
        except decisions.DepartureRefused as refusal:
            self.refused_project = refusal.project_id
            raise
        flash(_("The council decision is recorded and announced."), "success")
        return redirect(url, 303)

    def _departures(self) -> dict[int, str]:
        chosen = {}
        for key in request.form:
            if key.startswith(DEPART):
                project_id = whole_number(key[len(DEPART):])
                if project_id is None:
                    raise Refused(_("The council can only depart from the result for a project that was on the "
                                    "ballot."), 422)
                chosen[project_id] = request.form.get(REASON + str(project_id), "")
        return chosen

    def render(self):
        decision = db.session.scalar(db.select(Decision).where(Decision.process_id == self.process.id)
                                     .options(db.selectinload(Decision.departures),
                                              db.joinedload(Decision.recorded_by)))
        result = decisions.published_result(self.process)
        projects = decisions.ballot_projects(self.process) if result is not None else []
        by_id = {p.id: p for p in projects}
        typed = request.form if request.method in WRITING else {}
        return self.page("budget/decision.html", decision=decision, result=result, projects=projects, by_id=by_id,
                         funded={int(i) for i in result.funded or ()} if result else set(),
                         form=self.form(DecisionForm), typed=typed, depart=DEPART, reason=REASON,
                         refused_project=getattr(self, "refused_project", None),
                         can_decide=current_user.is_authenticated and can("budget.decide", self.process))


@route(bp, "/budgets/<int:process_id>/deliberation/document", "decision_document")
class DecisionDocument(ProcessPage):
    def get(self):
        row = db.session.execute(db.select(Decision.document, Decision.document_name)
                                 .where(Decision.process_id == self.process.id)).first()
        if row is None or row.document is None:
            abort(404)
        # Always served as a PDF to save, whatever name it came with: never shown inline
        # as something the browser would guess.
        return download(row.document, row.document_name or "deliberation.pdf", "application/pdf")
