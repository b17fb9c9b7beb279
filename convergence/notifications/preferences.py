"""Reading and setting a person's choice (no row: no mail)."""

from __future__ import annotations

from ..extensions import db
from ..models.base import utcnow
from ..models.notifications import NotificationPreference


def wants_openings(user_id: int) -> bool:
    return bool(db.session.scalar(
        db.select(NotificationPreference.openings).where(NotificationPreference.user_id == user_id)))


def set_openings(user_id: int, wanted: bool) -> None:
    """In the caller's transaction, one statement (an UPSERT): the same form or link sent
    twice at the same instant writes one row, and setting what is set changes nothing."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = NotificationPreference.__table__
    statement = insert(table).values(user_id=user_id, openings=wanted, updated_at=utcnow())
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.user_id],
        set_={"openings": statement.excluded.openings, "updated_at": statement.excluded.updated_at},
        where=table.c.openings != statement.excluded.openings))
