"""Who may do what: the one place where access is decided.

A rule is a small predicate ``(user, target) -> bool`` — or ``(user, target, context)``
when it needs more than the target (``can(action, target, key=value)`` passes them) —
registered under an action name. Controllers call :func:`require` (403 when refused);
templates call :func:`can`. Plug-ins register their own actions with :func:`rule` from
their ``init()``, widen an existing one with :func:`extend_rule` (OR-ed with it, never
replacing it), and give people roles of their own through the ``space-roles`` hook.

Roles belong to a space (convergence/spaces.py). A role in a commune holds in its
assemblies too, so a commune's facilitator facilitates its assemblies; in a thematic
circle only the circle's own roles hold, and the commune's facilitators facilitate it; a
role in an assembly or a circle holds there only. Site administrators may do everything,
except what a person's voice counts for (casting a ballot, supporting, signing, answering a
consent round): those rights come from membership only (``rule(action,
membership_only=True)``), so running the site gives no ballot.

What each role offered grants (also in the README):

=============  =========================================================================
Commune or assembly (SPACE_ROLES)
-----------------------------------------------------------------------------------------
resident       Member: sees the members, takes part (votes « members », supports,
               comments, answers consent rounds, writes proposals, reports needs).
guarantor      A resident's rights, shown on the members page as the person who watches
               that the assembly's process is respected; no further right, on purpose:
               a guarantor does not run what they guarantee.
elected        A resident's rights, shown as an elected member of the municipality:
               an elected member takes part with the same voice as anyone, no more.
facilitator    A resident's rights, and facilitates: plans assemblies and runs their
               agenda, creates circles and facilitates them, runs votes and consent
               rounds, invites, consolidates needs.
admin          A facilitator's rights, and manages: edits the commune, offers and
               withdraws roles, switches the tools of the commune and its spaces.
Circle (CIRCLE_ROLES)
-----------------------------------------------------------------------------------------
member         Member of the circle: votes of the circle's members, its pages.
guarantor      A member's rights, shown as the circle's guarantor (as above).
facilitator    A member's rights, and facilitates the circle: records entries and
               exits, edits it, runs its votes, invites.
co_lead        A facilitator's rights, and switches the circle's tools.
=============  =========================================================================
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from contextvars import ContextVar

from flask import abort, g
from flask_login import current_user

from . import hooks
from .extensions import db
from .models import Assembly, Circle, Commune, Membership, Space
from .spaces import CIRCLE_FACILITATING, FACILITATING, kind_of, space_ref

Rule = Callable[..., bool]
_RULES: dict[str, Rule] = {}
_EXTENSIONS: dict[str, list[Rule]] = {}
_MEMBERSHIP_ONLY: set[str] = set()
# Set while a membership-only rule is decided, so the checks it makes in turn
# (« is a member of the commune? ») do not grant administrators either.
_by_roles_only: ContextVar[bool] = ContextVar("convergence_by_roles_only", default=False)

__all__ = ["CIRCLE_FACILITATING", "FACILITATING", "can", "extend_rule", "require", "roles", "rule"]


def rule(action: str, *, membership_only: bool = False):
    """Register the predicate deciding ``action``; one predicate per action.

    ``membership_only``: the site administrator's general right does not apply; only the
    person's roles decide (a voice that counts in a decision).
    """

    def register(function: Rule) -> Rule:
        if action in _RULES and _RULES[action] is not function:
            raise ValueError(f"a rule for {action!r} is already registered")
        _RULES[action] = function
        if membership_only:
            _MEMBERSHIP_ONLY.add(action)
        return function

    return register


def extend_rule(action: str, predicate: Rule) -> None:
    """Widen who may do ``action``: ``predicate(user, target[, context])`` is OR-ed with the
    core's rule (or the owning plug-in's), never replacing it. A plug-in calls it from its
    ``init()`` (calling it again with the same predicate adds nothing). An extension of a
    membership-only action is decided by roles only, like the rule it widens."""
    extensions = _EXTENSIONS.setdefault(action, [])
    if predicate not in extensions:
        extensions.append(predicate)


@functools.cache
def _wants_context(function) -> bool:
    try:
        return len(inspect.signature(function).parameters) >= 3
    except (TypeError, ValueError):
        return False


def _decide(action: str, user, target, context: dict) -> bool:
    for predicate in (_RULES[action], *_EXTENSIONS.get(action, ())):
        allowed = predicate(user, target, context) if _wants_context(predicate) else predicate(user, target)
        if allowed:
            return True
    return False


def _user(user):
    return current_user if user is None else user


def can(action: str, target=None, user=None, **context) -> bool:
    """Whether ``user`` (default: the person of the request) may do ``action`` on
    ``target``; ``context``: what else the rule needs to know (passed to rules that take a
    third argument)."""
    user = _user(user)
    if action not in _RULES:
        raise KeyError(f"no permission rule for {action!r}")
    if not getattr(user, "is_authenticated", False):
        return _decide(action, None, target, context)
    if action in _MEMBERSHIP_ONLY and not _by_roles_only.get():
        token = _by_roles_only.set(True)
        try:
            return _decide(action, user, target, context)
        finally:
            _by_roles_only.reset(token)
    if user.is_admin and not _by_roles_only.get():
        return True
    return _decide(action, user, target, context)


def is_membership_only(action: str) -> bool:
    return action in _MEMBERSHIP_ONLY


def require(action: str, target=None, **context) -> None:
    if not can(action, target, **context):
        if not current_user.is_authenticated:
            abort(401)
        abort(403)


# -- roles ---------------------------------------------------------------------------
# A person's roles, as (space id, space kind, commune id, role): enough to answer every
# rule of every space without loading the space.

def _memberships(user) -> list[tuple[int, str, int | None, str]]:
    """All of a person's roles, loaded once per request."""
    cache = g.setdefault("_memberships", {})
    if user.id not in cache:
        cache[user.id] = db.session.execute(
            db.select(Membership.space_id, Space.kind, Space.commune_id, Membership.role)
            .join(Space, Space.id == Membership.space_id)
            .where(Membership.user_id == user.id)
        ).all()
    return cache[user.id]


