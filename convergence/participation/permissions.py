"""Who may moderate comments: a core rule that a plug-in widens, never replaces.

By default only site administrators moderate (the rule itself grants nobody; the general
administrator right of :func:`convergence.permissions.can` applies). A plug-in adds the
people who moderate its items, e.g. an assembly's facilitators::

    from convergence.participation.permissions import moderators

    @moderators("proposals")
    def _facilitators(user, proposal):
        return can("proposals.facilitate", proposal.assembly, user=user)

Supporting is each plug-in's own rule, registered ``membership_only`` (a site
administrator never supports in someone's place): ``needs.support``, ``proposals.support``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..permissions import rule

_MODERATORS: dict[str, list[Callable]] = {}


def moderators(plugin: str):
    """Register a predicate ``(user, item) -> bool`` adding moderators of ``plugin``'s items."""

    def register(function: Callable) -> Callable:
        if function not in _MODERATORS.setdefault(plugin, []):
            _MODERATORS[plugin].append(function)
        return function

    return register


@rule("participation.moderate")
def _moderate(user, item) -> bool:
    """``item``: the plug-in's item (a :class:`HasSubject` model) whose comments are moderated."""
    return user is not None and any(widened(user, item) for widened in _MODERATORS.get(item.subject_plugin, ()))
