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
from convergence.balloting.models import BallotBox
from convergence.models import Assembly, Circle, driver
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


def _vote_query():
    # Built once: every page of a vote runs it.
    return (
        db.select(Vote, Code.id, _VOTE_SPACE_ID, switch_column(_VOTE_SPACE_ID, NAME))
        .where(Vote.id == db.bindparam("vote_id"))
        .outerjoin(Code, db.and_(Code.box_id == Vote.box_id, Code.code == db.bindparam("code")))
        .options(db.joinedload(Vote.assembly), db.joinedload(Vote.circle).joinedload(Circle.commune),
                 db.joinedload(Vote.options))
    )


_VOTE_FOR_PAGE = _vote_query()

# A cast, the hottest path, needs neither the options (their ids are kept per process once
# voting is open) nor the circle (only a circle's members vote casts load it, lazily), nor
# the texts (the vote's page only). It reads the vote, its ballot box and its assembly (none
# for a circle's vote) through the driver, and the objects are made without the ORM's
# loading (convergence/models/driver.py).
_CAST_OBJECTS = driver.Shape(Vote, BallotBox, Assembly,
                             skip={Vote: ("description",), Assembly: ("description",)})
_CAST_LINKS = ((0, "box", 1), (0, "assembly", 2))
_VOTE_FOR_CAST = driver.Statement.of_select(
    db.select(*_CAST_OBJECTS.columns, Code.id, _VOTE_SPACE_ID, switch_column(_VOTE_SPACE_ID, NAME))
    .select_from(Vote)
    .join(BallotBox, BallotBox.id == Vote.box_id)
    .outerjoin(Assembly, Assembly.id == Vote.assembly_id)
    .outerjoin(Code, db.and_(Code.box_id == Vote.box_id, Code.code == db.bindparam("code")))
    .where(Vote.id == db.bindparam("vote_id"))
)


def vote_or_404(vote_id: int, *, for_page: bool = True) -> tuple[Vote, SpaceRef]:
    """The vote (404 when there is none) and its space, with the plug-in's switch there
    noted for this request (the request flow answers 404 when it is off)."""
    code = voting_session.typed_code(vote_id)
    if for_page:
        row = db.session.execute(_VOTE_FOR_PAGE, {"vote_id": vote_id, "code": code or ""}).unique().one_or_none()
        if row is None:
            abort(404)
        vote, code_id, space_id, switch = row
    else:
        found = driver.rows(_VOTE_FOR_CAST, {"vote_id": vote_id, "code": code or ""})
        if not found:
            abort(404)
        vote = _CAST_OBJECTS.objects(found[0], _CAST_LINKS)[0]
        code_id, space_id, switch = found[0][_CAST_OBJECTS.width:]
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
