"""The drafting committee's pages on the declaration's amendments: every amendment with its
procedure form (filtered by stage), one amendment's procedure, the tabling delegation's
answer, and the groups of mutually exclusive amendments. The work is in procedure.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from convergence.drafting.diff import diff
from convergence.extensions import db
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.handlers import route
from convergence.web.inputs import WholeNumberField, whole_number

from . import declarations, procedure
from .declaration_models import (ANSWER_AGREED, ANSWER_MAINTAINED, KIND_ADD, PROCEDURE_ACCEPT, PROCEDURE_MERGE,
                                 PROCEDURE_MODIFIED, PROCEDURE_REJECT, DeclarationAmendment)
from .models import Delegation
from .procedure import REASON_MAX
from .registration import public_name
from .views import MeetingPage, bp

PROCEDURE_LABELS = {
    PROCEDURE_ACCEPT: _l("Accept"), PROCEDURE_MODIFIED: _l("Accept modified, with the committee's wording"),
    PROCEDURE_MERGE: _l("Merge into another amendment"), PROCEDURE_REJECT: _l("Reject (say why)")}
STAGE_LABELS = {
    procedure.STAGE_WAITING: _l("Waiting for the committee"),
    procedure.STAGE_PROPOSED: _l("Waiting for the delegation's answer"),
    procedure.STAGE_MAINTAINED: _l("Maintained: to the vote"), procedure.STAGE_DECIDED: _l("Decided")}
OUTCOME_LABELS = {"adopted": _l("Adopted"), "rejected": _l("Rejected"), "merged": _l("Merged"),
                  "withdrawn": _l("Withdrawn")}


class ProcedureForm(FlaskForm):
    procedure = RadioField(_l("Proposed procedure"), choices=list(PROCEDURE_LABELS.items()),
                           validators=[InputRequired(_l("Choose a procedure."))])
    text = TextAreaField(_l("The committee's wording (for « accept modified »)"),
                         validators=[Optional(), Length(max=declarations.ARTICLE_MAX)])
    merge_into = WholeNumberField(_l("Number of the amendment it is merged into (for « merge »)"),
                                  validators=[Optional(), NumberRange(min=1)])
    reason = TextAreaField(_l("Reason (required to reject)"),
                           validators=[Optional(), Length(max=REASON_MAX)])


class AnswerForm(FlaskForm):
    answer = RadioField(_l("Your delegation's answer"), choices=[
        (ANSWER_AGREED, _l("We agree: apply the committee's procedure now")),
        (ANSWER_MAINTAINED, _l("We maintain our amendment: it goes to the vote"))],
        validators=[InputRequired(_l("Agree or maintain the amendment."))])


def _amendment_number(raw) -> int:
    """An amendment's number as sent: ASCII digits within INTEGER, or ValueError (the
    group is then refused for want of two amendments)."""
    number = whole_number(raw)
    if number is None:
        raise ValueError(raw)
    return number


class GroupForm(FlaskForm):
    amendments = SelectMultipleField(_l("Amendments that exclude one another"), coerce=_amendment_number,
                                     validate_choice=False)


class DeclarationPage(MeetingPage):
    """A page of the meeting's declaration (404 while it has none)."""

    def load(self, meeting_id: int, **url_values):
        space = super().load(meeting_id)
        self.declaration = declarations.of_meeting(self.meeting)
        if self.declaration is None:
            abort(404)
        return space

    def back(self):
        return url_for("cdc.declaration_committee", meeting_id=self.meeting.id)

    def page(self, template: str, **context):
        return super().page(template, declaration_url=url_for("cdc.declaration", meeting_id=self.meeting.id),
                            **context)


