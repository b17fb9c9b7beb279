"""What majority judgment contributes to the core's hooks (convergence/hooks.py)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from convergence.extensions import db
from convergence.web.links import absolute_url

from . import erasure
from .loading import votes_of
from .models import Participation, Vote
from .status import LIVE_EVENTS, OPEN, results_visible, status

# Votes belong to an assembly or a circle; a commune publishes none of its own.
_VOTE_SPACE = {"assembly": Vote.assembly_id, "circle": Vote.circle_id}


def connect(plugin) -> None:
    plugin.connect_hook("assembly-nav", assembly_nav)
    plugin.connect_hook("assembly-panels", assembly_panels)
    # Circle votes: a link and a panel on the circle page, when the core offers the hooks
    # (the page /cercles/<id>/votes is reachable by URL in any case).
    from convergence.hooks import HOOKS

    if "circle-nav" in HOOKS:
        plugin.connect_hook("circle-nav", circle_nav)
    if "circle-panels" in HOOKS:
        plugin.connect_hook("circle-panels", circle_panels)
    plugin.connect_hook("agenda-item-kinds", agenda_item_kinds)
    plugin.connect_hook("agenda-item-actions", agenda_item_actions)
    plugin.connect_hook("room-display", room_display)
    plugin.connect_hook("exports", exports)
    plugin.connect_hook("user-data", user_data)
    plugin.connect_hook("account-erasure-summary", erasure.summary)
    plugin.connect_hook("account-erasing", erasure.erase)
    plugin.connect_hook("live-events", live_events)
    plugin.connect_hook("counting-methods", counting_methods)
    from . import open_now  # home page, « Pour moi », mails, one-tap actions, demo

    open_now.connect(plugin)


def assembly_nav(assembly):
    return [(_l("Votes"), url_for("mj.index", assembly_id=assembly.id))]


def _open_votes_panel(votes, **context):
    votes = [v for v in votes if status(v) == OPEN]
    if not votes:
        return []
    return [Markup(render_template("mj/_panel.html", votes=votes, **context))]


def assembly_panels(assembly):
    return _open_votes_panel(votes_of(Vote.assembly_id, assembly.id), assembly=assembly)


def circle_nav(circle):
    return [(_l("Votes"), url_for("mj.circle_index", circle_id=circle.id))]


def circle_panels(circle):
    return _open_votes_panel(votes_of(Vote.circle_id, circle.id))


def agenda_item_actions(assembly, item):
    """One tap from the facilitation console: the new-vote form, its question the item's."""
    return [(_l("Open a vote on this item"), url_for("mj.create", assembly_id=assembly.id, question=item.title))]


def room_display(assembly, item):
    """The votes open in the assembly, in the room display's large type."""
    votes = [v for v in votes_of(Vote.assembly_id, assembly.id) if status(v) == OPEN]
    if not votes:
        return []
    return [Markup(render_template("mj/_room.html", votes=votes))]


def agenda_item_kinds():
    return [("vote_jm", _l("Majority-judgment vote"))]


def exports(target, kind):
    column = _VOTE_SPACE.get(kind)
    if column is None:
        return []
    entries = []
    for vote in votes_of(column, target.id):
        if results_visible(vote):
            # gettext, not lazy_gettext: a lazy string passes Jinja's autoescape untouched
            # (its __html__ is its text), and the question is typed by a person.
            entries.append((_("Results of « %(question)s » (CSV)", question=vote.question),
                            absolute_url("mj.results_csv", vote_id=vote.id)))
            entries.append((_("Results of « %(question)s » (JSON)", question=vote.question),
                            absolute_url("mj.results_json", vote_id=vote.id)))
    return entries


def user_data(user):
    # That the person took part, never what they voted: ballots are not linked to anyone.
    rows = db.session.execute(
        db.select(Vote.id, Vote.question, Vote.assembly_id, Vote.circle_id)
        .join(Participation, Participation.box_id == Vote.box_id)
        .where(Participation.user_id == user.id)
        .order_by(Vote.id)
    ).all()
    return {"mj_participations": [
        {"vote_id": vote_id, "question": question, "assembly_id": assembly_id, "circle_id": circle_id}
        for vote_id, question, assembly_id, circle_id in rows
    ]}


def counting_methods():
    from .ballots import MAJORITY_JUDGMENT

    return [MAJORITY_JUDGMENT]


def live_events():
    return list(LIVE_EVENTS)
