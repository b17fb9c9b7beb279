"""mj's share of « Ouvert en ce moment » (home page), of « Pour moi » and of the mails
sent when a vote opens (hooks ``open-now`` and ``opening-audience``): one query each."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, or_

from convergence.extensions import db
from convergence.models import Assembly, Circle, Commune
from convergence.models.base import utcnow
from convergence.open_now import OpenItem, member_spaces, switched_on, takes_part_in_assembly

from .models import Participation, Vote
from .status import PHASE_KIND


def _open(now):
    return and_(Vote.opens_at.is_not(None), Vote.opens_at <= now,
                or_(Vote.closes_at.is_(None), Vote.closes_at > now))


def _where_switched_on():
    return or_(and_(Vote.assembly_id.is_not(None), switched_on(Assembly.space_id, "mj")),
               and_(Vote.circle_id.is_not(None), switched_on(Circle.space_id, "mj")))


def _voter_condition(user):
    """The person votes in it: a member of its assembly (or of the assembly's commune), of
    its circle, or of the circle's commune for a vote open to the commune; never by codes."""
    mine = member_spaces(user)
    circle_commune = db.select(Commune.id).where(Commune.space_id.in_(mine))
    return and_(Vote.voters != "codes", or_(
        and_(Vote.assembly_id.is_not(None), takes_part_in_assembly(user)),
        and_(Vote.circle_id.is_not(None), Circle.space_id.in_(mine)),
        and_(Vote.circle_id.is_not(None), Vote.voters == "commune", Circle.commune_id.in_(circle_commune))))


def _select():
    return (db.select(Vote.id, Vote.question, Vote.opens_at, Vote.closes_at, Assembly.title, Circle.name)
            .outerjoin(Assembly, Assembly.id == Vote.assembly_id)
            .outerjoin(Circle, Circle.id == Vote.circle_id))


def open_now(user, limit):
    now = utcnow()
    query = _select().where(_open(now), _where_switched_on())
    if user is not None:
        voted = db.select(Participation.box_id).where(Participation.user_id == user.id)
        query = query.where(_voter_condition(user), Vote.box_id.not_in(voted))
    rows = db.session.execute(query.order_by(Vote.opens_at.desc()).limit(limit)).all()
    return [OpenItem(kind=_("Majority-judgment vote"), title=question, url=url_for("mj.show", vote_id=vote_id),
                     where=assembly_title or circle_name or "", closes_at=closes_at, opened_at=opens_at)
            for vote_id, question, opens_at, closes_at, assembly_title, circle_name in rows]


def opening_audience(kind, subject_id):
    """The vote that just opened and who votes in it (for the mails of convergence.notifications)."""
    from convergence.models import Membership
    from convergence.notifications import Opening
    from convergence.web.links import absolute_url

    if kind != PHASE_KIND:
        return None
    vote = db.session.get(Vote, subject_id)
    if vote is None or vote.voters == "codes":
        return None
    if vote.circle_id is not None:
        spaces = [vote.circle.space_id] + ([vote.circle.commune.space_id] if vote.voters == "commune" else [])
    else:
        spaces = [vote.assembly.space_id, vote.assembly.commune.space_id]
    people = db.select(Membership.user_id).where(Membership.space_id.in_(spaces))
    return Opening(kind="vote", title=vote.question, where=vote.space_title,
                   url=absolute_url("mj.show", vote_id=vote.id), closes_at=vote.closes_at, people=people)


def connect(plugin) -> None:
    """Called from the plug-in's ``init()``: this module's hooks, and the demo's votes."""
    from . import demo

    plugin.connect_hook("open-now", open_now)
    plugin.connect_hook("opening-audience", opening_audience)
    plugin.connect_hook("demo-content", demo.load)
    plugin.connect_hook("demo-ballots", demo.cast_by_codes)