class AmendmentPage(DeclarationPage):
    def load(self, meeting_id: int, number: int):
        space = super().load(meeting_id)
        self.amendment = procedure.amendment_numbered(self.declaration, number)
        if self.amendment is None:
            abort(404)
        return space

    def shown(self):
        target = self.merge_target()
        return _shown([self.amendment], {target.id: target} if target is not None else {})[0]

    def merge_target(self) -> DeclarationAmendment | None:
        into = self.amendment.merge_into_id
        return db.session.get(DeclarationAmendment, into) if into is not None else None


PER_PAGE = 50


def _amendments(declaration, numbers=None) -> list[DeclarationAmendment]:
    """The amendments (those numbered ``numbers``, or all) with what the pages show of
    them, in one query."""
    query = db.select(DeclarationAmendment).where(DeclarationAmendment.declaration_id == declaration.id)
    if numbers is not None:
        query = query.where(DeclarationAmendment.number.in_(numbers))
    return list(db.session.scalars(
        query.options(db.joinedload(DeclarationAmendment.article),
                 db.joinedload(DeclarationAmendment.delegation).joinedload(Delegation.commune))
        .order_by(DeclarationAmendment.number)))


def _shown(rows, by_id) -> list[dict]:
    shown = []
    for a in rows:
        core = a.amendment
        target = by_id.get(a.merge_into_id)  # a row or a summary: both have .number
        shown.append({
            "row": a, "label": f"A{a.number}", "stage": procedure.stage(a.procedure, a.answer, a.outcome),
            "where": _where(a), "delegation": public_name(a.delegation) if a.delegation else _("the committee"),
            "pieces": diff(core.original_text, core.new_text), "explanation": core.explanation,
            "committee_pieces": diff(core.original_text, a.procedure_text) if a.procedure == PROCEDURE_MODIFIED
            else None, "into": f"A{target.number}" if target is not None else (
                _("an amendment") if a.merge_into_id else "")})
    return shown


def _where(a: DeclarationAmendment) -> str:
    if a.kind == KIND_ADD:
        if a.article is None:
            return _("New article at the start")
        return _("New article after article %(n)d", n=a.article.number)
    if a.article is None:
        return _("An article since removed")
    return _("Article %(n)d", n=a.article.number)


def _context() -> dict:
    return {"procedure_labels": PROCEDURE_LABELS, "stage_labels": STAGE_LABELS, "outcome_labels": OUTCOME_LABELS}


