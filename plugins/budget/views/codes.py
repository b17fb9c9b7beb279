"""Voting codes for residents without an account: made and printed by the facilitators
(``/budgets/<id>/codes``, then the printable sheet of the unused ones with their QR code).
The codes are secrets: these pages are never cached."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from convergence.invitations.qr import qr_svg
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.handlers import route
from convergence.web.inputs import whole_number
from convergence.web.links import absolute_url
from convergence.web.security import no_store

from .. import casting
from ..status import CLOSED, vote_state
from . import bp
from .base import ProcessPage


def qr_data_uri(data: str) -> str:
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode()).decode()


class CodesPage(ProcessPage):
    permission = "budget.ballot.manage"
    decorators = [no_store]

    def load(self, process_id: int):
        space = super().load(process_id)
        if self.process.voters == "members":
            abort(404)
        return space


@route(bp, "/budgets/<int:process_id>/codes", "codes", methods=("GET", "POST"))
class Codes(CodesPage):
    def get(self):
        return self.render()

    def post(self):
        count = whole_number(request.form.get("count"), low=1, high=casting.MAX_CODES_AT_ONCE)
        if count is None:
            raise Refused(_("Create between 1 and 1000 codes at a time."), 422)
        replay.claim(url_for("budget.codes", process_id=self.process.id))
        made = casting.create_codes(self.process, count)
        flash(ngettext("%(num)d code has been created.", "%(num)d codes have been created.", len(made)), "success")
        return redirect(url_for("budget.codes", process_id=self.process.id))

    def render(self):
        return self.page("budget/codes.html", rows=casting.codes_listing(self.process),
                         closed=vote_state(self.process) == CLOSED, count=request.form.get("count", "20"))


@route(bp, "/budgets/<int:process_id>/codes/imprimer", "codes_print")
class CodesPrint(CodesPage):
    def get(self):
        process = self.process
        cards = [(code, qr_data_uri(absolute_url("budget.code_entry", process_id=process.id, c=code)))
                 for code in casting.unused_codes(process)]
        return self.page("budget/codes_print.html", cards=cards,
                         entry=absolute_url("budget.code_entry", process_id=process.id))
