"""The speaking list as a participant sees it on their phone: the item, who speaks, the
order with their own place and why, and the buttons to ask and to withdraw. Works without
JavaScript (the state at load); with it, the live channel refreshes the page's regions.

The console (console_views.py), the room display (room_views.py) and the minutes
(minutes_views.py) add their routes to the same blueprint."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.loaders import assembly_or_404
from convergence.models import AgendaItem
from convergence.web.errors import abort_with
from convergence.web.forms import require_confirmed_post
from convergence.web.handlers import Handler, route

from . import speakers
from .board import board_of, kind_label, why_text
from .clock import minutes_seconds
from .forms import AskForm
from .plugin import NAME

bp = Blueprint("facilitation", __name__, template_folder="templates", static_folder="static",
               static_url_path="/facilitation/static")
# The timer as people read it (« 1:05 »), in every template of the plug-in.
bp.add_app_template_global(minutes_seconds, "minutes_seconds")


class AssemblyHandler(Handler):
    feature = NAME

    def load(self, assembly_id: int, **_rest):
        self.assembly = assembly_or_404(assembly_id)
        return self.assembly

    @property
    def current_item(self) -> AgendaItem | None:
        return next((i for i in self.assembly.agenda if i.id == self.assembly.current_item_id), None)


class ItemHandler(AssemblyHandler):
    """A page about one agenda item's speaking list."""

    def load(self, assembly_id: int, item_id: int, **rest):
        assembly = super().load(assembly_id)
        self.item = next((i for i in assembly.agenda if i.id == item_id), None)
        if self.item is None:
            abort_with(404, _("This agenda item does not exist in this assembly."))
        return assembly


def list_url(assembly, item) -> str:
    return url_for("facilitation.speaking_list", assembly_id=assembly.id, item_id=item.id)


@route(bp, "/assemblees/<int:assembly_id>/parole", "current")
class CurrentList(AssemblyHandler):
    """The link people keep: the speaking list of whatever item is current."""

    def get(self):
        item = self.current_item
        if item is None:
            return render_template("facilitation/no_item.html", assembly=self.assembly)
        return redirect(list_url(self.assembly, item))


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole", "speaking_list")
class SpeakingListPage(ItemHandler):
    def get(self):
        return self.render()

    def ask_form(self) -> AskForm:
        return self.form(AskForm).with_groups(speakers.group_names(speakers.settings(self.assembly)))

    template = "facilitation/list.html"

    def render(self):
        board = board_of(self.assembly, self.item)
        return render_template(self.template, assembly=self.assembly, item=self.item, board=board,
                               mine=board.position_of(current_user), form=self.ask_form(),
                               why_text=why_text, kind_label=kind_label, list_path=list_url(self.assembly, self.item),
                               is_current=self.assembly.current_item_id == self.item.id)


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole/ma-place", "my_place")
class MyPlace(SpeakingListPage):
    """« Your place » alone: what a phone on the list fetches after a live event (the rest
    of the page came in the event itself, live_regions.py)."""

    template = "facilitation/_my_place.html"


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole/demander", "ask",
       methods=("POST",))
class Ask(SpeakingListPage):
    login_required = True
    permission = "facilitation.ask"

    def post(self):
        form = self.ask_form()
        if not form.validate():
            return self.invalid()
        group = form.group.data if "group" in form else None
        if group and group not in dict(form.group.choices):
            form.group.errors = [*form.group.errors, _("Choose one of the lists offered.")]
            return self.invalid()
        speakers.ask(self.assembly, self.item, current_user, form.kind.data, group)
        flash(_("You are on the speaking list."), "success")
        return redirect(list_url(self.assembly, self.item))


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole/retirer", "withdraw",
       methods=("POST",))
class Withdraw(SpeakingListPage):
    login_required = True
    permission = "facilitation.ask"

    def post(self):
        require_confirmed_post()
        request_ = speakers.waiting_request_of(self.item.id, current_user)
        if request_ is not None:  # pressed twice: already withdrawn, nothing to do
            speakers.withdraw(self.assembly, request_)
            flash(_("Your request to speak has been withdrawn."), "success")
        return redirect(list_url(self.assembly, self.item))
