from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone, to_utc
from flask_login import login_required

from .. import audit, hooks, live
from ..extensions import db
from ..live.stream import event_stream
from ..loaders import assembly_or_404, commune_or_404
from ..models import AgendaItem, Assembly
from ..invitations.queries import usable_invitation
from ..permissions import can, require
from ..web.errors import abort_with
from ..web import replay
from ..web.forms import ConfirmForm, form_status, require_confirmed_post
from ..web.inputs import whole_number
from .agenda import combine, kind_choices, kind_label, local_time, renumber
from .forms import AgendaItemForm, AssemblyForm


@login_required
def create(slug: str):
    commune = commune_or_404(slug)
    require("commune.facilitate", commune)
    form = AssemblyForm()
    if form.validate_on_submit():
        assembly = Assembly(commune_id=commune.id)
        _fill_assembly(assembly, form)
        db.session.add(assembly)
        db.session.flush()
        replay.claim(url_for("assemblies.agenda", assembly_id=assembly.id))
        audit.record("assembly.created", commune_id=commune.id, target=assembly.title)
        db.session.commit()
        hooks.assembly_created.send(assembly)
        flash(_("The assembly has been created. Now set its agenda."), "success")
        return redirect(url_for("assemblies.agenda", assembly_id=assembly.id))
    return render_template("assemblies/form.html", form=form, commune=commune, assembly=None), form_status(form)


def _local(moment):
    return to_user_timezone(moment).replace(tzinfo=None) if moment else None


def _fill_assembly(assembly: Assembly, form: AssemblyForm) -> None:
    form.populate_obj(assembly)
    assembly.starts_at = to_utc(form.starts_at.data)
    assembly.ends_at = to_utc(form.ends_at.data) if form.ends_at.data else None


def show(assembly_id: int):
    assembly = assembly_or_404(assembly_id)
    choices = kind_choices(assembly)
    return render_template("assemblies/show.html", assembly=assembly, commune=assembly.commune,
                           kind_label=lambda code: kind_label(code, choices),
                           confirm=ConfirmForm())


@login_required
def edit(assembly_id: int):
    assembly = assembly_or_404(assembly_id)
    require("assembly.facilitate", assembly)
    form = AssemblyForm(obj=assembly)
    if not form.is_submitted():
        # Stored in UTC, typed and shown in the assembly's local time.
        form.starts_at.data = _local(assembly.starts_at)
        form.ends_at.data = _local(assembly.ends_at)
    if form.validate_on_submit():
        before = assembly.status
        _fill_assembly(assembly, form)
        db.session.commit()
        if before != assembly.status:
            live.publish(assembly, "assembly.status", {"status": assembly.status})
        flash(_("Changes saved."), "success")
        return redirect(url_for("assemblies.show", assembly_id=assembly.id))
    return render_template("assemblies/form.html", form=form, commune=assembly.commune,
                           assembly=assembly), form_status(form)


def _item_form(assembly, item=None) -> AgendaItemForm:
    form = AgendaItemForm(obj=item) if item else AgendaItemForm()
    form.kind.choices = kind_choices(assembly)
    # ``obj=`` filled the time field with the stored datetime: the form shows (and, when a
    # post leaves the field out, keeps) the local time instead.
    if item is not None and not form.starts_at.raw_data and item.starts_at:
        form.starts_at.data = local_time(item.starts_at)
    return form


def _fill_item(item: AgendaItem, form: AgendaItemForm, assembly: Assembly) -> None:
    item.title = form.title.data.strip()
    item.kind = form.kind.data
    item.starts_at = combine(assembly.starts_at, form.starts_at.data)
    item.duration_minutes = form.duration_minutes.data
    item.description = form.description.data or ""


