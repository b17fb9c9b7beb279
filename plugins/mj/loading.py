"""Loading a vote for a page or a ballot: one query for the vote, its ballot box, its
assembly (and, for pages, its circle, the circle's commune and its options), the id of the
voting code kept in the session for it, the id of its space and the plug-in's switch there.

Casting is the hottest path of the platform: both statements are built once per process
and the switch is noted for the request flow (``features.note_switch``), which then asks
no query of its own to know whether mj is on in the vote's space.
"""

from __future__ import annotations

from flask import abort

from convergence.extensions import db
from convergence.features import note_switch, switch_column
from convergence.models import Assembly, Circle
from convergence.spaces import SpaceRef

from . import voting_session
from .models import Code, PaperBatch, Participation, Vote

NAME = "mj"

# The id of the vote's space (its assembly's or its circle's), read in the vote's query.
# Correlated with the vote explicitly: it is also used two levels down, inside the switch's
# subquery, where automatic correlation would not reach the vote.
_VOTE_SPACE_ID = db.func.coalesce(
    db.select(Assembly.space_id).where(Assembly.id == Vote.assembly_id).correlate(Vote).scalar_subquery(),
    db.select(Circle.space_id).where(Circle.id == Vote.circle_id).correlate(Vote).scalar_subquery())


def _vote_query(for_page: bool):
    # Built once: every page, and every ballot cast, runs one of these two. A cast needs
    # neither the options (their ids are kept per process once voting is open) nor the
    # circle (only a circle's members vote casts load it, lazily): fewer columns to read.
    query = (
        db.select(Vote, Code.id, _VOTE_SPACE_ID, switch_column(_VOTE_SPACE_ID, NAME))
        .where(Vote.id == db.bindparam("vote_id"))
        .outerjoin(Code, db.and_(Code.box_id == Vote.box_id, Code.code == db.bindparam("code")))
        .options(db.joinedload(Vote.assembly))
    )
    if for_page:
        query = query.options(db.joinedload(Vote.circle).joinedload(Circle.commune), db.joinedload(Vote.options))
    else:
        # Nor the texts, shown on the vote's page only: not read on every cast.
        query = query.options(db.defer(Vote.description), db.joinedload(Vote.assembly).defer(Assembly.description))
    return query


_VOTE_FOR_PAGE, _VOTE_FOR_CAST = _vote_query(True), _vote_query(False)


def vote_or_404(vote_id: int, *, for_page: bool = True) -> tuple[Vote, SpaceRef]:
    """The vote (404 when there is none) and its space, with the plug-in's switch there
    noted for this request (the request flow answers 404 when it is off)."""
    code = voting_session.typed_code(vote_id)
    query = _VOTE_FOR_PAGE if for_page else _VOTE_FOR_CAST
    row = db.session.execute(query, {"vote_id": vote_id, "code": code or ""}).unique().one_or_none()
    if row is None:
        abort(404)
    vote, code_id, space_id, switch = row
    space = SpaceRef(space_id, "circle" if vote.circle_id is not None else "assembly", None)
    note_switch(space, NAME, switch)
    vote.__dict__["space_ref"] = space  # the live channel, without loading the space (status.channel_of)
    voting_session.note_code_id(vote_id, code_id)
    return vote, space


def participants(vote: Vote) -> tuple[int, int]:
    """(online ballots, paper ballots) in one query, without reading any ballot."""
    online = db.select(db.func.count(Participation.id)).where(Participation.box_id == vote.box_id).scalar_subquery()
    on_paper = (db.select(db.func.coalesce(db.func.sum(PaperBatch.ballots), 0))
                .where(PaperBatch.box_id == vote.box_id).scalar_subquery())
    row = db.session.execute(db.select(online, on_paper)).one()
    return int(row[0]), int(row[1])


def votes_of(column, space_id: int, *, newest_first: bool = False) -> list[Vote]:
    """The votes of an assembly (``Vote.assembly_id``) or of a circle (``Vote.circle_id``)."""
    order = Vote.id.desc() if newest_first else Vote.id
    return db.session.scalars(db.select(Vote).where(column == space_id).order_by(order)).all()
