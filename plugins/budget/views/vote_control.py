"""Opening and closing a budget's vote by hand, before or instead of its dates: the
facilitators' buttons on the process page. Each asks for confirmation on a page of its own
(works without JavaScript: the page's button is the only thing that acts). Opening freezes
the ballot's rules; closing is final — the box is written out and the result asked for."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.extensions import db, on_commit
from convergence.web.forms import ConfirmForm, require_confirmed_post
from convergence.web.handlers import route

from .. import casting, roll, status
from . import bp
from .base import ProcessPage


class VoteControl(ProcessPage):
    login_required = True
    permission = "budget.manage"
    #: "open" or "close": what the page's button does.
    action: str

    def get(self):
        return self.render()

    def render(self):
        return self.page("budget/vote_control.html", action=self.action, form=self.form(ConfirmForm),
                         state=status.vote_state(self.process), labels=status.state_labels(),
                         on_ballot=len(casting.on_ballot(self.process)),
                         roll_counts=roll.counts(self.process) if self.action == "close" else [])


@route(bp, "/budgets/<int:process_id>/vote/ouvrir", "vote_open", methods=("GET", "POST"))
class OpenVote(VoteControl):
    action = "open"

    def post(self):
        require_confirmed_post()
        process = self.process
        old = status.open_now(process)
        on_commit(db.session(), lambda: status.opened_announced(process, old))
        flash(_("The vote is open: its rules are frozen."), "success")
        return redirect(url_for("budget.show", process_id=process.id))


@route(bp, "/budgets/<int:process_id>/vote/clore", "vote_close", methods=("GET", "POST"))
class CloseVote(VoteControl):
    action = "close"

    def post(self):
        require_confirmed_post()
        process, closed_by = self.process, current_user._get_current_object()
        old = status.close_now(process)
        on_commit(db.session(), lambda: status.close_announced(process, old, closed_by))
        flash(_("The vote is closed: the result is being computed."), "success")
        return redirect(url_for("budget.results", process_id=process.id))
