"""The result of a process: its page (and the projector's), the buttons that compute it
again and publish it, its files (CSV, JSON, ``.pb``), the map's data, and the ``.pb`` import.

The page reads the stored result (one row) and the projects on the ballot (one query with
their area and category): its cost does not depend on the number of ballots. Before
publication a visitor sees the state of the count only; facilitators see the computed
result to check it, with the button that publishes it. Files are refused (403, with the
reason on the results page) until the result is published.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, jsonify, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_login import current_user

from convergence.extensions import db
from convergence.permissions import can
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.downloads import csv_download, download, json_download
from convergence.web.handlers import route

from .. import decisions, exports, pb_import, results
from ..models import COMPUTED, COMPUTING, FAILED, PUBLISHED, QUEUED, Result
from ..roll_tally import PlaceCount
from . import bp
from .base import ProcessPage

STATE_LABELS = {
    QUEUED: _l("Waiting to be computed"),
    COMPUTING: _l("Being computed"),
    COMPUTED: _l("Computed, not yet published"),
    PUBLISHED: _l("Published"),
    FAILED: _l("The computation failed"),
}


BALLOT_LABELS = {
    "approval": _l("approval (tick the projects)"),
    "points": _l("points given to projects"),
    "knapsack": _l("projects ticked within the envelope"),
}


def result_of(process) -> Result | None:
    # The details (deferred column) come in the same query: the page needs them.
    return db.session.scalar(db.select(Result).where(Result.process_id == process.id)
                             .options(db.undefer(Result.details)))


class ResultsPage(ProcessPage):
    permission = "budget.results.view"
    template = "budget/results.html"

    def load(self, process_id: int, **more):
        space = super().load(process_id, **more)
        self.result = result_of(self.process)
        return space

    def manages(self) -> bool:
        return can("budget.results.manage", self.process)

    def shown(self) -> Result | None:
        """The result whose figures the page shows: published, or computed for those who
        publish it (to check it first)."""
        result = self.result
        if result is None:
            return None
        if result.state == PUBLISHED or (result.state == COMPUTED and self.manages()):
            return result
        return None

    def get(self):
        return self.render()

    def render(self):
        shown = self.shown()
        projects = exports.projects_of(self.process) if shown else []
        rows = exports.rows(shown, projects) if shown else []
        parts = self.parts(shown, projects) if shown else []
        # The council decides on a published result: the page says it once recorded (and,
        # listening to the space's events, when it is).
        published = shown is not None and shown.state == PUBLISHED
        return self.page(self.template, result=self.result, shown=shown, rows=rows, parts=parts,
                         published=published, decision=decisions.summary(self.process) if published else None,
                         labels=STATE_LABELS, ballot_labels=BALLOT_LABELS, manages=self.manages(),
                         points=[r for r in rows if r.funded and r.project.latitude is not None],
                         roll_counts=[PlaceCount.from_dict(place) for place in shown.details.get("roll", [])]
                         if shown else [])

    @staticmethod
    def parts(result: Result, projects) -> list[dict]:
        """Each allocation (the process, or one area with its envelope) with its projects
        in the order they were funded, and the greedy rule's beside them."""
        by_number = {p.number: p for p in projects}
        out = []
        for part in result.details.get("parts", []):
            figures = {f["number"]: f for f in part["projects"]}
            out.append(dict(
                part,
                funded_projects=[(by_number[n], figures[n]) for n in part["funded"] if n in by_number],
                greedy_projects=[(by_number[n], figures[n]) for n in part["greedy"] if n in by_number],
                not_funded=[(by_number[f["number"]], f) for f in sorted(part["projects"], key=lambda f: -f["score"])
                            if not f["funded"] and f["number"] in by_number]))
        return out


@route(bp, "/budgets/<int:process_id>/resultats", "results")
class Results(ResultsPage):
    pass


@route(bp, "/budgets/<int:process_id>/resultats/projection", "results_projector")
class ResultsProjector(ResultsPage):
    template = "budget/results_projector.html"


@route(bp, "/budgets/<int:process_id>/resultats/calculer", "results_compute", methods=("POST",))
class ResultsCompute(ResultsPage):
    """Compute the result (again): once the vote is closed, before publication."""

    post_permission = "budget.results.manage"

    def post(self):
        if self.process.vote_state != "closed":
            raise Refused(_("The result is computed once the vote is closed."), 409)
        results.recompute(self.process)
        return redirect(url_for("budget.results", process_id=self.process.id))


