"""What is open now: the items the home page and « Pour moi » list, gathered from the core
and from the plug-ins (hook ``open-now``, ``person-items``), each in a bounded number of
queries whatever the data.

An :class:`OpenItem` is plain values (already translated), so a page lists the items of
every plug-in the same way without knowing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, literal, or_, true

from . import hooks
from .extensions import db
from .models import Assembly, Circle, CircleRequest, Commune, ConsentAnswer, Membership
from .models.base import utcnow

#: How many items a list of the home page or of « Pour moi » shows at most.
LIMIT = 20


@dataclass(frozen=True)
class OpenItem:
    """One line of « Ouvert en ce moment » or of « Pour moi »."""

    kind: str                        # what it is, translated: « Vote », « Tour de consentement »
    title: str                       # typed by a person: shown as text
    url: str                         # its page (relative)
    where: str = ""                  # the assembly, circle or commune it belongs to
    closes_at: datetime | None = None  # naive UTC, when it closes (None: no deadline)
    opened_at: datetime | None = None  # naive UTC, when it opened: « nouveau » since the last visit
    status: str = ""                 # translated state, for a person's own items
    changed_at: datetime | None = None  # last change, for a person's own items


def switched_on(space_id, plugin_name: str):
    """SQL condition: ``plugin_name`` is switched on in the space whose id is the SQL
    expression ``space_id`` (its explicit switch, else the plug-in's default), to leave out
    of one query the spaces where a tool is off."""
    from .features import switch_column
    from .plugin_engine import enabled_plugins

    plugin = enabled_plugins().get(plugin_name)
    default = true() if plugin is not None and plugin.active_by_default else literal(False)
    return func.coalesce(switch_column(space_id, plugin_name), default) == true()


def member_spaces(user):
    """The select of the ids of the spaces where ``user`` holds a role (membership)."""
    return db.select(Membership.space_id).where(Membership.user_id == user.id)


def takes_part_in_assembly(user):
    """SQL condition on ``Assembly``: the person holds a role in the assembly or in its
    commune (a commune's roles hold in its assemblies, convergence/spaces.py)."""
    mine = member_spaces(user)
    return or_(Assembly.space_id.in_(mine),
               Assembly.commune_id.in_(db.select(Commune.id).where(Commune.space_id.in_(mine))))


def coming_assemblies(limit: int = LIMIT) -> list[Assembly]:
    """Assemblies not closed, soonest first, with their commune (one query)."""
    return list(db.session.scalars(
        db.select(Assembly).where(Assembly.status != "closed").order_by(Assembly.starts_at)
        .options(db.joinedload(Assembly.commune)).limit(limit)))


def communes(limit: int = 50) -> list[Commune]:
    return list(db.session.scalars(db.select(Commune).order_by(Commune.name).limit(limit)))


def circle_requests_for(user, limit: int = LIMIT) -> list[OpenItem]:
    """Requests to join or leave a circle the person is asked to answer: open, in a circle
    they are a member of, not about them, not answered yet (one query)."""
    now = utcnow()
    answered = db.select(ConsentAnswer.round_id).where(ConsentAnswer.user_id == user.id)
    rows = db.session.execute(
        db.select(CircleRequest, Circle.name)
        .join(Circle, Circle.id == CircleRequest.circle_id)
        .where(CircleRequest.closed_at.is_(None),
               or_(CircleRequest.deadline.is_(None), CircleRequest.deadline > now),
               Circle.space_id.in_(member_spaces(user)),
               CircleRequest.person_id != user.id,
               CircleRequest.id.not_in(answered))
        .options(db.joinedload(CircleRequest.person))
        .order_by(CircleRequest.opened_at.desc()).limit(limit)).all()
    from flask import url_for

    items = []
    for request, circle_name in rows:
        title = (_("%(name)s asks to join", name=request.person.display_name) if request.request == "join"
                 else _("%(name)s: a proposal that they leave", name=request.person.display_name))
        items.append(OpenItem(kind=_("Consent round"), title=title,
                              url=url_for("circles.show", circle_id=request.circle_id), where=circle_name,
                              closes_at=request.deadline, opened_at=request.opened_at))
    return items


def open_now(user=None, limit: int = LIMIT) -> list[OpenItem]:
    """What the plug-ins have open now (``user`` None: for anyone to see; a User: what that
    person may take part in), closing soonest first."""
    items = hooks.collect("open-now", user=user, limit=limit)
    if user is not None:
        items += circle_requests_for(user, limit)
    return sorted(items, key=_closing_order)[:limit]


def person_items(user, limit: int = LIMIT) -> list[OpenItem]:
    """What the person wrote or reported, latest change first."""
    items = hooks.collect("person-items", user=user, limit=limit)
    return sorted(items, key=lambda item: item.changed_at or datetime.min, reverse=True)[:limit]


def _closing_order(item: OpenItem):
    # Items with a deadline first (soonest first), then the others, newest first.
    return (item.closes_at is None, item.closes_at or datetime.min,
            -(item.opened_at.timestamp() if item.opened_at else 0))
