"""The registers of the polling places (« liste d'émargement », ``roll.py``), kept on a
phone at the door: the places of a process (``/budgets/<id>/emargement``), a place's
register — look a resident up by name or a voting code, see whether they have voted, mark
them as having voted here, count a voter without account nor code — and its close, asked
for on a page of its own. Every action is a plain form: no JavaScript needed."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.extensions import db
from convergence.models import User
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.forms import ConfirmForm, require_confirmed_post
from convergence.web.handlers import route
from convergence.web.inputs import whole_number
from convergence.web.security import no_store

from .. import roll
from ..status import vote_state
from . import bp
from .base import ProcessPage


class RollPage(ProcessPage):
    login_required = True
    permission = "budget.roll.keep"
    # Who voted is personal data: never kept in a cache of the officer's phone.
    decorators = [no_store]


@route(bp, "/budgets/<int:process_id>/emargement", "roll", methods=("GET", "POST"))
class Registers(RollPage):
    """The polling places of the process, each with its émargements and sheets, and the
    form that opens a place's register."""

    def get(self):
        return self.render()

    def post(self):
        place = roll.open_register(self.process, request.form.get("place", ""))
        return redirect(url_for("budget.roll_place", process_id=self.process.id, place_id=place.id))

    def render(self):
        counts = {count.place: count for count in roll.counts(self.process)}
        return self.page("budget/roll.html", places=roll.places(self.process), counts=counts,
                         state=vote_state(self.process),
                         typed=request.form.get("place", "") if request.method == "POST" else "")


@route(bp, "/budgets/<int:process_id>/emargement/<int:place_id>", "roll_place", methods=("GET", "POST"))
class Register(RollPage):
    """One place's register: the search, the people found with whether they have voted,
    « Marquer comme ayant voté ici », the count of voters without account nor code."""

    def load(self, process_id: int, place_id: int):
        space = super().load(process_id)
        self.place = roll.place_or_none(self.process, place_id)
        if self.place is None:
            abort(404)
        return space

    def get(self):
        return self.render()

    def post(self):
        action = request.form.get("action")
        if action not in ("mark", "walk_in"):
            raise Refused(_("This form cannot be read: reload the page."), 422)
        here = url_for("budget.roll_place", process_id=self.process.id, place_id=self.place.id)
        # Sent twice (a double tap at the door), it is written once: the second copy is
        # sent back to the register with « nothing created a second time ».
        replay.claim(here)
        if action == "walk_in":
            roll.count_walk_in(self.process, self.place)
            flash(_("One voter without account nor code counted at « %(place)s ».", place=self.place.name),
                  "success")
            return redirect(here)
        code_text = request.form.get("code", "").strip()[:40]
        if code_text:
            code, _voted = roll.find_code(self.process, code_text)
            if code is None:
                raise Refused(_("This voting code does not exist for this vote. Check what you typed."), 404)
            roll.mark(self.process, self.place, code=code)
            flash(_("The holder of the code is marked as having voted at « %(place)s ». Hand them a ballot.",
                    place=self.place.name), "success")
            return redirect(here)
        user_id = whole_number(request.form.get("user_id"), low=1)
        person = db.session.get(User, user_id) if user_id is not None else None
        if person is None:
            raise Refused(_("This person cannot be found: search again."), 404)
        roll.mark(self.process, self.place, user=person)
        flash(_("%(name)s is marked as having voted at « %(place)s ». Hand them a ballot.",
                name=person.display_name, place=self.place.name), "success")
        return redirect(here)

    def render(self):
        args = request.form if request.method == "POST" else request.args
        query = roll.clean_query(args.get("q"))
        code_text = (args.get("code") or "").strip()[:40]
        found = roll.find_residents(self.process, query) if query else []
        code = code_voted = None
        if code_text:
            code, code_voted = roll.find_code(self.process, code_text)
        return self.page("budget/roll_place.html", place=self.place, query=query, found=found,
                         code_text=code_text, code=code, code_voted=code_voted, searched_code=bool(code_text),
                         marked=roll.marks_at(self.place), state=vote_state(self.process),
                         limit=roll.LOOKUP_LIMIT)


@route(bp, "/budgets/<int:process_id>/emargement/<int:place_id>/clore", "roll_close", methods=("GET", "POST"))
class CloseRegister(Register):
    """Closing a place's register, asked on a page of its own: nobody is marked there any
    more, and its pile of sheets may then be typed."""

    def get(self):
        return self.render()

    def post(self):
        require_confirmed_post()
        count = roll.close_register(self.process, self.place, current_user._get_current_object())
        flash(_("The register of « %(place)s » is closed with %(num)d émargements: its sheets may be typed.",
                place=self.place.name, num=count.signed), "success")
        return redirect(url_for("budget.paper", process_id=self.process.id, lieu=self.place.name))

    def render(self):
        return self.page("budget/roll_close.html", place=self.place, form=self.form(ConfirmForm),
                         marked=roll.marks_at(self.place), state=vote_state(self.process))
