"""Who may do what: the one place where access is decided.

A rule is a small predicate ``(user, target) -> bool`` registered under an action name.
Controllers call :func:`require` (403 when refused); templates call :func:`can`.
Plug-ins register their own actions with :func:`rule` from their ``init()``.

Roles are scoped: a role in a commune holds in its assemblies and circles too, so a
commune's facilitator facilitates its assemblies; a role in an assembly or a circle holds
there only. Site administrators may do everything, except what a person's voice counts
for (casting a ballot, answering a consent round, supporting): those rights come from
membership only (``rule(action, membership_only=True)``), so running the site gives no ballot.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from flask import abort, g
from flask_login import current_user

from .extensions import db
from .models import Assembly, Circle, Commune, Membership

Rule = Callable[[object, object], bool]
_RULES: dict[str, Rule] = {}
_MEMBERSHIP_ONLY: set[str] = set()
# Set while a membership-only rule is decided, so the checks it makes in turn
# (« is a member of the commune? ») do not grant administrators either.
_by_roles_only: ContextVar[bool] = ContextVar("convergence_by_roles_only", default=False)

FACILITATING = {"facilitator", "admin"}
CIRCLE_FACILITATING = {"co_lead", "facilitator"}


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


def _user(user):
    return current_user if user is None else user


def can(action: str, target=None, user=None) -> bool:
    user = _user(user)
    if action not in _RULES:
        raise KeyError(f"no permission rule for {action!r}")
    if not getattr(user, "is_authenticated", False):
        return _RULES[action](None, target)
    if action in _MEMBERSHIP_ONLY and not _by_roles_only.get():
        token = _by_roles_only.set(True)
        try:
            return bool(_RULES[action](user, target))
        finally:
            _by_roles_only.reset(token)
    if user.is_admin and not _by_roles_only.get():
        return True
    return bool(_RULES[action](user, target))


def require(action: str, target=None) -> None:
    if not can(action, target):
        if not current_user.is_authenticated:
            abort(401)
        abort(403)


# -- roles ---------------------------------------------------------------------------

def _memberships(user) -> list[tuple[int | None, int | None, int | None, str]]:
    """All of a person's roles, loaded once per request."""
    cache = g.setdefault("_memberships", {})
    if user.id not in cache:
        cache[user.id] = db.session.execute(
            db.select(
                Membership.commune_id, Membership.assembly_id, Membership.circle_id, Membership.role
            ).where(Membership.user_id == user.id)
        ).all()
    return cache[user.id]


def remember_memberships(user_id: int, roles: list[tuple[int | None, int | None, int | None, str]]) -> None:
    """Roles read along with the person (see accounts/session.py): no query of their own."""
    g.setdefault("_memberships", {})[user_id] = roles


def commune_roles(user, commune_id: int) -> set[str]:
    if user is None:
        return set()
    return {role for c, _a, _k, role in _memberships(user) if c == commune_id}


def assembly_roles(user, assembly: Assembly) -> set[str]:
    if user is None:
        return set()
    own = {role for _c, a, _k, role in _memberships(user) if a == assembly.id}
    return own | commune_roles(user, assembly.commune_id)


def circle_roles(user, circle: Circle) -> set[str]:
    if user is None:
        return set()
    return {role for _c, _a, k, role in _memberships(user) if k == circle.id}


def clear_cache() -> None:
    g.pop("_memberships", None)


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
    return bool(FACILITATING & commune_roles(user, commune.id))


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
    return bool(FACILITATING & assembly_roles(user, assembly))


@rule("assembly.manage_plugins")
def _assembly_plugins(user, assembly: Assembly) -> bool:
    return "admin" in assembly_roles(user, assembly)


@rule("circle.view")
def _circle_view(_user, _circle) -> bool:
    return True


@rule("circle.facilitate")
def _circle_facilitate(user, circle: Circle) -> bool:
    return bool(CIRCLE_FACILITATING & circle_roles(user, circle)) or bool(
        FACILITATING & commune_roles(user, circle.commune_id)
    )


@rule("circle.member")
def _circle_member(user, circle: Circle) -> bool:
    return bool(circle_roles(user, circle))


# Entries and exits by consent (circles/entries.py). Asking, proposing an exit and answering
# are a person's own voice: a site administrator does none of them in someone's place.
@rule("circle.ask_to_join", membership_only=True)
def _circle_ask_to_join(user, circle: Circle) -> bool:
    return user is not None and not circle_roles(user, circle)


@rule("circle.propose_exit", membership_only=True)
def _circle_propose_exit(user, circle: Circle) -> bool:
    return bool(circle_roles(user, circle))


@rule("circle.answer", membership_only=True)
def _circle_answer(user, request) -> bool:
    """``request``: a CircleRequest; its circle's members answer, but the person concerned."""
    return user is not None and user.id != request.person_id and request.closed_at is None and \
        bool(circle_roles(user, request.circle))


@rule("account.erase")
def _account_erase(user, target) -> bool:
    """``target``: (commune, person). On the person's request, a commune's facilitators
    erase the account of someone whose every role is in their commune; anyone else's is
    erased by a site administrator (or by the person, from their profile)."""
    commune, person = target
    if not _commune_facilitate(user, commune) or person.is_admin:
        return False
    communes = set(db.session.scalars(
        db.select(db.func.coalesce(Membership.commune_id, Assembly.commune_id, Circle.commune_id))
        .outerjoin(Assembly, Assembly.id == Membership.assembly_id)
        .outerjoin(Circle, Circle.id == Membership.circle_id)
        .where(Membership.user_id == person.id)))
    return communes == {commune.id}
