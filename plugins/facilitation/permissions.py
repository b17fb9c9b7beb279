"""Who may do what with speaking lists and minutes. Imported by the plug-in's ``init()``.
Targets are the Assembly."""

from __future__ import annotations

from convergence.extensions import db
from convergence.permissions import can, rule


@rule("facilitation.ask", membership_only=True)
def _ask(user, assembly) -> bool:
    # A turn is a voice of the meeting: the assembly's participants ask for themselves
    # (a site administrator does not ask in someone's place); the facilitation adds the
    # names of people without a phone.
    return user is not None and can("assembly.participate", assembly, user=user)


@rule("facilitation.run")
def _run(user, assembly) -> bool:
    """Give the floor, run the timer, close the list, move to the next item."""
    return user is not None and can("assembly.facilitate", assembly, user=user)


@rule("facilitation.take_notes")
def _take_notes(user, assembly) -> bool:
    if user is None:
        return False
    if can("assembly.facilitate", assembly, user=user):
        return True
    from .models import NoteTaker

    return db.session.get(NoteTaker, (assembly.id, user.id)) is not None
