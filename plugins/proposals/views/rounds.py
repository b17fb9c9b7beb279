"""Consent rounds on a proposal: opening one, answering, closing, and recording how an
objection was treated. Each change is announced live once the flow has committed it."""

from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _
from flask_babel import to_utc
from flask_login import current_user

from convergence.extensions import db, on_commit
from convergence.models import ConsentAnswer
from convergence.permissions import require
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.handlers import route

from .. import consent
from ..forms import ConsentAnswerForm, OpenRoundForm, ResolveObjectionForm
from ..models import ROUND_ASYNC, ProposalRound
from .base import ProposalPage, bp


class RoundPage(ProposalPage):
    """The proposal's page, about one of its rounds (404 when it is another's)."""

    def load(self, proposal_id, round_id, **rest):
        space = super().load(proposal_id)
        self.round = db.session.get(ProposalRound, round_id)
        if self.round is None or self.round.proposal_id != self.proposal.id:
            abort(404)
        return space

    def announce(self, event: str) -> None:
        proposal, round_ = self.proposal, self.round
        on_commit(db.session, lambda: consent.announce(proposal, event, round_))


@route(bp, "/propositions/<int:proposal_id>/consentement", "open_round", methods=("POST",))
class OpenRound(ProposalPage):
    posts = "OpenRoundForm"

    def check_access(self):
        require("proposals.open_round", self.proposal,
                submitted_to=self.form(OpenRoundForm).submitted_to.data or self.proposal.submitted_to)

    def post(self):
        form = self.form(OpenRoundForm)
        if not form.validate():
            return self.invalid()
        previous = consent.rounds(self.proposal)
        if previous and consent.settle(previous[0]):  # past its deadline: closed before the next one opens
            db.session.refresh(self.proposal)
        # Before the round: a copy sent at the same instant stops here, not on the round's number.
        replay.claim(self.url("#consentement"))
        deadline = to_utc(form.deadline.data) if form.mode.data == ROUND_ASYNC and form.deadline.data else None
        with self.refusals_at(form.deadline):
            round_ = consent.open_round(self.proposal, current_user, form.mode.data, deadline,
                                        form.submitted_to.data or self.proposal.submitted_to)
        proposal = self.proposal
        on_commit(db.session, lambda: consent.announce(proposal, consent.EVENT_OPENED, round_))
        flash(_("Consent round %(n)d is open.", n=round_.number), "success")
        return self.back("#consentement")


@route(bp, "/propositions/<int:proposal_id>/consentement/<int:round_id>/reponse", "answer_round",
       methods=("POST",))
class AnswerRound(RoundPage):
    posts = "ConsentAnswerForm"

    def check_access(self):
        consent.settle(self.round)  # past its deadline, closed now (committed, as the worker would)
        if not consent.is_open(self.round):  # said before any question of rights: the round is over
            raise Refused(_("This consent round is closed: answers are no longer taken."), 409)
        require("proposals.answer", self.proposal)

    def post(self):
        form = self.form(ConsentAnswerForm)
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.reason):
            consent.answer(self.round, current_user, form.answer.data, form.reason.data)
        self.announce(consent.EVENT_ANSWER)
        flash(_("Your answer is recorded. You may change it until the round closes."), "success")
        return self.back("#consentement")


@route(bp, "/propositions/<int:proposal_id>/consentement/<int:round_id>/cloture", "close_round",
       methods=("POST",))
class CloseRound(RoundPage):
    permission = "proposals.run_round"

    def post(self):
        outcome = consent.close(self.round, current_user, self.proposal)
        self.announce(consent.EVENT_CLOSED)
        flash(str(consent.OUTCOME_LABELS[outcome]), "success")
        return self.back("#consentement")


@route(bp, "/propositions/<int:proposal_id>/consentement/<int:round_id>/objections/<int:answer_id>",
       "resolve_objection", methods=("POST",))
class ResolveObjection(RoundPage):
    """A facilitator, or the objector, records how an objection was treated."""

    posts = "ResolveObjectionForm"

    def load(self, proposal_id, round_id, answer_id):
        space = super().load(proposal_id, round_id)
        self.answer = db.session.get(ConsentAnswer, answer_id)
        if self.answer is None or self.answer.round_id != self.round.id:
            abort(404)
        self.item_id = answer_id
        return space

    def check_access(self):
        require("proposals.resolve_objection", self.proposal, answer=self.answer)

    def post(self):
        form = self.form(ResolveObjectionForm)
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.resolution):
            consent.resolve(self.answer, current_user, form.resolution.data)
        self.announce(consent.EVENT_ANSWER)
        flash(_("The treatment of the objection is recorded."), "success")
        return self.back("#consentement")
