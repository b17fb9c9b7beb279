"""Greetings: leaving one, listing a place's, and what an account's erasure does to them.
Nothing here commits: the view (or the core, for an erasure) does."""

from __future__ import annotations

from convergence.extensions import db

from .models import Greeting
from .places import Place

LISTED = 50


def leave(place: Place, author, message: str) -> Greeting:
    greeting = Greeting(**place.columns, author_id=author.id, message=" ".join(message.split()))
    db.session.add(greeting)
    db.session.flush()
    return greeting


def of(place: Place, limit: int = LISTED) -> list[Greeting]:
    """The place's latest greetings with their authors, in one query."""
    where = [getattr(Greeting, column) == value if value is not None else getattr(Greeting, column).is_(None)
             for column, value in place.columns.items()]
    return db.session.scalars(db.select(Greeting).where(*where).options(db.joinedload(Greeting.author))
                              .order_by(Greeting.id.desc()).limit(limit)).all()


def written_by(user) -> list[Greeting]:
    return db.session.scalars(db.select(Greeting).where(Greeting.author_id == user.id).order_by(Greeting.id)).all()


def count_by(user) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Greeting).where(Greeting.author_id == user.id))


def erase(user, keep_contributions: bool) -> None:
    if keep_contributions:
        db.session.execute(db.update(Greeting).where(Greeting.author_id == user.id).values(author_id=None))
    else:
        db.session.execute(db.delete(Greeting).where(Greeting.author_id == user.id))
