"""The facilitator's console, made for a phone: the current item and « point suivant »,
the speaking list with « donner la parole », the timer, the names of people without a
phone, and one tap to open a vote or a consent round on the item where a plug-in offers
it (hook ``agenda-item-actions``). Removing a request and clearing the list ask first, on
a page of their own (no JavaScript needed). Every button posts and comes back here."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_babel import gettext as _

from convergence import hooks
from convergence.assemblies.agenda import move_to, next_item
from convergence.extensions import db
from convergence.web import replay
from convergence.web.errors import abort_with
from convergence.web.forms import ConfirmForm, require_confirmed_post
from convergence.web.handlers import route
from convergence.web.inputs import whole_number

from . import decisions, item_rounds, speakers
from .minutes import spoken_turns
from .minutes_views import figure_lines
from .statistics import figures
from .board import board_of, kind_label, why_text
from .forms import AddNameForm, ItemVoteForm
from .models import SpeakingRequest
from .views import AssemblyHandler, ItemHandler, bp


def console_url(assembly) -> str:
    return url_for("facilitation.console", assembly_id=assembly.id)


@route(bp, "/assemblees/<int:assembly_id>/animation", "console")
class Console(AssemblyHandler):
    login_required = True
    permission = "facilitation.run"

    def get(self):
        return self.render()

    def console_item(self):
        return self.current_item

    def name_form(self) -> AddNameForm:
        return self.form(AddNameForm).with_groups(speakers.group_names(speakers.settings(self.assembly)))

    def render(self):
        item = self.console_item()
        board = board_of(self.assembly, item) if item is not None else None
        actions = hooks.collect("agenda-item-actions", assembly=self.assembly, item=item) if item else []
        vote_form = self.form(ItemVoteForm) if item and decisions.offers_votes(self.assembly) else None
        return render_template("facilitation/console.html", assembly=self.assembly, item=item, board=board,
                               **item_rounds.display(item),
                               following=next_item(self.assembly), form=self.name_form(), vote_form=vote_form,
                               confirm=ConfirmForm(formdata=None), actions=actions,
                               why_text=why_text, kind_label=kind_label, spoken=self.spoken_figures(item))

    def spoken_figures(self, item) -> list[tuple[str, list[str]]]:
        """The statistics of the item just ended and of the meeting so far, when someone
        spoke: what the facilitator reads out as the meeting moves on (one query)."""
        turns = spoken_turns(self.assembly.id)
        if not turns:
            return []
        shown = []
        before = [done for done in self.assembly.agenda if item is not None and done.position < item.position]
        if before:
            shown.append((_("The previous item, « %(title)s »", title=before[-1].title),
                          figure_lines(figures(turns, before[-1].id))))
        shown.append((_("The meeting so far"), figure_lines(figures(turns))))
        return shown

    def back(self):
        return redirect(console_url(self.assembly))


@route(bp, "/assemblees/<int:assembly_id>/animation/suivant", "next_item", methods=("POST",))
class NextItem(Console):
    """« Point suivant »: the item after the current one (the first, before any)."""

    def post(self):
        require_confirmed_post()
        following = next_item(self.assembly)
        if following is None:
            flash(_("This was the last agenda item."), "info")
            return self.back()
        if self.current_item is not None:
            speakers.end_turn(self.assembly, self.current_item)
        move_to(self.assembly, following)
        return self.back()


class ConsoleItemAction(ItemHandler, Console):
    """A button of the console about one item's list (named in the URL: an action sent
    just as the meeting moves on still acts on the item the facilitator saw)."""

    login_required = True
    permission = "facilitation.run"

    def console_item(self):
        return self.item


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole/donner", "give_floor",
       methods=("POST",))
class GiveFloor(ConsoleItemAction):
    def post(self):
        require_confirmed_post()
        raw = request.form.get("request_id", "")
        chosen = whole_number(raw) if raw else None
        if raw and chosen is None:
            abort_with(400, _("Unknown request to speak."))
        speakers.give_floor(self.assembly, self.item, chosen)
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole/terminer", "end_turn",
       methods=("POST",))
class EndTurn(ConsoleItemAction):
    def post(self):
        require_confirmed_post()
        speakers.end_turn(self.assembly, self.item)
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole/minuteur/<any(start, pause, reset):action>",
       "timer", methods=("POST",))
class Timer(ConsoleItemAction):
    def load(self, assembly_id: int, item_id: int, action: str):
        self.action = action
        return super().load(assembly_id, item_id)

    def post(self):
        require_confirmed_post()
        speakers.run_timer(self.assembly, self.item, self.action)
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole/ajouter", "add_name",
       methods=("POST",))
class AddName(ConsoleItemAction):
    posts = "AddNameForm"

    def post(self):
        form = self.name_form()
        if not form.validate():
            return self.invalid()
        group = form.group.data if "group" in form else None
        if group and group not in dict(form.group.choices):
            form.group.errors = [*form.group.errors, _("Choose one of the lists offered.")]
            return self.invalid()
        with self.refusals_at(form.name):
            speakers.add_name(self.assembly, self.item, form.name.data, form.kind.data, group)
        replay.claim(console_url(self.assembly))
        flash(_("%(name)s is on the speaking list.", name=" ".join(form.name.data.split())), "success")
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole/<any(fermer, rouvrir):change>",
       "close_list", methods=("POST",))
class CloseList(ConsoleItemAction):
    def load(self, assembly_id: int, item_id: int, change: str):
        self.closing = change == "fermer"
        return super().load(assembly_id, item_id)

    def post(self):
        require_confirmed_post()
        speakers.set_closed(self.assembly, self.item, self.closing)
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole/<int:request_id>/enlever",
       "remove", methods=("GET", "POST"))
class Remove(ConsoleItemAction):
    """Removing someone from the list asks first, on this page."""

    def load(self, assembly_id: int, item_id: int, request_id: int):
        space = super().load(assembly_id, item_id)
        self.request_row = db.session.get(SpeakingRequest, request_id)
        if self.request_row is None or self.request_row.item_id != self.item.id:
            abort_with(404, _("Unknown request to speak."))
        return space

    def get(self):
        return render_template("facilitation/confirm.html", assembly=self.assembly, confirm=ConfirmForm(formdata=None),
                               title=_("Remove from the speaking list"),
                               question=_("Remove %(name)s from the speaking list of « %(item)s »?",
                                          name=self.request_row.name, item=self.item.title),
                               yes=_("Yes, remove"), action=request.path)

    def post(self):
        require_confirmed_post()
        if self.request_row.state == "waiting":
            speakers.withdraw(self.assembly, self.request_row)
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/parole/vider", "clear",
       methods=("GET", "POST"))
class Clear(ConsoleItemAction):
    """Clearing the whole list asks first, on this page."""

    def get(self):
        return render_template("facilitation/confirm.html", assembly=self.assembly, confirm=ConfirmForm(formdata=None),
                               title=_("Clear the speaking list"),
                               question=_("Remove everyone waiting from the speaking list of « %(item)s »? "
                                          "Their requests cannot be brought back.", item=self.item.title),
                               yes=_("Yes, clear the list"), action=request.path)

    def post(self):
        require_confirmed_post()
        count = speakers.clear(self.assembly, self.item)
        flash(_("Requests removed: %(count)d.", count=count), "success")
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/vote", "open_vote", methods=("POST",))
class OpenVote(ConsoleItemAction):
    """One tap: a majority-judgment vote on the item, open at once, its question the item's
    title and its options those the facilitator typed (the form on the console)."""

    posts = "ItemVoteForm"

    def post(self):
        form = self.form(ItemVoteForm)
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.options):
            decisions.open_vote_on(self.assembly, self.item, current_user, form.options.data)
        replay.claim(console_url(self.assembly))
        flash(_("The vote on « %(item)s » is open.", item=self.item.title), "success")
        return self.back()
