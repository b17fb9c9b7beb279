"""Casting: the ballot page and its POST (the platform's hottest path), and the page where
someone without an account types their voting code (or lands from its QR code).

A refused ballot — incomplete, after the close, before the opening, a second one without
its receipt, a wrong receipt — draws the ballot page again with the message and the grades
the person chose; a wrong or used code draws the code page again with what they typed.
"""

from __future__ import annotations

from functools import partial

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.balloting import autocommit
from convergence.refusal import Refused
from convergence.web.errors import abort_with
from convergence.web.handlers import route
from convergence.web.security import NO_STORE

from . import ballots, voting_session
from .ballots import sheet_of
from .forms import BallotForm, CodeEntryForm, CodeLinkForm, ballot_form
from .permissions import voter
from .results import scale_of
from .status import CLOSED, OPEN, channel_of, progress
from .views import VotePage, bp, closed_or_not_open

def ballot_page(vote, form: BallotForm, voted: bool):
    return render_template(
        "mj/ballot.html", vote=vote, assembly=vote.assembly, scale=scale_of(vote), form=form,
        grades=form.grades.data, errors=form.grades.option_errors, voted=voted)


def _refuse_voter(vote) -> None:
    """Nobody may vote here from this browser: say why (an access refusal, not a form's)."""
    if vote.voters == "codes":
        if request.method == "GET":
            abort(redirect(url_for("mj.code_entry", vote_id=vote.id)))
        abort_with(403, _("Enter your voting code before voting."))
    if not current_user.is_authenticated:
        abort(401)
    if vote.voters == "commune":
        abort_with(403, _("Only members of this commune may vote in it."))
    if vote.circle_id is not None:
        abort_with(403, _("Only members of this circle may vote in it."))
    abort_with(403, _("Only members of this assembly may vote in it."))


@route(bp, "/votes/<int:vote_id>/bulletin", "ballot", methods=("GET", "POST"))
class Ballot(VotePage):
    # The ballot writes and commits itself, in its own transaction (ballots.cast / change):
    # on PostgreSQL a first ballot is one statement in autocommit, without BEGIN or COMMIT
    # (convergence/balloting/autocommit.py), and a second ballot of the same person is refused by the unique
    # constraint and rolled back there. The flow has nothing left to commit.
    commits = False

    def load(self, vote_id: int):
        self.voter, self.voted = None, None
        if request.method == "POST":
            # A first ballot is one atomic statement: no BEGIN/COMMIT round trips (convergence/balloting/autocommit.py).
            autocommit.one_statement_at_a_time()
            # Neither the options nor the circle: their ids are kept per process (ballots.option_ids).
            self.for_page = False
        return super().load(vote_id)

    def check_access(self) -> None:
        if request.method != "POST" and self.status != OPEN:
            return  # the page only sends them back to the vote (get)
        self.voter = voter(self.vote)
        if self.voter is None:
            _refuse_voter(self.vote)

    def ballot_form(self) -> BallotForm:
        # Sent: bound to the request's form; otherwise the flow asks for it with formdata=None.
        return self.form(partial(ballot_form, sheet_of(self.vote), formdata=request.form), "BallotForm")

    def get(self):
        if self.status != OPEN:
            flash(closed_or_not_open(self.status), "info")
            return self.to_vote()
        return self.render()

    def post(self):
        # The CSRF token was checked before this view by the core's CSRFProtect (every POST of
        # the platform; a ballot without it gets 400, see the tests): not checked twice here.
        form = self.ballot_form()
        valid = form.validate()  # read first: a refused ballot keeps the grades chosen
        if self.status == CLOSED:
            raise Refused(_("This vote is closed: ballots are no longer accepted."), 410)
        if self.status != OPEN:
            raise Refused(_("This vote is not open yet."), 403)
        if not valid:
            if form.receipt.errors:
                self.voted = True  # the receipt's field stays on the page, with its message
            return self.invalid()
        vote, (user_id, code_id) = self.vote, self.voter
        # Read now: the commit below expires the loaded objects, and reloading them costs queries.
        news = (channel_of(vote), vote.id, vote.live_results)
        changed = bool(form.receipt.data)
        # The receipt page is drawn from the vote as loaded before the ballot's commit: the few
        # fields it shows cannot have changed, and reloading them would cost a query.
        autocommit.keep_loaded_objects()
        try:
            if changed:
                receipt = ballots.change(vote, form.receipt.data, form.grades.data, user_id=user_id, code_id=code_id)
            else:
                # No "has this person voted?" query first: the unique constraint answers it.
                receipt = ballots.cast(vote, form.grades.data, user_id=user_id, code_id=code_id)
        except ballots.BallotError as error:
            self.voted = True
            if error.reason == "already-voted":
                raise Refused(_("You have already voted. To change your ballot, give the receipt you received."),
                              409) from None
            raise Refused(str(error.message), error.status) from None
        if code_id is not None:
            voting_session.forget_code(news[1])  # the next person on this device types their own code
        progress(*news)
        # The receipt is shown once, in this answer, and kept nowhere the next person on the
        # device could read it: not in the session, not in a URL of the history, not in a cache.
        # Sending the form again is refused as a second ballot.
        response = current_app.make_response(render_template(
            "mj/receipt.html", vote=vote, assembly=vote.assembly, receipt=receipt, changed=changed, status=OPEN))
        response.headers["Cache-Control"] = NO_STORE
        return response

    def render(self):
        if self.voted is None:
            self.voted = self.voter is not None and ballots.has_participated(
                self.vote, user_id=self.voter[0], code_id=self.voter[1])
        return ballot_page(self.vote, self.ballot_form(), self.voted)


@route(bp, "/votes/<int:vote_id>/code", "code_entry", methods=("GET", "POST"))
class CodeEntry(VotePage):
    def load(self, vote_id: int):
        space = super().load(vote_id)
        if self.vote.voters != "codes":
            abort(404)
        return space

    def get(self):
        if "c" not in request.args:
            return self.render()
        # The link of a QR code: the code is in its address.
        link = CodeLinkForm(request.args)
        self.form(CodeEntryForm).code.data = link.c.data  # shown again if refused
        return self.enter(link.c.data if link.validate() else None, "")

    def post(self):
        form = self.form(CodeEntryForm)
        if not form.validate():
            return self.invalid()
        return self.enter(form.code.data, form.receipt.data or "")

    def enter(self, text: str | None, receipt_text: str):
        vote = self.vote
        if self.status == CLOSED:
            raise Refused(_("This vote is closed: ballots are no longer accepted."), 410)
        code = ballots.find_code(vote, text)
        if code is None:
            raise Refused(_("This voting code does not exist for this vote. Check what you typed."), 404)
        # A used code: its holder may come back to change the ballot, with the receipt.
        if ballots.code_used(code) and not (receipt_text and ballots.receipt_known(vote, receipt_text)):
            raise Refused(_("This voting code has already been used. If you voted with it, type your receipt "
                            "below to change your ballot."), 410)
        voting_session.remember_code(vote.id, code.code)
        if not receipt_text:
            return redirect(url_for("mj.ballot", vote_id=vote.id))
        # Its holder changes the ballot: the receipt goes into the ballot form they are
        # given here, never into the session.
        voting_session.note_code_id(vote.id, code.id)
        form = ballot_form(sheet_of(vote), receipt=ballots.normalise_receipt(receipt_text))
        return ballot_page(vote, form, voted=True)

    def render(self):
        return self.page("mj/code.html", form=self.form(CodeEntryForm))
