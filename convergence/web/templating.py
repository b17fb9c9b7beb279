"""What every template can use: permissions, hooks, formatting, Markdown."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, format_time, get_locale

from .. import hooks, permissions
from ..i18n import money, number
from .markdown import render_markdown


def when(value) -> str:
    """A meeting's moment as people say it: « lundi 7 décembre 2026, 09:00 »."""
    if not value:
        return ""
    return f"{format_date(value, 'full')}, {format_time(value, 'short')}"


CORE_LIVE_EVENTS = ("agenda.moved", "agenda.changed", "assembly.status")


def live_events(assembly) -> str:
    """Names of the events a page of ``assembly`` listens to (core's and plug-ins')."""
    names = list(CORE_LIVE_EVENTS)
    names += [name for name, _doc in hooks.collect("live-events", assembly=assembly)]
    return " ".join(names)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        can=permissions.can,
        hook=hooks.collect,
        get_locale=get_locale,
        live_events=live_events,
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
