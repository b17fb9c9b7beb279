"""/styleguide: the living style guide, in development only (404 unless ``app.debug`` or the
STYLEGUIDE setting, CONVERGENCE_STYLEGUIDE=1): it shows sample data, not the platform's."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from ..assets import ICONS
from ..web.handlers import Handler, route
from . import palette
from .forms import SampleForm

bp = Blueprint("styleguide", __name__)


def enabled() -> bool:
    return bool(current_app.debug or current_app.config.get("STYLEGUIDE"))


@route(bp, "/styleguide", "index")
class StyleGuide(Handler):
    def load(self):
        if not enabled():
            abort(404)
        return None

    def get(self):
        return self.render()

    def render(self):
        wrong = SampleForm(formdata=None, prefix="wrong")
        wrong.validate()  # every error shown, as after a send with nothing filled in
        return render_template("styleguide/index.html", form=SampleForm(formdata=None), wrong=wrong,
                               pairs=palette.PAIRS, colours=palette.COLOURS, icons=ICONS)
