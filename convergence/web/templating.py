"""What every template can use: permissions, hooks, formatting, Markdown."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import format_date, format_datetime, format_time, get_locale

from .. import hooks, permissions
from ..i18n import money, number
from .links import absolute_url
from .markdown import render_markdown


def when(value) -> str:
    """A meeting's moment as people say it: « lundi 7 décembre 2026, 09:00 »."""
    if not value:
        return ""
    return f"{format_date(value, 'full')}, {format_time(value, 'short')}"


CORE_LIVE_EVENTS = ("agenda.moved", "agenda.changed", "assembly.status")


def live_events(space) -> str:
    """Names of the events a page of ``space`` (an assembly or a thematic circle) listens
    to: the core's and the plug-ins' (in an assembly, those switched on there; circles have
    no switch, so every enabled plug-in's)."""
    from ..models import Circle

    if isinstance(space, Circle):
        return " ".join(name for name, _doc in hooks.collect("live-events"))
    names = list(CORE_LIVE_EVENTS)
    names += [name for name, _doc in hooks.collect("live-events", assembly=space)]
    return " ".join(names)


def live_url(space) -> str:
    """The live stream of an assembly or a thematic circle."""
    from ..models import Circle

    if isinstance(space, Circle):
        return url_for("circles.stream", circle_id=space.id)
    return url_for("assemblies.stream", assembly_id=space.id)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        absolute_url=absolute_url,
        can=permissions.can,
        hook=hooks.collect,
        get_locale=get_locale,
        live_events=live_events,
        live_url=live_url,
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
