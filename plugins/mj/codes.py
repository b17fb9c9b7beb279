"""Single-use voting codes, for votes by code holders (no account needed): made by the
facilitators, handed out in the room, each good for one ballot. Reading a typed code is
in :mod:`plugins.mj.ballots` (the cast needs it); making them is here."""

from __future__ import annotations

from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db

from . import ballots
from .models import Code, Participation, Vote
from .status import CLOSED, status
from .votes import VoteDefinitionError

MAX_AT_ONCE = 1000


def create(vote: Vote, count: int) -> list[Code]:
    """Add ``count`` codes (1..1000) to a vote; not committed."""
    if not 1 <= count <= MAX_AT_ONCE:
        raise VoteDefinitionError(_("Create between 1 and 1000 codes at a time."))
    if status(vote) == CLOSED:
        raise VoteDefinitionError(_("This vote is closed."), 409)
    made = [Code(box_id=vote.box_id, code=ballots.new_code()) for _ in range(count)]
    db.session.add_all(made)
    audit.record("mj.codes.created", commune_id=vote.commune_id, target=vote.question[:120],
                 vote=vote.id, count=count)
    return made


def listing(vote: Vote) -> list[tuple[str, int | None]]:
    """(code, id of its participation or None) of every code, in the order made."""
    return db.session.execute(
        db.select(Code.code, Participation.id)
        .outerjoin(Participation, Participation.code_id == Code.id)
        .where(Code.box_id == vote.box_id).order_by(Code.id)
    ).all()


def unused(vote: Vote) -> list[str]:
    return db.session.scalars(
        db.select(Code.code).outerjoin(Participation, Participation.code_id == Code.id)
        .where(Code.box_id == vote.box_id, Participation.id.is_(None)).order_by(Code.id)
    ).all()
