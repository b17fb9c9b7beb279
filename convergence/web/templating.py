"""What every template can use: permissions, hooks, formatting, Markdown."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, format_time, get_locale
from flask_babel.speaklater import LazyString
from markupsafe import Markup

from .. import hooks, permissions
from ..spaces import space_of
from ..tools.controllers import tools_url
from ..i18n import money, number
from .links import absolute_url
from .markdown import render_markdown


def when(value) -> str:
    """A meeting's moment as people say it: « lundi 7 décembre 2026, 09:00 »."""
    if not value:
        return ""
    return f"{format_date(value, 'full')}, {format_time(value, 'short')}"


def live_events(space) -> str:
    """Names of the events a page of ``space`` (a Space or its owner) listens to: those
    the core publishes in that kind of space and those of the plug-ins switched on there."""
    from ..spaces import space_of

    space = space_of(space)
    names = list(space.kind_info.live_events)
    names += [name for name, _doc in hooks.collect("live-events", space=space)]
    return " ".join(names)


def live_url(space) -> str:
    """The live stream of a space (a Space or its owner)."""
    from ..spaces import space_of

    return space_of(space).kind_info.stream_url(space_of(space))


def finalize(value):
    """Every ``{{ … }}`` value on its way out: a lazy translation becomes its text, so it is
    escaped like any string. Flask-Babel's LazyString answers ``__html__`` with its text,
    which autoescape takes for safe markup: a lazy label carrying what a person typed
    (« Résultats de « %(question)s » ») would otherwise reach the page as HTML."""
    if isinstance(value, LazyString):
        return str(value)
    return value


URLS_KEY = "convergence.template_urls"


def template_url_for(endpoint: str, **values) -> str:
    """``url_for`` for templates, with the address of a static file, or of a page that takes
    no argument, built once per application.

    A page names its style sheet, scripts, logo and one icon sprite per icon: about a dozen
    static addresses, each a full route build in Werkzeug, on every page and on the
    ballot's receipt, the hottest one (bench/README.md). They depend only on the endpoint,
    the file and the prefix the application is mounted under; so do the menu's and the
    footer's pages. Not kept while a URL default is registered (none is today): it could
    add to any address."""
    if not values and not endpoint.startswith("."):
        # A page without arguments (the menu's, the footer's): the same address on every page.
        key = (request.script_root if request else "", endpoint, "")
    elif values.keys() == {"filename"} and (endpoint == "static" or (
            endpoint.endswith(".static") and not endpoint.startswith("."))):
        key = (request.script_root if request else "", endpoint, values["filename"])
    else:
        return url_for(endpoint, **values)
    app = current_app._get_current_object()
    built = app.extensions[URLS_KEY]
    found = built.get(key)
    if found is None:
        found = url_for(endpoint, **values)
        if not any(app.url_default_functions.values()):  # a default could add to any address
            built[key] = found
    return found


ICON_SPRITE = "generated/icons.svg"


_ICON = Markup('<svg class="icon{}" {} focusable="false"><use href="{}#{}"></use></svg>')
_DECORATIVE = Markup('aria-hidden="true"')


@lru_cache(maxsize=1024)
def _decorative_icon(sprite: str, name: str, cls: str) -> Markup:
    return _ICON.format(f" {cls}" if cls else "", _DECORATIVE, sprite, name)


def icon(name: str, label=None, cls: str = "") -> Markup:
    """An icon of the sprite (``macros/ui.html`` exports it as ``icon``): decorative unless
    ``label`` names it for screen readers. A macro call costs more than the icon itself, and
    a page's menu alone draws seven; the decorative ones, nearly all, are kept drawn."""
    sprite = template_url_for("static", filename=ICON_SPRITE)
    if not label:
        return _decorative_icon(sprite, str(name), str(cls or ""))
    named = Markup('role="img" aria-label="{}"').format(str(label))
    return _ICON.format(f" {cls}" if cls else "", named, sprite, name)


def register_template_helpers(app: Flask) -> None:
    # Per application: each has its own routes and mount point (keyed in by request).
    app.extensions[URLS_KEY] = {}
    from .chrome import chrome  # it draws with this module's icon and addresses

    app.jinja_env.finalize = finalize
    app.jinja_env.globals.update(
        url_for=template_url_for,
        svg_icon=icon,
        chrome=chrome,
        absolute_url=absolute_url,
        can=permissions.can,
        hook=hooks.collect,
        get_locale=get_locale,
        live_events=live_events,
        live_url=live_url,
        space_of=space_of,
        tools_url=tools_url,
    )
    app.jinja_env.filters.update(
        markdown=render_markdown,
        date=lambda value, fmt="long": format_date(value, fmt) if value else "",
        datetime=lambda value, fmt="long": format_datetime(value, fmt) if value else "",
        time=lambda value, fmt="short": format_time(value, fmt) if value else "",
        when=when,
        money=money,
        number=number,
    )
