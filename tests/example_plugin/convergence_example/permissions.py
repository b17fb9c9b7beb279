"""Who may do what with greetings; imported by the plug-in's ``init()``. The target is a
:class:`~convergence_example.places.Place`."""

from __future__ import annotations

from convergence.permissions import can, rule

from .places import MEMBER_RULES


@rule("example.greet")
def _greet(user, place) -> bool:
    # The space's members, as the core counts them for that kind of space.
    return user is not None and can(MEMBER_RULES[place.kind], place.space, user=user)