@route(bp, "/rencontres/<int:meeting_id>/declaration/comite", "declaration_committee")
class Committee(DeclarationPage):
    """Every amendment, by stage, a page of ``PER_PAGE`` at a time: the stages and groups
    come from a light query over all of them, the cards from the page's rows only — so the
    page costs the same with 20 amendments or 1000."""

    permission = "cdc.organise"

    def get(self):
        summary = procedure.summary(self.declaration)
        wanted = request.args.get("etat", "")
        chosen = [s for s in summary if s.stage == wanted] if wanted in procedure.STAGES else summary
        pages = max(1, -(-len(chosen) // PER_PAGE))
        current = min(max(request.args.get("page", 1, type=int), 1), pages)
        numbers = [s.number for s in chosen[(current - 1) * PER_PAGE:current * PER_PAGE]]
        rows = _amendments(self.declaration, numbers)
        by_id = {s.id: s for s in summary}
        counts = {stage: sum(1 for s in summary if s.stage == stage) for stage in procedure.STAGES}
        groups: dict[int, list[str]] = {}
        for s in summary:
            if s.group is not None:
                groups.setdefault(s.group, []).append(f"A{s.number}")
        from .wording_vote_views import shown as wording_votes  # imports this module

        return self.page("cdc/committee.html", declaration=self.declaration, amendments=_shown(rows, by_id),
                         wording_votes=wording_votes(self.declaration),
                         counts=counts, wanted=wanted if wanted in procedure.STAGES else "", total=len(summary),
                         groups=sorted(groups.items()), current=current, pages=pages, **_context())


@route(bp, "/rencontres/<int:meeting_id>/declaration/amendements/<int:number>/procedure",
       "declaration_procedure", methods=("GET", "POST"))
class Procedure(AmendmentPage):
    permission = "cdc.organise"

    def render(self):
        a = self.amendment
        form = self.form(ProcedureForm, data=None if request.method == "POST" else {
            "procedure": a.procedure, "text": a.procedure_text or a.amendment.new_text, "reason": a.procedure_reason,
            "merge_into": self._merge_number()})
        return self.page("cdc/procedure.html", declaration=self.declaration, amendment=self.shown(), form=form,
                         **_context())

    def _merge_number(self):
        target = self.merge_target()
        return target.number if target is not None else None

    def get(self):
        return self.render()

    def post(self):
        form = self.form(ProcedureForm)
        if not form.validate():
            return self.invalid()
        procedure.propose(self.amendment, current_user, form.procedure.data, text=form.text.data or "",
                          reason=form.reason.data or "", merge_into=form.merge_into.data)
        flash(_("The procedure on amendment A%(n)d is proposed to its delegation.", n=self.amendment.number),
              "success")
        return redirect(self.back(), 303)


@route(bp, "/rencontres/<int:meeting_id>/declaration/amendements/<int:number>/reponse",
       "declaration_answer", methods=("GET", "POST"))
class Answer(AmendmentPage):
    permission = "cdc.amendment.answer"

    def access_target(self):
        return self.amendment

    def render(self):
        return self.page("cdc/answer.html", declaration=self.declaration, amendment=self.shown(),
                         form=self.form(AnswerForm), **_context())

    def get(self):
        return self.render()

    def post(self):
        form = self.form(AnswerForm)
        if not form.validate():
            return self.invalid()
        procedure.answer(self.amendment, current_user, form.answer.data)
        if form.answer.data == ANSWER_AGREED:
            flash(_("Amendment A%(n)d: the committee's procedure is applied.", n=self.amendment.number), "success")
        else:
            flash(_("Amendment A%(n)d is maintained: it goes to the vote of the delegations.",
                    n=self.amendment.number), "success")
        return redirect(url_for("cdc.declaration_answer", meeting_id=self.meeting.id,
                                number=self.amendment.number), 303)


@route(bp, "/rencontres/<int:meeting_id>/declaration/groupes", "declaration_groups", methods=("GET", "POST"))
class Groups(DeclarationPage):
    permission = "cdc.organise"

    def render(self):
        rows = _amendments(self.declaration)
        by_article: dict[tuple, list[DeclarationAmendment]] = {}
        for a in rows:
            if a.outcome is None:
                by_article.setdefault((a.kind, a.article_id), []).append(a)
        candidates = [(_where(a_list[0]), a_list) for a_list in by_article.values() if len(a_list) > 1]
        groups: dict[int, list[DeclarationAmendment]] = {}
        for a in rows:
            if a.exclusive_group is not None:
                groups.setdefault(a.exclusive_group, []).append(a)
        return self.page("cdc/groups.html", declaration=self.declaration, candidates=candidates,
                         groups=sorted(groups.items()), form=self.form(GroupForm))

    def get(self):
        return self.render()

    def post(self):
        dissolved = request.form.get("dissolve")
        if dissolved is not None:
            dissolved = whole_number(dissolved)
            if dissolved is None:
                raise Refused(_("There is no such group."), 404)
            procedure.dissolve(self.declaration, dissolved, current_user)
            flash(_("The group is dissolved."), "success")
            return redirect(url_for("cdc.declaration_groups", meeting_id=self.meeting.id), 303)
        form = self.form(GroupForm)
        number = procedure.group(self.declaration, form.amendments.data or [], current_user)
        page = url_for("cdc.declaration_groups", meeting_id=self.meeting.id, _anchor=f"groupe-{number}")
        replay.claim(page)
        flash(_("The amendments now exclude one another: one vote will choose between them."), "success")
        return redirect(page, 303)

