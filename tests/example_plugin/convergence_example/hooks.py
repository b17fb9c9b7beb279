"""What the example contributes to the core's hooks (convergence/hooks.py)."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from convergence.web.links import absolute_url

from . import greetings
from .places import Place, switched_on


def connect(plugin) -> None:
    plugin.connect_hook("assembly-nav", assembly_nav)
    plugin.connect_hook("circle-nav", circle_nav)
    plugin.connect_hook("commune-panels", commune_panel)
    plugin.connect_hook("exports", exports)
    plugin.connect_hook("user-data", user_data)
    plugin.connect_hook("account-erasure-summary", erasure_summary)
    plugin.connect_hook("account-erasing", greetings.erase)


def assembly_nav(assembly):
    # The core leaves out the plug-ins switched off in the assembly.
    return [(_l("Greetings"), Place("assembly", assembly).url())]


def circle_nav(circle):
    place = Place("circle", circle)
    return [(_l("Greetings"), place.url())] if switched_on(place) else []


def commune_panel(commune):
    place = Place("commune", commune)
    if not switched_on(place):
        return []
    return [Markup(render_template("example/_panel.html", place=place))]


def exports(target, kind):
    place = Place(kind, target)
    if not switched_on(place):
        return []
    return [(_l("Greetings (JSON)"), absolute_url(f"example.{kind}_json", **place.key))]


def user_data(user):
    return {"example_greetings": [{"message": g.message, "created_at": g.created_at.isoformat()}
                                  for g in greetings.written_by(user)]}


def erasure_summary(user):
    count = greetings.count_by(user)
    if not count:
        return []
    return [(ngettext("%(num)d greeting", "%(num)d greetings", count),
             _("stay, signed « deleted account »"), _("are deleted"))]
