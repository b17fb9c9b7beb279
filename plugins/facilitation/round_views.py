"""The consent round on an agenda item: its page (where it stands, the objections, the
answer form of the assembly's participants) and the console's two buttons, open and close.
No JavaScript needed; the live channel redraws the pages that show it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.circles.forms import AnswerForm
from convergence.consent import rounds
from convergence.permissions import can
from convergence.web.forms import require_confirmed_post
from convergence.web.handlers import route

from . import item_rounds
from .console_views import ConsoleItemAction
from .views import ItemHandler, bp


def round_url(assembly, item) -> str:
    return url_for("facilitation.item_round", assembly_id=assembly.id, item_id=item.id)


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/consentement", "item_round")
class ItemRoundPage(ItemHandler):
    permission = "assembly.view"

    def get(self):
        return self.render()

    def render(self):
        round_ = item_rounds.last_round_of(self.item.id)
        mine = None
        if round_ is not None and current_user.is_authenticated:
            mine = next((a for a in round_.answers if a.user_id == current_user.id), None)
        may_answer = (round_ is not None and rounds.is_open(round_)
                      and can("facilitation.ask", self.assembly))
        return render_template("facilitation/round.html", assembly=self.assembly, item=self.item, round=round_,
                               counts=rounds.counts(round_) if round_ else None, mine=mine,
                               form=self.form(AnswerForm) if may_answer else None,
                               outcome_labels=rounds.OUTCOME_LABELS, answer_labels=rounds.ANSWER_LABELS)


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/consentement/repondre", "answer_round",
       methods=("POST",))
class AnswerRound(ItemRoundPage):
    login_required = True
    permission = "facilitation.ask"

    def post(self):
        form = self.form(AnswerForm)
        round_ = item_rounds.open_round_of(self.item.id)
        if round_ is None:
            flash(_("This consent round is closed: answers are no longer taken."), "error")
            return redirect(round_url(self.assembly, self.item))
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.reason):
            item_rounds.answer(self.assembly, round_, current_user, form.answer.data, form.reason.data)
        flash(_("Your answer is recorded; you may change it while the round is open."), "success")
        return redirect(round_url(self.assembly, self.item))


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/consentement/ouvrir", "open_round",
       methods=("POST",))
class OpenRound(ConsoleItemAction):
    """One tap on the console: a live consent round on the item, open at once."""

    def post(self):
        require_confirmed_post()
        item_rounds.open_on(self.assembly, self.item, current_user)
        flash(_("The consent round on « %(item)s » is open.", item=self.item.title), "success")
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/consentement/clore", "close_round",
       methods=("POST",))
class CloseRound(ConsoleItemAction):
    def post(self):
        require_confirmed_post()
        round_ = item_rounds.open_round_of(self.item.id)
        if round_ is not None:  # pressed twice: already closed, nothing to do
            outcome = item_rounds.close(self.assembly, round_)
            flash(str(rounds.OUTCOME_LABELS[outcome]), "success")
        return self.back()