def remember_memberships(user_id: int, roles: list[tuple[int, str, int | None, str]]) -> None:
    """Roles read along with the person (see accounts/session.py): no query of their own."""
    g.setdefault("_memberships", {})[user_id] = roles


def commune_roles(user, commune_id: int) -> set[str]:
    """Roles held in the commune's own space."""
    if user is None:
        return set()
    return {role for _s, kind, c, role in _memberships(user) if kind == "commune" and c == commune_id}


def own_roles(user, space) -> set[str]:
    """Roles held in the space itself (a Space or its owner), a plug-in's included
    (``space-roles`` hook)."""
    if user is None:
        return set()
    ref = space_ref(space)
    own = {role for space_id, _k, _c, role in _memberships(user) if space_id == ref.id}
    return own | _plugin_roles(user, ref)


def _plugin_roles(user, ref) -> set[str]:
    from flask import current_app

    if not current_app.extensions["convergence.hooks"].get("space-roles"):
        return set()  # no plug-in provides roles: no query for the switches either
    return set(hooks.collect("space-roles", user=user, space=db.session.get(Space, ref.id)))


def roles(user, space) -> set[str]:
    """The roles that hold for ``user`` in ``space`` (a Space or its Commune/Assembly/
    Circle): their own there and, in a kind where the commune's roles hold (assemblies),
    their roles in the commune."""
    if user is None:
        return set()
    ref = space_ref(space)
    held = own_roles(user, ref)
    if kind_of(ref.kind).commune_roles_hold:
        held |= commune_roles(user, ref.commune_id)
    return held


def assembly_roles(user, assembly: Assembly) -> set[str]:
    return roles(user, assembly)


def circle_roles(user, circle: Circle) -> set[str]:
    return roles(user, circle)


def clear_cache() -> None:
    g.pop("_memberships", None)


def facilitates(user, space) -> bool:
    """The space's facilitating roles held there, or a facilitator of its commune."""
    if user is None:
        return False
    ref = space_ref(space)
    return bool(kind_of(ref.kind).facilitating & roles(user, ref)) or bool(
        FACILITATING & commune_roles(user, ref.commune_id))


def manages(user, space) -> bool:
    """The space's managing roles held there (an assembly's or commune's administrator, a
    circle's co-lead), or an administrator of its commune."""
    if user is None:
        return False
    ref = space_ref(space)
    return bool(kind_of(ref.kind).managing & roles(user, ref)) or "admin" in commune_roles(user, ref.commune_id)


# -- core rules ----------------------------------------------------------------------

@rule("commune.create")
def _commune_create(user, _target) -> bool:
    return user is not None


@rule("commune.view")
def _commune_view(_user, _commune) -> bool:
    return True


@rule("commune.manage")
def _commune_manage(user, commune: Commune) -> bool:
    return "admin" in commune_roles(user, commune.id)


@rule("commune.facilitate")
def _commune_facilitate(user, commune: Commune) -> bool:
    return facilitates(user, commune)


@rule("commune.member")
def _commune_member(user, commune: Commune) -> bool:
    return bool(commune_roles(user, commune.id))


@rule("assembly.view")
def _assembly_view(_user, _assembly) -> bool:
    return True


@rule("assembly.participate")
def _assembly_participate(user, assembly: Assembly) -> bool:
    return bool(assembly_roles(user, assembly)) and not assembly.is_closed


@rule("assembly.facilitate")
def _assembly_facilitate(user, assembly: Assembly) -> bool:
    return facilitates(user, assembly)


@rule("circle.view")
def _circle_view(_user, _circle) -> bool:
    return True


@rule("circle.facilitate")
def _circle_facilitate(user, circle: Circle) -> bool:
    return facilitates(user, circle)


@rule("circle.member")
def _circle_member(user, circle: Circle) -> bool:
    return bool(circle_roles(user, circle))


@rule("space.facilitate")
def _space_facilitate(user, space) -> bool:
    """``space``: a Space or its owner, of any kind."""
    return facilitates(user, space)


@rule("space.manage_features")
def _space_features(user, space) -> bool:
    """Who switches plug-ins and edits their settings on the space's « Outils » page: the
    rule the assemblies' tools page had (an administrator of the assembly or of its
    commune), for every kind: a commune's administrators, and in a circle (which has no
    administrator role) its co-leads."""
    return manages(user, space)


@rule("account.erase")
def _account_erase(user, target) -> bool:
    """``target``: (commune, person). On the person's request, a commune's facilitators
    erase the account of someone whose every role is in their commune; anyone else's is
    erased by a site administrator (or by the person, from their profile)."""
    commune, person = target
    if not _commune_facilitate(user, commune) or person.is_admin:
        return False
    communes = set(db.session.scalars(
        db.select(Space.commune_id).join(Membership, Membership.space_id == Space.id)
        .where(Membership.user_id == person.id)))
    return communes == {commune.id}
