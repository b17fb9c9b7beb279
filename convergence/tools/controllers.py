"""A space's « Outils » page: which enabled plug-ins are switched on there, and the
settings of those switched on.

One page for every kind of space (commune, assembly, circle, a plug-in's kind), decided by
``space.manage_features`` (convergence/permissions.py). Only a POST writes: switches, the
plug-ins' ``on_enabled``/``on_disabled`` and settings, journalled, in the flow's one
transaction; the ``plugin-toggled`` signals follow the commit. A refused change shows the
page again with the message and what the person sent (422), and writes nothing.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _

from .. import features
from ..extensions import db, on_commit
from ..loaders import assembly_or_404, circle_or_404, commune_or_404
from ..models import Space
from ..refusal import Refused
from ..space_settings import settings_of, write_settings
from ..spaces import space_of
from ..web.forms import ConfirmForm, require_confirmed_post
from ..web.handlers import Handler, route
from .settings_form import settings_form, values

bp = Blueprint("tools", __name__)


def tools_url(space) -> str:
    """The « Outils » page of a space (a Space or its owner)."""
    space = space_of(space)
    return space.kind_info.tools_url(space)


class ToolsPage(Handler):
    login_required = True
    permission = "space.manage_features"

    def __init__(self) -> None:
        super().__init__()
        self.wanted = None  # the switches sent, shown again when refused
        self.posted_settings = None  # the plug-in whose settings were sent

    def load(self, **key):
        self.owner_of(**key)
        return space_of(self.owner)

    def get(self):
        return self.render()

    def post(self):
        self.available = features.available_plugins(self.space)
        section = request.form.get("section", "switches")
        if section.startswith("settings:"):
            return self.save_settings(section.removeprefix("settings:"))
        require_confirmed_post()
        self.wanted = set(request.form.getlist("plugin")) & set(self.available)
        try:
            changes = features.switch(self.space, self.wanted)
        except features.SwitchRefused as refusal:
            raise Refused(str(refusal), 422) from None
        on_commit(db.session, lambda space=self.space: self.announce(space, changes))
        flash(_("The tools have been updated."), "success")
        return redirect(tools_url(self.space))

    @staticmethod
    def announce(space, changes) -> None:
        db.session.refresh(space)  # loaded again after the commit: receivers may keep it
        features.announce(space, changes)

    def save_settings(self, name: str):
        active = features.active_plugin_names(self.space)
        if name not in self.available or name not in active or not self.available[name].space_settings:
            require_confirmed_post()
            raise Refused(_("This tool is not switched on here: its settings cannot be changed."), 422)
        self.posted_settings = name
        form = next(f for f in self.settings_forms() if f.plugin.name == name)
        if not form.validate():
            return self.invalid()
        changed = write_settings(self.space, name, values(form))
        flash(_("Settings saved.") if changed else _("Nothing has changed."), "success")
        return redirect(tools_url(self.space))

    def settings_forms(self):
        if "settings" not in self._forms:
            available, active = features.available_plugins(self.space), features.active_plugin_names(self.space)
            self._forms["settings"] = [
                settings_form(plugin, settings_of(self.space, name), posted=(name == self.posted_settings))
                for name, plugin in available.items() if name in active and plugin.space_settings]
        return self._forms["settings"]

    def render(self):
        space = self.space
        active = self.wanted if self.wanted is not None else features.active_plugin_names(space)
        return render_template("tools/page.html", space=space, owner=space.owner,
                               available=features.available_plugins(space), active=active,
                               settings_forms=self.settings_forms(), confirm=ConfirmForm(formdata=None))


@route(bp, "/communes/<slug>/outils", "commune", methods=("GET", "POST"))
class CommuneTools(ToolsPage):
    def owner_of(self, slug: str):
        self.owner = commune_or_404(slug)


@route(bp, "/assemblees/<int:assembly_id>/outils", "assembly", methods=("GET", "POST"))
class AssemblyTools(ToolsPage):
    def owner_of(self, assembly_id: int):
        self.owner = assembly_or_404(assembly_id)


@route(bp, "/cercles/<int:circle_id>/outils", "circle", methods=("GET", "POST"))
class CircleTools(ToolsPage):
    def owner_of(self, circle_id: int):
        self.owner = circle_or_404(circle_id)


# Kinds that plug-ins register have no address of their own here.
@route(bp, "/espaces/<int:space_id>/outils", "space", methods=("GET", "POST"))
class SpaceTools(ToolsPage):
    def owner_of(self, space_id: int):
        space = db.session.get(Space, space_id)
        if space is None:
            abort(404)
        self.owner = space