@route(bp, "/budgets/<int:process_id>/resultats/publier", "results_publish", methods=("POST",))
class ResultsPublish(ResultsPage):
    post_permission = "budget.results.manage"

    def post(self):
        results.publish(self.process, current_user)
        return redirect(url_for("budget.results", process_id=self.process.id))


class ResultsFile(ResultsPage):
    """A file of the result, once it is published; before, the results page with the reason."""

    def published(self) -> Result:
        if self.result is None or self.result.state != PUBLISHED:
            raise Refused(_("The result's files are published with the result, once a facilitator has "
                            "published it."), 403)
        return self.result

    def name(self, extension: str) -> str:
        return f"budget-{self.process.id}-resultats.{extension}"


@route(bp, "/budgets/<int:process_id>/resultats.csv", "results_csv")
class ResultsCsv(ResultsFile):
    def get(self):
        result = self.published()
        projects = exports.projects_of(self.process)
        return csv_download(exports.csv_header(), exports.csv_rows(result, projects), self.name("csv"), bom=True)


@route(bp, "/budgets/<int:process_id>/resultats.json", "results_json")
class ResultsJson(ResultsFile):
    def get(self):
        result = self.published()
        return json_download(exports.as_dict(self.process, result, exports.projects_of(self.process)),
                             self.name("json"))


@route(bp, "/budgets/<int:process_id>/resultats.pb", "results_pb")
class ResultsPb(ResultsFile):
    def get(self):
        result = self.published()
        text = exports.pb_text(self.process, result, exports.projects_of(self.process))
        return download(text, self.name("pb"), "text/csv; charset=utf-8")


@route(bp, "/budgets/<int:process_id>/resultats/carte.geojson", "results_geojson")
class ResultsGeojson(ResultsFile):
    """The funded projects with a place, for the map (GeoJSON)."""

    def get(self):
        result = self.shown()
        if result is None:
            self.published()
        funded = set(result.funded)
        features = [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
             "properties": {"number": p.number, "title": p.title, "cost": p.vote_cost,
                            "area": p.area.name if p.area else None}}
            for p in exports.projects_of(self.process) if p.id in funded and p.latitude is not None]
        return jsonify({"type": "FeatureCollection", "features": features})


# -- the .pb import ------------------------------------------------------------------------------

class ImportForm(FlaskForm):
    file = FileField(_l("Pabulib file (.pb)"), render_kw={"accept": ".pb,text/csv,text/plain"})


MAX_FILE = 20 * 1024 * 1024


@route(bp, "/budgets/<int:process_id>/import", "pb_import", methods=("GET", "POST"))
class PbImport(ProcessPage):
    permission = "budget.import"

    def get(self):
        return self.render()

    def render(self):
        return self.page("budget/results_import.html", form=self.form(ImportForm),
                         problem=getattr(self, "problem", None), blocked=self.blocked())

    def blocked(self) -> str | None:
        try:
            pb_import.check_process(self.process)
        except Refused as refusal:
            return refusal.message
        return None

    def post(self):
        pb_import.check_process(self.process)  # before the form's token is spent
        form = self.form(ImportForm)
        if not form.validate():
            return self.invalid()
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            raise Refused(_("Choose a .pb file to import."), 422)
        raw = upload.read(MAX_FILE + 1)
        if len(raw) > MAX_FILE:
            raise Refused(_("The file is larger than 20 MB."), 413)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.problem = pb_import.ImportProblem(1, _("the file is not UTF-8 text"))
            return self.invalid()
        replay.claim(url_for("budget.results", process_id=self.process.id))
        try:
            imported = pb_import.import_pb(self.process, text, current_user, Path(upload.filename).name)
        except pb_import.ImportProblem as problem:
            db.session.rollback()
            self.problem = problem
            return self.invalid()
        flash(_("Imported: %(projects)d projects and %(sheets)d ballots, entered as paper sheets.",
                projects=imported.projects, sheets=imported.sheets), "success")
        if not imported.rule_kept:
            flash(_("The file's rule is not one this platform applies: the process keeps its rule (%(rule)s).",
                    rule=imported.rule), "info")
        return redirect(url_for("budget.results", process_id=self.process.id))
