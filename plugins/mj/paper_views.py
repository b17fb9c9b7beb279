"""In the room: the printable paper ballot, the voting codes (made, listed, printed with
their QR codes), and the paper ballots counted by hand, entered by batch.

A batch that does not add up (every ballot grades every option), or one sent after the
close, draws the paper page again with the message and the counts typed; nothing is kept
of it, and its form is not used up (web/replay.py): the corrected batch goes through.
"""

from __future__ import annotations

from functools import partial

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.forms import require_confirmed_post
from convergence.web.handlers import route
from convergence.web.links import absolute_url
from convergence.web.security import no_store

from . import codes, paper
from .forms import CodesForm, SheetForm, paper_batch_form
from .results import scale_of
from .results_views import qr_data_uri
from .status import CLOSED
from .views import VotePage, bp


@route(bp, "/votes/<int:vote_id>/feuille", "sheet")
class Sheet(VotePage):
    def get(self):
        form = SheetForm(request.args)
        return self.page("mj/sheet.html", scale=scale_of(self.vote), form=form, copies=form.copies())


class CodesPage(VotePage):
    """The pages of a vote by code holders; the codes are secrets (never cached)."""

    permission = "mj.vote.manage"
    decorators = [no_store]

    def load(self, vote_id: int):
        space = super().load(vote_id)
        if self.vote.voters != "codes":
            abort(404)
        return space


@route(bp, "/votes/<int:vote_id>/codes", "codes", methods=("GET", "POST"))
class Codes(CodesPage):
    def get(self):
        return self.render()

    def post(self):
        form = self.form(CodesForm)
        if not form.validate():
            return self.invalid()
        if self.status == CLOSED:  # the page no longer shows the form, nor its token
            raise Refused(_("This vote is closed."), 409)
        replay.claim(url_for("mj.codes", vote_id=self.vote.id))
        made = codes.create(self.vote, form.count.data)
        flash(ngettext("%(num)d code has been created.", "%(num)d codes have been created.", len(made)), "success")
        return redirect(url_for("mj.codes", vote_id=self.vote.id))

    def render(self):
        return self.page("mj/codes.html", form=self.form(CodesForm), rows=codes.listing(self.vote))


@route(bp, "/votes/<int:vote_id>/codes/imprimer", "codes_print")
class CodesPrint(CodesPage):
    def get(self):
        vote = self.vote
        cards = [(code, qr_data_uri(absolute_url("mj.code_entry", vote_id=vote.id, c=code)))
                 for code in codes.unused(vote)]
        return self.page("mj/codes_print.html", cards=cards, entry=absolute_url("mj.code_entry", vote_id=vote.id))


@route(bp, "/votes/<int:vote_id>/depouillement-papier", "paper", methods=("GET", "POST"))
class PaperCount(VotePage):
    permission = "mj.vote.manage"

    def batch_form(self):
        return self.form(partial(paper_batch_form, self.vote), "PaperBatchForm")

    def get(self):
        return self.render()

    def post(self):
        form = self.batch_form()
        if self.status == CLOSED:  # the page no longer shows the form, nor its token
            raise Refused(_("This vote is closed: paper ballots can no longer be added."), 410)
        if not form.validate():
            return self.invalid()
        # Consumed with the batch: the same sheet sent twice is counted once. A refused batch
        # rolls its token back with it, so the corrected batch may be sent.
        replay.claim(url_for("mj.paper", vote_id=self.vote.id))
        batch = paper.add_batch(self.vote, form.counts(self.vote), label=form.label.data or "",
                                entered_by=current_user)
        vote = self.vote
        self.after_commit(lambda: paper.results_changed(vote))
        flash(ngettext("%(num)d paper ballot has been added to the count.",
                       "%(num)d paper ballots have been added to the count.", batch.ballots), "success")
        return redirect(url_for("mj.paper", vote_id=self.vote.id))

    def render(self):
        form = self.batch_form()
        return self.page("mj/paper.html", scale=scale_of(self.vote), form=form,
                         errors=form.option_errors(self.vote), batches=paper.batches(self.vote))


@route(bp, "/votes/<int:vote_id>/depouillement-papier/<int:batch_id>/supprimer", "paper_delete",
       methods=("POST",))
class WithdrawPaperBatch(PaperCount):
    """« Withdraw », a button of each batch on the paper page."""

    posts = ()  # the paper page's form is not what this button sends

    def load(self, vote_id: int, batch_id: int):
        self.batch_id = batch_id
        return super().load(vote_id)

    def post(self):
        require_confirmed_post()
        paper.withdraw_batch(self.vote, self.batch_id)
        vote = self.vote
        self.after_commit(lambda: paper.results_changed(vote))
        flash(_("The batch of paper ballots has been withdrawn."), "success")
        return redirect(url_for("mj.paper", vote_id=self.vote.id))
