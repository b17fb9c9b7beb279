"""An assembly's pages: creating and editing it, its page, running its agenda, the
projector and its live stream — each a handler of the one request flow
(convergence/web/handlers.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone, to_utc

from .. import audit, hooks, live
from ..extensions import db, on_commit
from ..invitations.queries import usable_invitation
from ..live.stream import event_stream
from ..loaders import assembly_or_404
from ..models import AgendaItem, Assembly
from ..permissions import can
from ..refusal import Refused
from ..spaces import space_ref
from ..web import replay
from ..web.errors import abort_with
from ..web.forms import ConfirmForm, require_confirmed_post
from ..web.handlers import WRITING, Handler, route
from ..web.pages import CommunePage, FormPage
from ..web.inputs import whole_number
from .agenda import combine, kind_choices, kind_label, local_time, move_to, renumber
from .forms import AgendaItemForm, AssemblyForm

bp = Blueprint("assemblies", __name__)


def _local(moment):
    return to_user_timezone(moment).replace(tzinfo=None) if moment else None


def _fill_assembly(assembly: Assembly, form: AssemblyForm) -> None:
    form.populate_obj(assembly)
    assembly.starts_at = to_utc(form.starts_at.data)
    assembly.ends_at = to_utc(form.ends_at.data) if form.ends_at.data else None


def _publish_after_commit(assembly: Assembly, event: str, data: dict) -> None:
    space = space_ref(assembly)  # read now: the object is expired after the commit
    on_commit(db.session, lambda: live.publish(space, event, data))


@route(bp, "/communes/<slug>/assemblees/nouvelle", "create", methods=("GET", "POST"))
class Create(FormPage, CommunePage):
    login_required = True
    permission = "commune.facilitate"
    form_class, template = AssemblyForm, "assemblies/form.html"

    def context(self) -> dict:
        return {"commune": self.commune, "assembly": None}

    def save(self, form):
        assembly = Assembly(commune_id=self.commune.id)
        _fill_assembly(assembly, form)
        db.session.add(assembly)
        db.session.flush()
        replay.claim(url_for("assemblies.agenda", assembly_id=assembly.id))
        audit.record("assembly.created", commune_id=self.commune.id, target=assembly.title)
        on_commit(db.session, lambda: hooks.assembly_created.send(assembly))
        flash(_("The assembly has been created. Now set its agenda."), "success")
        return redirect(url_for("assemblies.agenda", assembly_id=assembly.id))


class AssemblyPage(Handler):
    """A page of one assembly."""

    def load(self, assembly_id: int, **_rest):
        self.assembly = assembly_or_404(assembly_id)
        return self.assembly

    def kind_label(self):
        choices = kind_choices(self.assembly)
        return lambda code: kind_label(code, choices)


@route(bp, "/assemblees/<int:assembly_id>", "show")
class Show(AssemblyPage):
    def get(self):
        return render_template("assemblies/show.html", assembly=self.assembly, commune=self.assembly.commune,
                               kind_label=self.kind_label(), confirm=ConfirmForm(formdata=None))


@route(bp, "/assemblees/<int:assembly_id>/modifier", "edit", methods=("GET", "POST"))
class Edit(FormPage, AssemblyPage):
    login_required = True
    permission = "assembly.facilitate"
    template = "assemblies/form.html"

    def page_form(self) -> AssemblyForm:
        first = "AssemblyForm" not in self._forms
        form = self.form(AssemblyForm, obj=self.assembly)
        if first and request.method not in WRITING:
            # Stored in UTC, typed and shown in the assembly's local time.
            form.starts_at.data = _local(self.assembly.starts_at)
            form.ends_at.data = _local(self.assembly.ends_at)
        return form

    def context(self) -> dict:
        return {"commune": self.assembly.commune, "assembly": self.assembly}

    def save(self, form):
        assembly = self.assembly
        before = assembly.status
        _fill_assembly(assembly, form)
        if before != assembly.status:
            _publish_after_commit(assembly, "assembly.status", {"status": assembly.status})
        flash(_("Changes saved."), "success")
        return redirect(url_for("assemblies.show", assembly_id=assembly.id))


def _fill_item(item: AgendaItem, form: AgendaItemForm, assembly: Assembly) -> None:
    item.title = form.title.data.strip()
    item.kind = form.kind.data
    item.starts_at = combine(assembly.starts_at, form.starts_at.data)
    item.duration_minutes = form.duration_minutes.data
    item.description = form.description.data or ""


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour", "agenda", methods=("GET", "POST"))
class Agenda(AssemblyPage):
    """Running the agenda: its items, their buttons, and the form adding one."""

    permission = "assembly.facilitate"
    posts = "AgendaItemForm"

    def item_form(self) -> AgendaItemForm:
        form = self.form(AgendaItemForm)
        form.kind.choices = kind_choices(self.assembly)
        return form

    def get(self):
        return self.render()

    def post(self):
        form, assembly = self.item_form(), self.assembly
        if not form.validate():
            return self.invalid()
        item = AgendaItem(assembly_id=assembly.id, position=len(assembly.agenda))
        _fill_item(item, form, assembly)
        db.session.add(item)
        replay.claim(url_for("assemblies.agenda", assembly_id=assembly.id))
        _publish_after_commit(assembly, "agenda.changed", {})
        flash(_("The agenda item has been added."), "success")
        return redirect(url_for("assemblies.agenda", assembly_id=assembly.id))

    def render(self):
        form = self.item_form()
        choices = form.kind.choices
        return render_template("assemblies/agenda.html", assembly=self.assembly, commune=self.assembly.commune,
                               form=form, confirm=ConfirmForm(formdata=None),
                               kind_label=lambda code: kind_label(code, choices))

    def back(self):
        return redirect(url_for("assemblies.agenda", assembly_id=self.assembly.id))


class ItemHandler(Agenda):
    """An action on one item of the agenda, answered on the agenda's page."""

    login_required = True
    posts = ()

    def load(self, assembly_id: int, item_id: int, **_rest):
        assembly = super().load(assembly_id)
        self.item = next((item for item in assembly.agenda if item.id == item_id), None)
        if self.item is None:
            abort_with(404, _("This agenda item does not exist in this assembly."))
        return assembly


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>", "edit_item", methods=("GET", "POST"))
class EditItem(ItemHandler):
    posts = "AgendaItemForm"

    def item_form(self) -> AgendaItemForm:
        first = "AgendaItemForm" not in self._forms
        form = self.form(AgendaItemForm, obj=self.item)
        form.kind.choices = kind_choices(self.assembly)
        # ``obj=`` filled the time field with the stored datetime: the form shows (and,
        # when a post leaves the field out, keeps) the local time instead.
        if first and not form.starts_at.raw_data and self.item.starts_at:
            form.starts_at.data = local_time(self.item.starts_at)
        return form

    def post(self):
        form = self.item_form()
        if not form.validate():
            return self.invalid()
        _fill_item(self.item, form, self.assembly)
        _publish_after_commit(self.assembly, "agenda.changed", {})
        flash(_("Changes saved."), "success")
        return self.back()

    def render(self):
        return render_template("assemblies/item_form.html", assembly=self.assembly, commune=self.assembly.commune,
                               form=self.item_form(), item=self.item)


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/<any(up, down):direction>", "move_item",
       methods=("POST",))
