"""Spaces: where people meet and plug-ins work.

Every commune, assembly and thematic circle has exactly one :class:`~convergence.models.Space`
row, created with it in the same transaction (a ``before_flush`` listener below: whoever
creates a Commune, an Assembly or a Circle gets its space, the demo and tests included).
Memberships, invitations, plug-in switches (:mod:`convergence.features`) and live channels
hang on the space, so a new kind of space — a meeting's delegation, say — needs no change
in the core: a plug-in registers it with :func:`register_space_kind` from its ``init()``.

The API every page and plug-in uses::

    space = space_of(obj)      # a Space, from a Commune/Assembly/Circle, a Membership, an
                               # Invitation, or any object with a ``space`` attribute
    space.kind, space.commune, space.title, space.url, space.owner
    roles(user, space)         # convergence.permissions: the roles that hold there

A kind says what its model is, which attribute titles it, its URL, whether the commune's
roles hold in it (assemblies: yes; circles: no, only the commune's facilitators facilitate
there), which roles facilitate and manage it, its default role and the roles it offers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from . import hooks
from .extensions import db, on_commit
from .models import Assembly, Circle, Commune, Space
from .models.memberships import CIRCLE_ROLES, SPACE_ROLES

FACILITATING = frozenset({"facilitator", "admin"})
CIRCLE_FACILITATING = frozenset({"co_lead", "facilitator"})


@dataclass(frozen=True)
class SpaceKind:
    """What a kind of space means. ``model`` has a ``space_id`` column (NOT NULL UNIQUE FK
    to spaces) and a ``space`` relationship; for a kind other than "commune", a
    ``commune_id`` attribute and a ``commune`` relationship."""

    name: str
    model: type
    title_attribute: str
    url: Callable[[Any], str]
    label: Any
    #: Whether a role in the commune holds in this space too.
    commune_roles_hold: bool = False
    #: Roles held in the space itself that facilitate it (the commune's facilitators
    #: facilitate every space of their commune).
    facilitating: frozenset = FACILITATING
    #: Roles held in the space itself that manage its tools (the commune's administrators
    #: manage every space of their commune).
    managing: frozenset = frozenset({"admin"})
    default_role: str = "resident"
    roles: tuple[str, ...] = SPACE_ROLES
    #: Address of the space's « Outils » page (given the Space).
    tools_url: Callable[[Any], str] = field(
        default=lambda space: url_for("tools.space", space_id=space.id), compare=False)
    #: Live events the core publishes in this kind of space (plug-ins add theirs).
    live_events: tuple[str, ...] = ()
    #: Address of the space's live stream (given the Space).
    stream_url: Callable[[Any], str] = field(
        default=lambda space: url_for("live.space_stream", space_id=space.id), compare=False)
    #: The object whose space this kind's spaces sit in (a delegation: its meeting's
    #: assembly); None: the commune.
    parent_of: Callable[[Any], Any] | None = field(default=None, compare=False)
    #: Loads the owner from a URL argument (``?assembly=3``), 404 if absent; None: the kind
    #: is named by ``?space=<id>`` only.
    load_arg: Callable[[str], Any] | None = field(default=None, compare=False)
    #: The rule of convergence/permissions.py saying who belongs to a space of this kind
    #: (asked about its owner: a vote for its members, say); None: anyone holding a role there.
    membership_rule: str | None = None


_KINDS: dict[str, SpaceKind] = {}


def register_space_kind(kind: SpaceKind) -> SpaceKind:
    """Declare a kind of space (a plug-in calls it from ``init()``). Registering the same
    name again replaces it only with the same model: tests build many applications."""
    known = _KINDS.get(kind.name)
    if known is not None and known.model is not kind.model:
        raise ValueError(f"space kind {kind.name!r} is already registered for {known.model.__name__}")
    _KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> SpaceKind:
    return _KINDS[name]


def space_kinds() -> dict[str, SpaceKind]:
    return dict(_KINDS)


def _kind_of_model(obj) -> SpaceKind | None:
    for kind in _KINDS.values():
        if isinstance(obj, kind.model):
            return kind
    return None


def space_of(obj) -> Space:
    """The Space of ``obj``: itself, the space of a Commune/Assembly/Circle (or plug-in
    kind's object), or the space of whatever ``obj.space`` names (a Membership, an
    Invitation, a vote whose ``space`` is its assembly or circle)."""
    if isinstance(obj, Space):
        return obj
    space = getattr(obj, "space", None)
    if space is None:
        raise TypeError(f"{obj!r} has no space")
    if isinstance(space, Space) and _kind_of_model(obj) is not None:
        space.__dict__.setdefault("_owner", obj)  # known already: no query for space.owner
    return space_of(space)


@dataclass(frozen=True)
class SpaceRef:
    """What the permission layer and the switches need of a space, read without a query
    from either a Space or its owner: its id, kind and commune."""

    id: int
    kind: str
    commune_id: int | None


def space_ref(obj) -> SpaceRef:
    if isinstance(obj, SpaceRef):
        return obj
    if isinstance(obj, Space):
        return SpaceRef(obj.id, obj.kind, obj.commune_id)
    kind = _kind_of_model(obj)
    if kind is None:
        return space_ref(space_of(obj))
    commune_id = obj.id if kind.name == "commune" else obj.commune_id
    return SpaceRef(obj.space_id, kind.name, commune_id)


def space_from_args(args) -> Space | None:
    """The space named by a URL's arguments: ``?space=<id>``, or ``?<kind>=<value>`` for a
    kind that reads one (``?commune=<slug>``, ``?assembly=<id>``, ``?circle=<id>``).
    None when nothing (or a malformed value) names one; 404 when it names none that exists."""
    from .web.inputs import whole_number

    raw = args.get("space", "")
    if raw:
        number = whole_number(raw)
        space = db.session.get(Space, number) if number is not None else None
        if space is None or space.kind not in _KINDS:
            abort(404)
        return space
    for kind in _KINDS.values():
        raw = args.get(kind.name, "")
        if raw and kind.load_arg is not None:
            owner = kind.load_arg(raw)
            return None if owner is None else owner.space
    return None


# -- the core's kinds ----------------------------------------------------------------------

def _load_by_id(loader):
    def load(raw: str):
        from .web.inputs import whole_number

        number = whole_number(raw)
        return None if number is None else loader(number)

    return load


def _register_core_kinds() -> None:
    from .loaders import assembly_or_404, circle_or_404, commune_or_404

    register_space_kind(SpaceKind(
        "commune", Commune, "name", lambda c: url_for("communes.show", slug=c.slug), _l("commune"),
        tools_url=lambda s: url_for("tools.commune", slug=s.owner.slug), load_arg=commune_or_404,
        membership_rule="commune.member",
        stream_url=lambda s: url_for("live.commune_stream", slug=s.owner.slug)))
    register_space_kind(SpaceKind(
        "assembly", Assembly, "title", lambda a: url_for("assemblies.show", assembly_id=a.id), _l("assembly"),
        commune_roles_hold=True, load_arg=_load_by_id(assembly_or_404), membership_rule="assembly.participate",
        live_events=("agenda.moved", "agenda.changed", "assembly.status"),
        stream_url=lambda s: url_for("assemblies.stream", assembly_id=s.owner.id),
        tools_url=lambda s: url_for("tools.assembly", assembly_id=s.owner.id)))
    register_space_kind(SpaceKind(
        "circle", Circle, "name", lambda c: url_for("circles.show", circle_id=c.id), _l("circle"),
        facilitating=CIRCLE_FACILITATING, managing=frozenset({"co_lead"}), default_role="member",
        roles=CIRCLE_ROLES, load_arg=_load_by_id(circle_or_404), membership_rule="circle.member",
        tools_url=lambda s: url_for("tools.circle", circle_id=s.owner.id),
        stream_url=lambda s: url_for("circles.stream", circle_id=s.owner.id)))


_register_core_kinds()


# -- a space for every new owner, in the same transaction -----------------------------------

@event.listens_for(Session, "before_flush")
def _create_spaces(session, _context, _instances) -> None:
    owners = [(kind, obj) for obj in session.new
              if (kind := _kind_of_model(obj)) is not None
              and obj.space_id is None and obj.__dict__.get("space") is None]
    if not owners:
        return
    # Communes first: an assembly created in the same flush as its commune hangs under it.
    owners.sort(key=lambda pair: pair[0].name != "commune")
    with session.no_autoflush:
        for kind, obj in owners:
            space = Space(kind=kind.name)
            if kind.name == "commune":
                space.commune = obj
            else:
                commune = obj.__dict__.get("commune") or session.get(Commune, obj.commune_id)
                if commune.id is not None:
                    space.commune_id = commune.id  # in the INSERT: no UPDATE after it
                else:
                    space.commune = commune
                parent = commune if kind.parent_of is None else kind.parent_of(obj)
                if parent.space_id is not None:
                    space.parent_id = parent.space_id
                else:
                    space.parent = parent.space
            obj.space = space
            session.add(space)
            # ``space-created`` once the creating transaction has committed, never if it rolls back.
            on_commit(session, lambda space=space: hooks.space_created.send(space))
