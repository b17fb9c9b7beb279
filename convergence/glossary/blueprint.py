"""``/glossaire`` and ``explain(slug)``, the one-line explanation any template may use
(core and plug-ins alike: it is a template global, no import needed)."""

from __future__ import annotations

import unicodedata

from flask import Blueprint, current_app, get_template_attribute, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from ..web.handlers import Handler, route
from .terms import BY_SLUG, TERMS

bp = Blueprint("glossary", __name__)


def _sort_key(term) -> str:
    # Alphabetical as a reader expects it: « Écart » among the E, not after Z.
    name = unicodedata.normalize("NFKD", str(term.name))
    return "".join(c for c in name if not unicodedata.combining(c)).casefold()


DRAWN_KEY = "convergence.glossary_drawn"


@bp.app_template_global("explain")
def explain(slug: str) -> Markup:
    """The short ``<details>`` explaining the word ``slug`` (a key of ``terms.BY_SLUG``: an
    unknown one fails, so a misspelt call is caught by the first test drawing the page).

    Drawn once per language (and mount prefix) per application: it is fixed text, and the
    ballot's receipt page, the hottest of all, shows one."""
    key = (str(get_locale()), request.script_root if request else "", slug)
    drawn_ones = current_app.extensions.setdefault(DRAWN_KEY, {})
    drawn = drawn_ones.get(key)
    if drawn is None:
        drawn = drawn_ones[key] = get_template_attribute("macros/glossary.html", "explain")(BY_SLUG[slug])
    return drawn


@route(bp, "/glossaire", "index")
class GlossaryPage(Handler):
    def get(self):
        return render_template("glossary/index.html", terms=sorted(TERMS, key=_sort_key))
