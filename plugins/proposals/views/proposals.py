"""An assembly's proposals (the list, its support threshold, its open data), a new
proposal, and a proposal's page with its steps: status and the agenda."""

from __future__ import annotations

import math

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.extensions import db
from convergence.models import Circle, Document
from convergence.permissions import can, require
from convergence.refusal import Refused
from convergence.text_fold import folded, like_pattern
from convergence.web import replay
from convergence.web.csv_export import csv_response
from convergence.web.handlers import route
from convergence.web.inputs import whole_number
from convergence.web.links import absolute_url

from .. import drafting, needs_links, supports, voting
from ..forms import ProposalForm, StatusAsked, ThresholdForm, status_form_for
from ..models import STATUSES, Proposal
from .base import AssemblyHandler, ProposalPage, bp, labels

PER_PAGE = 30
SORTS = ("recent", "supports", "comments")


def list_query(assembly_id: int, *, status: str = "", circle: str = "", q: str = "", sort: str = "recent"):
    query = db.select(Proposal).where(Proposal.assembly_id == assembly_id)
    if status in STATUSES:
        query = query.where(Proposal.status == status)
    else:  # drafts and withdrawn proposals are listed only when asked for
        query = query.where(Proposal.status.not_in(("draft", "withdrawn")))
    circle_id = whole_number(circle)
    if circle_id is not None:
        query = query.where(Proposal.circle_id == circle_id)
    if q:
        query = query.where(folded(Proposal.title).like(like_pattern(q), escape="\\"))
    order = {"supports": (Proposal.supports_count.desc(), Proposal.id.desc()),
             "comments": (Proposal.comments_count.desc(), Proposal.id.desc())}.get(sort, (Proposal.id.desc(),))
    return query, order


def _circles(assembly) -> list[Circle]:
    return db.session.scalars(db.select(Circle).where(Circle.commune_id == assembly.commune_id)
                              .order_by(Circle.name)).all()


@route(bp, "/assemblees/<int:assembly_id>/propositions", "index")
class Index(AssemblyHandler):
    def get(self):
        return self.render()

    def render(self):
        assembly, args = self.assembly, request.args
        filters = {"status": args.get("status", ""), "circle": args.get("circle", ""),
                   "q": " ".join(args.get("q", "").split())[:100], "sort": args.get("sort", "recent")}
        if filters["sort"] not in SORTS:
            filters["sort"] = "recent"
        page = whole_number(args.get("page"), low=1) or 1
        query, order = list_query(assembly.id, **filters)
        total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
        proposals = db.session.scalars(query.options(db.joinedload(Proposal.circle)).order_by(*order)
                                       .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
        threshold = supports.threshold(assembly)
        threshold_form = self.form(ThresholdForm)
        if not self.sent(ThresholdForm):
            threshold_form.support_threshold.data = threshold
        facilitate = can("proposals.facilitate", assembly)
        return render_template("proposals/index.html", assembly=assembly, proposals=proposals, total=total,
                               page=page, pages=max(math.ceil(total / PER_PAGE), 1), filters=filters,
                               circles=_circles(assembly), statuses=STATUSES, threshold=threshold,
                               threshold_form=threshold_form, facilitate=facilitate,
                               can_vote=facilitate and voting.available(assembly), **labels())


@route(bp, "/assemblees/<int:assembly_id>/propositions/reglages", "settings", methods=("POST",))
class Threshold(Index):
    permission = "proposals.facilitate"
    posts = "ThresholdForm"

    def post(self):
        form = self.form(ThresholdForm)
        if not form.validate():
            return self.invalid()
        value = supports.set_threshold(self.assembly, form.support_threshold.data)
        flash(_("Support threshold: %(n)d.", n=value), "success")
        return redirect(url_for("proposals.index", assembly_id=self.assembly.id))


@route(bp, "/assemblees/<int:assembly_id>/propositions/nouvelle", "new", methods=("GET", "POST"))
class NewProposal(AssemblyHandler):
    permission = "proposals.create"
    posts = "ProposalForm"

    def get(self):
        return self.render()

    def post(self):
        form = self.form(ProposalForm)
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.circle_id):
            circle = drafting.circle_of(self.assembly, form.circle_id.data)
        with self.refusals_at(form.needs):
            needs = needs_links.parse(self.assembly.commune_id, form.needs.data)
        with self.refusals_at(form.body):
            proposal = drafting.create(self.assembly, current_user, form.title.data, form.body.data, circle)
        needs_links.link(proposal, needs)
        replay.claim(url_for("proposals.show", proposal_id=proposal.id))
        flash(_("Your draft is saved. Invite co-authors, then open it to discussion."), "success")
        return redirect(url_for("proposals.show", proposal_id=proposal.id))

    def render(self):
        form = self.form(ProposalForm)
        form.circle_id.choices = [("", "—"), *((str(c.id), c.name) for c in _circles(self.assembly))]
        return render_template("proposals/new.html", assembly=self.assembly, form=form,
                               needs_enabled=needs_links.available())