def agenda(assembly_id: int):
    assembly = assembly_or_404(assembly_id)
    require("assembly.facilitate", assembly)
    form = _item_form(assembly)
    if form.validate_on_submit():
        item = AgendaItem(assembly_id=assembly.id, position=len(assembly.agenda))
        _fill_item(item, form, assembly)
        db.session.add(item)
        replay.claim(url_for("assemblies.agenda", assembly_id=assembly.id))
        db.session.commit()
        live.publish(assembly, "agenda.changed", {})
        flash(_("The agenda item has been added."), "success")
        return redirect(url_for("assemblies.agenda", assembly_id=assembly.id))
    choices = form.kind.choices
    return render_template("assemblies/agenda.html", assembly=assembly, commune=assembly.commune,
                           form=form, confirm=ConfirmForm(),
                           kind_label=lambda code: kind_label(code, choices)), form_status(form)


def _item_or_404(assembly: Assembly, item_id: int) -> AgendaItem:
    for item in assembly.agenda:
        if item.id == item_id:
            return item
    abort_with(404, _("This agenda item does not exist in this assembly."))


@login_required
def edit_item(assembly_id: int, item_id: int):
    assembly = assembly_or_404(assembly_id)
    require("assembly.facilitate", assembly)
    item = _item_or_404(assembly, item_id)
    form = _item_form(assembly, item)
    if form.validate_on_submit():
        _fill_item(item, form, assembly)
        db.session.commit()
        live.publish(assembly, "agenda.changed", {})
        flash(_("Changes saved."), "success")
        return redirect(url_for("assemblies.agenda", assembly_id=assembly.id))
    return render_template("assemblies/item_form.html", assembly=assembly, commune=assembly.commune,
                           form=form, item=item), form_status(form)


@login_required
def move_item(assembly_id: int, item_id: int, direction: str):
    assembly = assembly_or_404(assembly_id)
    require("assembly.facilitate", assembly)
    require_confirmed_post()
    item = _item_or_404(assembly, item_id)
    items = list(assembly.agenda)
    index = items.index(item)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        renumber(items)
        db.session.commit()
        live.publish(assembly, "agenda.changed", {})
    return redirect(url_for("assemblies.agenda", assembly_id=assembly.id))


@login_required
def delete_item(assembly_id: int, item_id: int):
    assembly = assembly_or_404(assembly_id)
    require("assembly.facilitate", assembly)
    require_confirmed_post()
    item = _item_or_404(assembly, item_id)
    if assembly.current_item_id == item.id:
        assembly.current_item_id = None
    assembly.agenda.remove(item)
    renumber(assembly.agenda)
    db.session.commit()
    live.publish(assembly, "agenda.changed", {})
    flash(_("The agenda item has been removed."), "success")
    return redirect(url_for("assemblies.agenda", assembly_id=assembly.id))


@login_required
def set_current(assembly_id: int):
    """The facilitator moves the meeting on to an item (or back to none)."""
    assembly = assembly_or_404(assembly_id)
    require("assembly.facilitate", assembly)
    require_confirmed_post()
    raw = request.form.get("item_id", "")
    number = whole_number(raw)
    item = _item_or_404(assembly, number) if number is not None else None
    if raw and item is None:
        abort_with(400, _("Unknown agenda item."))
    assembly.current_item_id = item.id if item else None
    db.session.commit()
    hooks.agenda_moved_on.send(assembly, item=item)
    live.publish(assembly, "agenda.moved", {"item_id": assembly.current_item_id,
                                               "title": item.title if item else ""})
    return redirect(request.form.get("back") == "projector"
                    and url_for("assemblies.projector", assembly_id=assembly.id)
                    or url_for("assemblies.agenda", assembly_id=assembly.id))


def projector(assembly_id: int):
    assembly = assembly_or_404(assembly_id)
    choices = kind_choices(assembly)
    current = next((i for i in assembly.agenda if i.id == assembly.current_item_id), None)
    # The facilitator's screen shows the newest usable invitation, for the room to scan.
    invitation = usable_invitation(assembly) if can("assembly.facilitate", assembly) else None
    return render_template("assemblies/projector.html", assembly=assembly, current=current,
                           invitation=invitation, kind_label=lambda code: kind_label(code, choices))


def stream(assembly_id: int):
    assembly = assembly_or_404(assembly_id)
    require("assembly.view", assembly)
    return event_stream(assembly)