class MoveItem(ItemHandler):
    def load(self, assembly_id: int, item_id: int, direction: str):
        self.direction = direction
        return super().load(assembly_id, item_id)

    def post(self):
        require_confirmed_post()
        items = list(self.assembly.agenda)
        index = items.index(self.item)
        target = index - 1 if self.direction == "up" else index + 1
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
            renumber(items)
            _publish_after_commit(self.assembly, "agenda.changed", {})
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/supprimer", "delete_item",
       methods=("GET", "POST"))
class DeleteItem(ItemHandler):
    """Removing an item asks first: the agenda's « Remove » opens this page, which names
    the item and removes it only when its button is pressed (no JavaScript needed)."""

    def get(self):
        return render_template("assemblies/delete_item.html", assembly=self.assembly, item=self.item,
                               commune=self.assembly.commune, confirm=ConfirmForm(formdata=None))

    def post(self):
        require_confirmed_post()
        assembly, item = self.assembly, self.item
        if assembly.current_item_id == item.id:
            assembly.current_item_id = None
        assembly.agenda.remove(item)
        renumber(assembly.agenda)
        _publish_after_commit(assembly, "agenda.changed", {})
        flash(_("The agenda item has been removed."), "success")
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/en-cours", "set_current", methods=("POST",))
class SetCurrent(Agenda):
    """The facilitator moves the meeting on to an item (or back to none)."""

    login_required = True
    posts = ()

    def post(self):
        require_confirmed_post()
        assembly = self.assembly
        raw = request.form.get("item_id", "")
        number = whole_number(raw)
        item = next((i for i in assembly.agenda if i.id == number), None) if number is not None else None
        if number is not None and item is None:
            abort_with(404, _("This agenda item does not exist in this assembly."))
        if raw and item is None:
            raise Refused(_("Unknown agenda item."), 400)
        move_to(assembly, item)
        if request.form.get("back") == "projector":
            return redirect(url_for("assemblies.projector", assembly_id=assembly.id))
        return self.back()


@route(bp, "/assemblees/<int:assembly_id>/projection", "projector")
class Projector(AssemblyPage):
    def get(self):
        assembly = self.assembly
        current = next((i for i in assembly.agenda if i.id == assembly.current_item_id), None)
        # The facilitator's screen shows the newest usable invitation, for the room to scan.
        invitation = usable_invitation(assembly) if can("assembly.facilitate", assembly) else None
        return render_template("assemblies/projector.html", assembly=assembly, current=current,
                               invitation=invitation, kind_label=self.kind_label())


@route(bp, "/assemblees/<int:assembly_id>/direct", "stream")
class Stream(AssemblyPage):
    permission = "assembly.view"

    def get(self):
        return event_stream(self.assembly)
