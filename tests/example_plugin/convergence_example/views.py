"""The greetings page of a commune, an assembly or a circle, and its JSON, in the core's
one request flow (convergence/web/handlers.py): load what the URL names (404) → switched
on there? → access → work → render; the flow commits, and a refusal redraws the page."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from convergence.web import replay
from convergence.web.handlers import Handler, route

from . import greetings
from .forms import GreetingForm
from .places import place_or_404
from .plugin import NAME

bp = Blueprint("example", __name__, template_folder="templates")


class PlaceHandler(Handler):
    """A page of the plug-in in one space; ``kind`` comes from the route, never from the
    class of the object."""

    feature = NAME
    kind = ""

    def load(self, **key):
        self.place = place_or_404(self.kind, *key.values())
        return self.place.space

    def access_target(self):
        return self.place  # the plug-in's rules take a Place (permissions.py)


class GreetingsPage(PlaceHandler):
    post_permission = "example.greet"

    def get(self):
        return self.render()

    def post(self):
        form = self.form(GreetingForm)
        if not form.validate():
            return self.invalid()
        greetings.leave(self.place, current_user, form.message.data)
        replay.claim(self.place.url())
        flash(_("Thank you for your greeting."), "success")
        return redirect(self.place.url())

    def render(self):
        return render_template("example/page.html", place=self.place, form=self.form(GreetingForm),
                               greetings=greetings.of(self.place))


class GreetingsJson(PlaceHandler):
    def get(self):
        return jsonify([{"message": g.message, "created_at": g.created_at.isoformat()}
                        for g in greetings.of(self.place)])


@route(bp, "/communes/<slug>/exemple", "commune_page", methods=("GET", "POST"))
class CommuneGreetings(GreetingsPage):
    kind = "commune"


@route(bp, "/assemblees/<int:assembly_id>/exemple", "assembly_page", methods=("GET", "POST"))
class AssemblyGreetings(GreetingsPage):
    kind = "assembly"


@route(bp, "/cercles/<int:circle_id>/exemple", "circle_page", methods=("GET", "POST"))
class CircleGreetings(GreetingsPage):
    kind = "circle"


@route(bp, "/communes/<slug>/exemple.json", "commune_json")
class CommuneGreetingsJson(GreetingsJson):
    kind = "commune"


@route(bp, "/assemblees/<int:assembly_id>/exemple.json", "assembly_json")
class AssemblyGreetingsJson(GreetingsJson):
    kind = "assembly"


@route(bp, "/cercles/<int:circle_id>/exemple.json", "circle_json")
class CircleGreetingsJson(GreetingsJson):
    kind = "circle"
