"""A space's « Outils » page: which enabled plug-ins are switched on there, and the
settings of those switched on.

One page for every kind of space (commune, assembly, circle, a plug-in's kind), decided by
``space.manage_features`` (convergence/permissions.py). Only a POST writes: switches, the
plug-ins' ``on_enabled``/``on_disabled`` and settings, journalled, in one transaction; the
``plugin-toggled`` signals follow the commit. A refused change shows the page again with
the message and what the person sent (422), and writes nothing.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from .. import features
from ..extensions import db
from ..permissions import require
from ..space_settings import settings_of, write_settings
from ..spaces import space_of
from ..web.forms import ConfirmForm, require_confirmed_post
from .settings_form import settings_form, values


def tools_url(space) -> str:
    """The « Outils » page of a space (a Space or its owner)."""
    space = space_of(space)
    return space.kind_info.tools_url(space)


def _settings_forms(space, available, active, posted_plugin=None):
    return [settings_form(plugin, settings_of(space, name), posted=(name == posted_plugin))
            for name, plugin in available.items() if name in active and plugin.space_settings]


@login_required
def page(owner):
    space = space_of(owner)
    require("space.manage_features", space)
    available = features.available_plugins(space)
    section = request.form.get("section", "switches") if request.method == "POST" else None
    if section is not None and section.startswith("settings:"):
        return _save_settings(space, available, section.removeprefix("settings:"))
    status, wanted = 200, None
    if section is not None:
        require_confirmed_post()
        wanted = set(request.form.getlist("plugin")) & set(available)
        try:
            changes = features.switch(space, wanted)
        except features.SwitchRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
            status = 422
        else:
            db.session.commit()
            features.announce(space, changes)
            flash(_("The tools have been updated."), "success")
            return redirect(tools_url(space))
    active = features.active_plugin_names(space)
    return _render(space, available, wanted if wanted is not None else active,
                   _settings_forms(space, available, active)), status


def _save_settings(space, available, name: str):
    active = features.active_plugin_names(space)
    if name not in available or name not in active or not available[name].space_settings:
        require_confirmed_post()
        flash(_("This tool is not switched on here: its settings cannot be changed."), "error")
        return _render(space, available, active, _settings_forms(space, available, active)), 422
    forms = _settings_forms(space, available, active, posted_plugin=name)
    form = next(f for f in forms if f.plugin.name == name)
    if not form.validate_on_submit():
        return _render(space, available, active, forms), 422
    changed = write_settings(space, name, values(form))
    db.session.commit()
    flash(_("Settings saved.") if changed else _("Nothing has changed."), "success")
    return redirect(tools_url(space))


def _render(space, available, active, forms):
    return render_template("tools/page.html", space=space, owner=space.owner, available=available,
                           active=active, settings_forms=forms, confirm=ConfirmForm())
