"""Paper ballots typed one by one (``/budgets/<id>/bulletins-papier``), grouped by polling
place, and under double entry the sheets whose two entries differ
(``…/bulletins-papier/differences``), each entry correctable. See ``paper.py`` for when
sheets are typed and what « nul » means."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.handlers import route
from convergence.web.inputs import whole_number

from .. import casting, paper, roll
from ..status import CLOSED, OPEN, vote_state
from . import bp
from .base import ProcessPage


class PaperPage(ProcessPage):
    permission = "budget.ballot.manage"


@route(bp, "/budgets/<int:process_id>/bulletins-papier", "paper", methods=("GET", "POST"))
class PaperSheets(PaperPage):
    def get(self):
        return self.render()

    def post(self):
        state = vote_state(self.process)  # outside the vote the page shows no form, nor its token
        if state == CLOSED:
            raise Refused(_("This vote is closed: paper ballots can no longer be typed."), 410)
        if state != OPEN:
            raise Refused(_("Paper ballots are typed while the vote is open."), 409)
        sheet = whole_number(request.form.get("sheet"), low=1, high=1_000_000)
        if sheet is None:
            raise Refused(_("A sheet number is a whole number from 1."), 422)
        # Consumed with the sheet: sent twice, it is typed once; refused, the token is rolled
        # back with it and the corrected sheet goes through.
        replay.claim(url_for("budget.paper", process_id=self.process.id))
        row = paper.add(self.process, request.form.get("place", ""), sheet, request.form.get("content", ""),
                        void=request.form.get("void") == "1", entered_by=current_user)
        if row.content == paper.VOID:
            flash(_("Sheet %(sheet)d of « %(place)s » recorded as spoilt.", sheet=row.sheet, place=row.place),
                  "success")
        else:
            flash(_("Sheet %(sheet)d of « %(place)s » typed (entry %(entry)d).", sheet=row.sheet, place=row.place,
                    entry=row.entry), "success")
        # The next sheet of the same pile: the place is kept, the number moves on.
        return redirect(url_for("budget.paper", process_id=self.process.id, lieu=row.place, feuille=row.sheet + 1))

    def render(self):
        process = self.process
        sent = request.method == "POST"
        return self.page(
            "budget/paper.html", rules=casting.rules_of(process), places=paper.by_place(process),
            pending=len(paper.differences(process)), state=vote_state(process), roll_counts=roll.counts(process),
            place=request.form.get("place", "") if sent else request.args.get("lieu", "")[:120],
            sheet=request.form.get("sheet", "") if sent else request.args.get("feuille", "1")[:8],
            content=request.form.get("content", "") if sent else "",
            void=sent and request.form.get("void") == "1")


@route(bp, "/budgets/<int:process_id>/bulletins-papier/differences", "paper_differences",
       methods=("GET", "POST"))
class PaperDifferences(PaperPage):
    """The sheets not counted yet under double entry, each entry correctable here."""

    def get(self):
        return self.render()

    def post(self):
        sheet_id = whole_number(request.form.get("sheet_id"), low=1)
        if sheet_id is None:
            raise Refused(_("This paper sheet does not exist."), 404)
        self.corrected = sheet_id
        row = paper.correct(self.process, sheet_id, request.form.get("content", ""),
                            void=request.form.get("void") == "1", corrected_by=current_user)
        flash(_("Sheet %(sheet)d of « %(place)s », entry %(entry)d, corrected.", sheet=row.sheet, place=row.place,
                entry=row.entry), "success")
        return redirect(url_for("budget.paper_differences", process_id=self.process.id))

    def render(self):
        return self.page("budget/paper_differences.html", pending=paper.differences(self.process),
                         corrected=getattr(self, "corrected", None),
                         content=request.form.get("content", "") if request.method == "POST" else "",
                         state=vote_state(self.process))
