"""Results and the register of ballots: the results page and the projector's, the CSV
and JSON downloads, the register (hash chain) with its search by receipt, and its JSON.

A download asked for before it is published draws the page it is linked from again, with
the reason (403).
"""

from __future__ import annotations

import base64
import json

from flask import Response, current_app, request
from flask_babel import gettext as _

from convergence.extensions import db
from convergence.invitations.qr import qr_svg
from convergence.refusal import Refused
from convergence.web.csv_export import csv_response
from convergence.web.handlers import route
from convergence.web.links import absolute_url

from . import ballots, chain
from .forms import RegisterLookupForm
from .loading import participants
from .models import PaperBatch
from .paper import batches
from .results import compute, scale_of
from .status import CLOSED, OPEN, STATUS_LABELS, register_status, results_visible
from .svg import merit_profile
from .views import VotePage, bp


def qr_data_uri(data: str) -> str:
    # An <img> with a data: URI scales cleanly on paper and needs no inline style.
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode()).decode()


class ResultsPage(VotePage):
    def outcome(self):
        if not hasattr(self, "_outcome"):
            self._outcome = compute(self.vote) if results_visible(self.vote) else None
        return self._outcome

    def results_context(self) -> dict:
        outcome = self.outcome()
        online, paper = (outcome.online_ballots, outcome.paper_ballots) if outcome else participants(self.vote)
        return dict(labels=STATUS_LABELS, results=outcome, scale=scale_of(self.vote), online=online, paper=paper,
                    chart=merit_profile(outcome) if outcome and outcome.ranking else None)

    def get(self):
        return self.render()

    def render(self):
        return self.page("mj/results.html", **self.results_context())


@route(bp, "/votes/<int:vote_id>/resultats", "results")
class Results(ResultsPage):
    pass


@route(bp, "/votes/<int:vote_id>/projection", "projector")
class Projector(ResultsPage):
    def render(self):
        vote = self.vote
        target = (absolute_url("mj.code_entry", vote_id=vote.id) if vote.voters == "codes"
                  else absolute_url("mj.ballot", vote_id=vote.id))
        return self.page("mj/projector.html", ballot_url=target,
                         ballot_qr=qr_data_uri(target) if self.status == OPEN else None, **self.results_context())


class ResultsDownload(ResultsPage):
    """A file linked from the results page, once the results are published."""

    def published(self):
        outcome = self.outcome()
        if outcome is None:
            raise Refused(_("The results are published when the vote closes."), 403)
        return outcome


@route(bp, "/votes/<int:vote_id>/resultats.json", "results_json")
class ResultsJson(ResultsDownload):
    def get(self):
        body = json.dumps(self.published().as_dict(), ensure_ascii=False, indent=2)
        return Response(body, mimetype="application/json", headers={
            "Content-Disposition": f'attachment; filename="vote-{self.vote.id}-resultats.json"'})


@route(bp, "/votes/<int:vote_id>/resultats.csv", "results_csv")
class ResultsCsv(ResultsDownload):
    def get(self):
        outcome = self.published()
        labels = [str(label) for label in outcome.scale.labels]
        return csv_response(
            [_("Rank"), _("Option"), _("Majority grade"), _("Ballots")]
            + labels + [_("Online: %(grade)s", grade=g) for g in labels]
            + [_("Paper: %(grade)s", grade=g) for g in labels],
            ([r.rank, r.option.label, r.majority_label, r.total, *r.tally, *r.online, *r.paper]
             for r in outcome.ranking),
            f"vote-{self.vote.id}-resultats.csv", bom=True)


# -- register (hash chain) --------------------------------------------------------------

@route(bp, "/votes/<int:vote_id>/registre", "register")
class Register(VotePage):
    def load(self, vote_id: int):
        space = super().load(vote_id)
        self.status = register_status(self.vote)  # the register exists once the close is recorded
        return space

    def get(self):
        return self.render()

    def render(self):
        vote = self.vote
        form = RegisterLookupForm(request.args)
        found, looked_up = None, False
        if self.status == CLOSED and form.validate() and form.receipt.data:
            looked_up = True
            found = ballots.find_ballot(vote, form.receipt.data)
        return self.page(
            "mj/register.html", form=form, found=found, looked_up=looked_up,
            decoded=ballots.decode(vote, found.content) if found else None, scale=scale_of(vote),
            genesis=chain.genesis(chain.header(vote)), batches=batches(vote) if self.status == CLOSED else [])


@route(bp, "/votes/<int:vote_id>/registre.json", "register_json")
class RegisterJson(Register):
    def get(self):
        vote = self.vote
        if self.status != CLOSED:
            raise Refused(_("The register of ballots is published when the vote closes."), 403)
        head = chain.header(vote)
        paper = [
            {"batch": b.id, "label": b.label, "ballots": b.ballots,
             "counts": [[sum(c.count for c in b.counts if c.option_id == o.id and c.grade == g)
                         for g in range(vote.n_grades)] for o in vote.options]}
            for b in db.session.scalars(
                db.select(PaperBatch).where(PaperBatch.box_id == vote.box_id)
                .options(db.selectinload(PaperBatch.counts)).order_by(PaperBatch.id))
        ]
        app, vote_id = current_app._get_current_object(), vote.id

        def generate():
            # Streamed: a register of a million ballots never sits in memory. Its own
            # application context (and database session), as the request's is gone by then.
            yield '{"header": ' + json.dumps(head, ensure_ascii=False)
            yield ',\n "genesis": "' + chain.genesis(head) + '"'
            yield ',\n "paper": ' + json.dumps(paper, ensure_ascii=False)
            yield ',\n "entries": ['
            last, count = chain.genesis(head), 0
            with app.app_context():
                for entry in chain.entries(vote_id, head):
                    yield ("\n  " if count == 0 else ",\n  ") + json.dumps(entry, separators=(",", ":"))
                    last, count = entry["hash"], count + 1
            yield f'\n ],\n "count": {count},\n "head": "{last}"\n}}\n'

        return Response(generate(), mimetype="application/json", headers={
            "Content-Disposition": f'attachment; filename="vote-{vote.id}-registre.json"'})
