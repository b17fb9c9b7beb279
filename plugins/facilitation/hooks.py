"""What live facilitation contributes to the core's hooks (convergence/hooks.py)."""

from __future__ import annotations

import secrets

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from convergence.extensions import db
from convergence.web.links import absolute_url

from .item_rounds import ROUND_CHANGED
from .models import ItemNotes, NoteTaker, SpeakingRequest
from .speakers import FLOOR_GIVEN, LIST_CHANGED, TIMER_CHANGED


def connect(plugin) -> None:
    plugin.connect_hook("assembly-nav", assembly_nav)
    plugin.connect_hook("assembly-panels", assembly_panels)
    plugin.connect_hook("live-events", live_events)
    plugin.connect_hook("exports", exports)
    plugin.connect_hook("user-data", user_data)
    plugin.connect_hook("account-erasure-summary", erasure_summary)
    plugin.connect_hook("account-erasing", erase)
    from . import demo

    plugin.connect_hook("demo-content", demo.load)


def assembly_nav(assembly):
    return [(_l("Speaking list"), url_for("facilitation.current", assembly_id=assembly.id)),
            (_l("Minutes"), url_for("facilitation.minutes", assembly_id=assembly.id))]


def assembly_panels(assembly):
    return [Markup(render_template("facilitation/_panel.html", assembly=assembly))]


def live_events():
    return [(LIST_CHANGED, _l("A request to speak was made, withdrawn, or the list closed.")),
            (FLOOR_GIVEN, _l("Someone was given the floor, or a turn ended.")),
            (TIMER_CHANGED, _l("The speaking timer was started, paused or reset.")),
            (ROUND_CHANGED, _l("A consent round on the item under way was opened, answered or closed."))]


def exports(target, kind):
    if kind != "assembly":
        return []
    return [(_("Minutes (Markdown)"), absolute_url("facilitation.minutes_markdown", assembly_id=target.id)),
            (_("Speaking statistics (CSV)"), absolute_url("facilitation.statistics_csv", assembly_id=target.id))]


def user_data(user):
    rows = db.session.scalars(db.select(SpeakingRequest).where(SpeakingRequest.user_id == user.id)
                              .order_by(SpeakingRequest.id)).all()
    return {"facilitation_speaking_requests": [
        {"assembly_id": r.assembly_id, "agenda_item_id": r.item_id, "kind": r.kind, "list": r.group,
         "state": r.state, "asked_at": r.asked_at.isoformat(), "seconds_spoken": round(r.counted)}
        for r in rows]}


def _count(user) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(SpeakingRequest)
                             .where(SpeakingRequest.user_id == user.id))


def erasure_summary(user):
    count = _count(user)
    if not count:
        return []
    # The turns stay counted in the speaking statistics either way; the name goes.
    return [(ngettext("%(num)d request to speak", "%(num)d requests to speak", count),
             _("stay counted in the statistics, without the name"),
             _("stay counted in the statistics, without the name"))]


def erase(user, keep_contributions):
    anonymous = _("deleted account")
    # Waiting requests go (nobody will answer them); turns given stay, unlinked, so the
    # statistics of past meetings do not change. The person key stays the same for all of
    # the person's turns (the first-time figures hold) but is random: it names nobody.
    db.session.execute(db.delete(SpeakingRequest).where(SpeakingRequest.user_id == user.id,
                                                        SpeakingRequest.state == "waiting"))
    db.session.execute(db.update(SpeakingRequest).where(SpeakingRequest.user_id == user.id)
                       .values(user_id=None, name=anonymous, person=f"x:{secrets.token_hex(8)}"))
    db.session.execute(db.update(ItemNotes).where(ItemNotes.updated_by_id == user.id).values(updated_by_id=None))
    db.session.execute(db.delete(NoteTaker).where(NoteTaker.user_id == user.id))
