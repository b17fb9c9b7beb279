"""``membership-changed``, sent after the commit that joins, leaves or changes a role.

Watched on the session rather than sent by each view, so that every way a membership
changes (an invitation accepted, a circle decision, a role withdrawn, a plug-in's own
path) announces it, and only once the change is committed.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from . import hooks
from .extensions import on_commit
from .models import Membership


@event.listens_for(Session, "before_flush")
def _note_changes(session, _context, _instances) -> None:
    changes = []
    changes += [(obj, "joined") for obj in session.new if isinstance(obj, Membership)]
    changes += [(obj, "left") for obj in session.deleted if isinstance(obj, Membership)]
    changes += [(obj, "role") for obj in session.dirty
                if isinstance(obj, Membership) and inspect(obj).attrs.role.history.has_changes()]
    for membership, change in changes:
        on_commit(session, lambda m=membership, c=change: hooks.membership_changed.send(m, change=c))
