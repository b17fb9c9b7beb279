"""The blueprint, and the two pages every other handler of the plug-in builds on: an
assembly's proposals and one proposal. A button's POST subclasses the page it is on, so a
refusal draws that page again (convergence/web/handlers.py), with the form that was sent
bound to what the person typed and its message next to the field."""

from __future__ import annotations

import os
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence import hooks
from convergence.drafting.paragraphs import paragraphs
from convergence.extensions import db
from convergence.loaders import assembly_or_404
from convergence.models import Assembly
from convergence.participation import comments, history
from convergence.participation.forms import CommentForm
from convergence.permissions import can
from convergence.refusal import Refused
from convergence.web.handlers import Handler

from .. import amendments, consent, drafting, needs_links, supports, voting
from ..forms import (ConsentAnswerForm, DecisionForm, InviteAuthorForm, OpenRoundForm, OpenToDiscussionForm,
                     RejectAmendmentForm, ResolveObjectionForm, SubmitForm, WithdrawForm)
from ..models import ANSWERS, AUTHOR_ACTIVE, SUBMITTED, TO_CIRCLE, Proposal
from ..plugin import NAME

bp = Blueprint(NAME, __name__, root_path=os.path.dirname(os.path.dirname(__file__)), template_folder="templates",
               static_folder="static", static_url_path="/propositions/static")


def labels() -> dict:
    """The words of states, answers and outcomes, for every page of the plug-in."""
    return {"status_labels": drafting.STATUS_LABELS, "amendment_labels": amendments.STATE_LABELS,
            "answer_labels": consent.ANSWER_LABELS, "outcome_labels": consent.OUTCOME_LABELS,
            "clock_outcome": consent.clock_outcome}


class ProposalsHandler(Handler):
    feature = NAME
    #: The form a handler's POST sends; every other form of its page is drawn empty.
    posts: str | tuple = ()

    def sent(self, form_class) -> bool:
        """Whether this request sent ``form_class`` (not another form of the same page)."""
        return self._sent(form_class, form_class.__name__)

    @staticmethod
    def refuse_invalid(form):
        """For a form the page does not draw with its fields (the core's discussion): its
        messages at the top of the page, through the flow's refusal."""
        raise Refused(" ".join(str(m) for errors in form.errors.values() for m in errors))


# -- an assembly's proposals --------------------------------------------------------------

class AssemblyHandler(ProposalsHandler):
    def load(self, assembly_id):
        self.assembly = assembly_or_404(assembly_id)
        return self.assembly


# -- one proposal -------------------------------------------------------------------------

class ProposalPage(ProposalsHandler):
    """``/propositions/<id>``: the text, supports, authors, amendments, consent rounds,
    votes, history and comments, with the forms of every action taken there."""

    def load(self, proposal_id, **_rest):
        self.proposal = db.session.scalar(
            db.select(Proposal).where(Proposal.id == proposal_id)
            .options(db.joinedload(Proposal.assembly).joinedload(Assembly.commune), db.joinedload(Proposal.circle)))
        if self.proposal is None:
            abort(404)
        return self.proposal.assembly

    def access_target(self):
        return self.proposal

    def back(self, anchor: str = ""):
        return redirect(self.url(anchor))

    def url(self, anchor: str = "") -> str:
        return url_for("proposals.show", proposal_id=self.proposal.id) + anchor

    def get(self):
        return self.render()

    # -- the forms of the page: the one sent is bound, the others empty ----------------
    #: The amendment, answer … a per-item form was sent about (set by its handler).
    item_id: int | None = None

    def item_form(self, form_class, item_id: int, id_prefix: str):
        """The form of one amendment or one objection; ids made unique on the page."""
        sent = self.item_id == item_id and self.sent(form_class)
        form = self.form(form_class) if sent else form_class(formdata=None)
        for field in form:
            if field.name != "csrf_token":
                field.id = field.label.field_id = f"{id_prefix}-{item_id}"
        return form

    def status_forms(self) -> dict:
        proposal = self.proposal
        submit = self.form(SubmitForm)
        if proposal.circle is not None:
            submit.submitted_to.choices = [*submit.submitted_to.choices,
                                           (TO_CIRCLE, _("the circle %(name)s", name=proposal.circle.name))]
        decision = self.form(DecisionForm)
        if proposal.status == SUBMITTED:
            decision.status.choices = [*decision.status.choices, ("discussion", _("Back to discussion"))]
        return {"open_form": self.form(OpenToDiscussionForm), "submit_form": submit,
                "withdraw_form": self.form(WithdrawForm), "decision_form": decision,
                "invite_form": self.form(InviteAuthorForm)}

    def round_forms(self, open_round, mine) -> dict:
        answer = self.form(ConsentAnswerForm)
        if open_round is not None and not self.sent(ConsentAnswerForm) and mine.get(open_round.id):
            answer.answer.data, answer.reason.data = mine[open_round.id].answer, mine[open_round.id].reason
        opening = self.form(OpenRoundForm)
        if self.proposal.circle is not None:
            opening.submitted_to.choices = [opening.submitted_to.choices[0],
                                            (TO_CIRCLE, _("the circle %(name)s", name=self.proposal.circle.name))]
        return {"answer_form": answer, "open_round_form": opening,
                "resolve_form": lambda answer_id: self.item_form(ResolveObjectionForm, answer_id, "resolution")}

    def render(self):
        proposal = self.proposal
        rounds = consent.rounds(proposal)  # past its deadline, a round reads as closed (the worker records it)
        user = current_user if current_user.is_authenticated else None
        mine = {}
        if user is not None and rounds:
            mine = {a.round_id: a for r in rounds for a in r.answers if a.user_id == user.id}
        authors = drafting.authors(proposal)
        proposal._author_states = {a.user_id: a.state for a in authors}  # the rules' question, answered
        amendment_list = amendments.for_proposal(proposal)
        votes = voting.outcomes(voting.SOURCE_PROPOSAL, proposal.id)
        for amendment in amendment_list:
            if amendment.state in ("pending", "rejected"):
                votes += voting.outcomes(voting.SOURCE_AMENDMENT, amendment.id)
        open_round = rounds[0] if rounds and consent.is_open(rounds[0]) else None
        linked = needs_links.linked_anywhere(proposal)
        return render_template(
            "proposals/show.html", assembly=proposal.assembly, proposal=proposal, authors=authors,
            active_authors=[a for a in authors if a.state == AUTHOR_ACTIVE],
            pending_authors=[a for a in authors if a.state != AUTHOR_ACTIVE],
            history=history.of(proposal.subject_id), amendments=amendment_list,
            threads=comments.threads(proposal.subject_id), rounds=rounds, open_round=open_round,
            my_answers=mine, counts=consent.counts, answers=ANSWERS,
            supported=user is not None and supports.has_supported(proposal, user),
            threshold=supports.threshold(proposal.assembly), paragraphs=paragraphs(proposal.body),
            needs=[item for item in linked if item.plugin == "needs"],
            # Where other plug-ins carried it (a meeting's declaration …), named by them.
            elsewhere=[item for item in linked if item.plugin not in ("needs", "proposals")],
            item_actions=hooks.collect("item-actions", plugin="proposals", item_id=proposal.id, user=user),
            votes=votes,
            facilitate=can("proposals.facilitate", proposal.assembly),
            moderate=can("participation.moderate", proposal),
            comment_form=self.form(CommentForm),
            reject_form=lambda amendment_id: self.item_form(RejectAmendmentForm, amendment_id, "reject"),
            **self.status_forms(), **self.round_forms(open_round, mine), **labels())