@route(bp, "/propositions/<int:proposal_id>", "show")
class Show(ProposalPage):
    pass


@route(bp, "/propositions/<int:proposal_id>/statut", "set_status", methods=("POST",))
class SetStatus(ProposalPage):
    """The authors move their proposal forward or withdraw it; the facilitators record the
    assembly's decision (drafting.py says who may take which step)."""

    def check_access(self):
        if self.proposal.is_final:  # a replayed or late step: whoever asks is told so, on the page
            raise Refused(_("This proposal is closed: its status can no longer change."), 409)
        require("proposals.step", self.proposal)

    def post(self):
        form_class = status_form_for(StatusAsked().status.data, self.proposal.status)
        self.posts = form_class.__name__
        form = self.form(form_class)
        if not form.validate():
            return self.invalid()
        drafting.set_status(self.proposal, form.status.data, current_user,
                            reason=form.reason.data if hasattr(form, "reason") else "",
                            facilitator=can("proposals.facilitate", self.proposal.assembly),
                            submitted_to=form.submitted_to.data if hasattr(form, "submitted_to") else None)
        flash(_("The status is now « %(status)s ».", status=drafting.STATUS_LABELS[self.proposal.status]),
              "success")
        return self.back()


@route(bp, "/propositions/<int:proposal_id>/ordre-du-jour", "to_agenda", methods=("POST",))
class ToAgenda(ProposalPage):
    permission = "proposals.facilitate"

    def access_target(self):
        return self.proposal.assembly

    def post(self):
        if self.proposal.is_final or self.proposal.status == "draft":
            raise Refused(_("Only a proposal in discussion or submitted can be put on the agenda."), 409)
        replay.claim(self.url())
        supports.put_on_agenda(self.proposal, current_user, reason=_("Put on the agenda by the facilitators"))
        flash(_("The proposal is on the assembly's agenda."), "success")
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/propositions/export.csv", "export_csv")
class ExportCsv(AssemblyHandler):
    """Open data: every proposal past the draft stage, its status and its counts."""

    def get(self):
        rows = db.session.execute(
            db.select(Proposal.id, Document.title, Proposal.status, Document.version, Proposal.supports_count,
                      Proposal.comments_count, Circle.name, Proposal.created_at, Proposal.updated_at)
            .join(Document, Document.id == Proposal.document_id).outerjoin(Circle, Circle.id == Proposal.circle_id)
            .where(Proposal.assembly_id == self.assembly.id, Proposal.status != "draft").order_by(Proposal.id))
        return csv_response(
            ["id", "title", "status", "version", "supports", "comments", "circle", "created_at", "updated_at", "url"],
            ([r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7].isoformat(timespec="seconds"),
              r[8].isoformat(timespec="seconds"), absolute_url("proposals.show", proposal_id=r[0])]
             for r in rows),
            f"propositions-{self.assembly.id}.csv")
