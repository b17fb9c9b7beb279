"""The floor votes of the declaration and its adoption: the list of votes (the committee
opens one), a vote's page (the mandated delegate's voice from a phone, an organiser's
record of a raised card, the public breakdown, the close), and the adoption page."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.extensions import db
from convergence.permissions import can
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.handlers import route
from convergence.web.inputs import whole_number

from . import adoption, counts, declarations, delegates, floor
from .declaration_models import DeclarationAmendment, FloorVote
from .views import MeetingPage, bp
from .vote_forms import CHOICE_LABELS, CardForm, CloseVoteForm, ConsentForm, OpenVoteForm, VoiceForm


class DeclarationPage(MeetingPage):
    def load(self, meeting_id: int, **_rest):
        space = super().load(meeting_id)
        self.declaration = declarations.of_meeting(self.meeting)
        if self.declaration is None:
            abort(404)
        return space

    def organises(self) -> bool:
        return can("cdc.organise", self.assembly)

    def draw(self, template: str, **context):
        return self.page(template, declaration=self.declaration, organises=self.organises(),
                         declaration_url=url_for("cdc.declaration", meeting_id=self.meeting.id), labels_choice=CHOICE_LABELS,
                         **context)


def _subject_label(vote: FloorVote, amendments: dict[int, DeclarationAmendment]) -> str:
    if vote.amendment_id is None:
        return _("The whole text")
    return _("Amendment A%(n)d", n=amendments[vote.amendment_id].number)


@route(bp, "/rencontres/<int:meeting_id>/declaration/votes", "declaration_votes", methods=("GET", "POST"))
class Votes(DeclarationPage):
    post_permission = "cdc.organise"

    def open_form(self):
        form = self.form(OpenVoteForm)
        form.subject.choices = [("", _("The whole text"))] + [
            (str(a.id), _("Amendment A%(n)d", n=a.number)) for a in floor.votable(self.declaration)]
        return form

    def render(self):
        amendments = floor.amendments_by_id(self.declaration)
        votes = [(v, _subject_label(v, amendments)) for v in floor.votes_of(self.declaration)]
        return self.draw("cdc/votes.html", votes=votes, form=self.open_form())

    def get(self):
        return self.render()

    def post(self):
        form = self.open_form()
        form.validate()
        amendment = None
        if form.subject.data:
            # ASCII digits within INTEGER (« ² » passes isdigit() and fails int()).
            number = whole_number(form.subject.data)
            amendment = db.session.get(DeclarationAmendment, number) if number is not None else None
            if amendment is None or amendment.declaration_id != self.declaration.id:
                raise Refused(_("Choose an amendment of this declaration, or the whole text."))
        vote = floor.open_vote(self.declaration, current_user, amendment)
        page = url_for("cdc.declaration_vote", meeting_id=self.meeting.id, vote_id=vote.id)
        replay.claim(page)
        return redirect(page, 303)


class FloorVotePage(DeclarationPage):
    def load(self, meeting_id: int, vote_id: int):
        space = super().load(meeting_id)
        self.vote = db.session.get(FloorVote, vote_id)
        if self.vote is None or self.vote.declaration_id != self.declaration.id:
            abort(404)
        return space

    def card_form(self):
        form = self.form(CardForm, prefix="card")
        form.delegation.choices = [("", _("Choose…"))] + [
            (str(d.id), d.name) for d in counts.delegations(self.meeting, statuses=("registered",))]
        return form

    def render(self):
        amendments = floor.amendments_by_id(self.declaration)
        mine = delegates.mandated_delegation(self.meeting.id, current_user) \
            if current_user.is_authenticated else None
        voices = floor.voices(self.vote)
        my_voice = next((v for v in voices if mine is not None and v.delegation_id == mine.id), None)
        amendment = amendments.get(self.vote.amendment_id)
        return self.draw("cdc/floor_vote.html", vote=self.vote, subject=_subject_label(self.vote, amendments),
                         amendment=amendment, voices=voices, tally=floor.count(self.vote), mine=mine,
                         my_voice=my_voice,
                         voice_form=self.form(VoiceForm, data={"choice": my_voice.choice} if my_voice else None),
                         card_form=self.card_form() if self.organises() else None,
                         close_form=self.form(CloseVoteForm))

    def get(self):
        return self.render()

    def back(self):
        return redirect(url_for("cdc.declaration_vote", meeting_id=self.meeting.id, vote_id=self.vote.id), 303)


@route(bp, "/rencontres/<int:meeting_id>/declaration/votes/<int:vote_id>", "declaration_vote",
       methods=("GET", "POST"))
class Vote(FloorVotePage):
    posts = "VoiceForm"

    def post(self):
        if not current_user.is_authenticated:
            raise Refused(_("Log in to vote for your delegation."), 401)
        delegation = floor.voter(self.declaration, current_user)
        form = self.form(VoiceForm)
        if not form.validate():
            return self.invalid()
        floor.cast(self.vote, delegation, form.choice.data, current_user)
        flash(_("Your delegation's voice is recorded: %(choice)s.", choice=CHOICE_LABELS[form.choice.data]),
              "success")
        return self.back()


@route(bp, "/rencontres/<int:meeting_id>/declaration/votes/<int:vote_id>/carton", "declaration_vote_card",
       methods=("POST",))
class RecordCard(FloorVotePage):
    post_permission = "cdc.organise"
    posts = "CardForm"

    def post(self):
        form = self.card_form()
        if not form.validate():
            return self.invalid()
        delegation = next((d for d in counts.delegations(self.meeting, statuses=("registered",))
                           if str(d.id) == form.delegation.data), None)
        if delegation is None:
            raise Refused(_("This delegation is not registered to this meeting: it has no voice."), 403)
        floor.cast(self.vote, delegation, form.choice.data, current_user, by_organiser=True)
        flash(_("Card of « %(name)s » recorded.", name=delegation.name), "success")
        return self.back()


@route(bp, "/rencontres/<int:meeting_id>/declaration/votes/<int:vote_id>/cloture", "declaration_vote_close",
       methods=("POST",))
class CloseVote(FloorVotePage):
    post_permission = "cdc.organise"
    posts = "CloseVoteForm"

    def post(self):
        if not self.form(CloseVoteForm).validate():
            return self.invalid()
        result = floor.close(self.vote, current_user)
        flash(_("Vote closed: carried.") if result.carried else _("Vote closed: not carried."), "success")
        return self.back()


@route(bp, "/rencontres/<int:meeting_id>/declaration/adoption", "declaration_adoption", methods=("GET", "POST"))
class Adoption(DeclarationPage):
    post_permission = "cdc.organise"

    def render(self):
        return self.draw("cdc/adoption.html", form=self.form(ConsentForm),
                         still_open=adoption.still_open(self.declaration))

    def get(self):
        return self.render()

    def post(self):
        if not self.form(ConsentForm).validate():
            return self.invalid()
        adoption.adopt(self.declaration, current_user, "consent")
        flash(_("The declaration is adopted by consent."), "success")
        return redirect(url_for("cdc.declaration_adoption", meeting_id=self.meeting.id), 303)
