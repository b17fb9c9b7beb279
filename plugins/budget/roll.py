"""The register of each polling place (« liste d'émargement »): before handing a paper
ballot, the officer at the door finds the person — a resident of the space by name, or the
holder of a voting code — sees whether they have already voted (online, or on paper at
which place) and, if not, marks them as having voted there.

One vote per person, online or on paper, is the database's: an émargement writes the same
row of ``ballot_participations`` an online ballot writes, so its unique constraints
(box and person; code) refuse the second one whichever comes first, also when both arrive
at once. The place is kept beside it (:class:`~plugins.budget.models.RollMark`).

Secrecy: an émargement carries no time, is not written in the journal one by one, and is
never linked to a paper sheet. The sheets of a place are typed only once its register is
closed (``paper.add`` refuses before): the pile, shuffled in the box, is typed after every
émargement of the place, so neither the order of the rows nor the transactions can pair a
sheet with a person.

People on the commune's electoral roll with neither an account nor a code are counted per
place (:attr:`PollingPlace.walk_ins`), not named: the platform cannot check people it does
not know, the commune's own paper roll is where they sign; keeping their names here would
be personal data for no check.

Written in the caller's transaction, never committed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from convergence import audit
from convergence.balloting import may_vote
from convergence.balloting.models import Participation, VotingCode
from convergence.extensions import db
from convergence.models import Membership, User
from convergence.models.base import utcnow
from convergence.refusal import Refused
from convergence.text_fold import folded, like_pattern

from . import roll_tally
from .models import PLACE_MAX, PaperSheet, PollingPlace, Process, RollMark

QUERY_MAX = 80  # a display name's length
LOOKUP_LIMIT = 12  # people shown for one search: the officer types more of the name


def place_name(text: str | None) -> str:
    """A polling place's name as typed, spaces collapsed: the same as ``paper.add``'s, so
    the register and the sheets of a place meet."""
    return " ".join((text or "").split())


# -- polling places -------------------------------------------------------------------------

def places(process: Process) -> list[PollingPlace]:
    return list(db.session.scalars(db.select(PollingPlace).where(PollingPlace.process_id == process.id)
                                   .order_by(PollingPlace.name)))


def place_or_none(process: Process, place_id: int) -> PollingPlace | None:
    return db.session.scalar(db.select(PollingPlace).where(PollingPlace.id == place_id,
                                                           PollingPlace.process_id == process.id))


def open_register(process: Process, name: str) -> PollingPlace:
    """The register of the place so named, opened if it has none yet (the same name twice
    is the same place)."""
    from .paper import REPLACEMENT
    from .status import CLOSED, vote_state

    name = place_name(name)
    if not name or len(name) > PLACE_MAX:
        raise Refused(_("Name the polling place (at most 120 characters)."), 422)
    if REPLACEMENT in name:
        raise Refused(_("The name of the polling place contains a damaged character (�): type it again."), 422)
    if vote_state(process) == CLOSED:
        raise Refused(_("This vote is closed: the registers can no longer be opened."), 410)
    found = db.session.scalar(db.select(PollingPlace).where(PollingPlace.process_id == process.id,
                                                            PollingPlace.name == name))
    if found is not None:
        return found
    if db.session.scalar(db.select(PaperSheet.id).where(PaperSheet.process_id == process.id,
                                                        PaperSheet.place == name).limit(1)) is not None:
        # Its sheets are already typed: a register opened now would pair the next people
        # marked with nothing, and its count would mean nothing.
        raise Refused(_("Paper sheets of « %(place)s » have already been typed: its register cannot be opened "
                        "any more.", place=name), 409)
    place = PollingPlace(process_id=process.id, name=name)
    db.session.add(place)
    db.session.flush()
    return place


def register_open(process: Process, name: str) -> bool:
    """Whether the place so named keeps a register not closed yet (its sheets wait)."""
    return db.session.scalar(db.select(PollingPlace.id).where(
        PollingPlace.process_id == process.id, PollingPlace.name == place_name(name),
        PollingPlace.closed_at.is_(None))) is not None


def close_register(process: Process, place: PollingPlace, closed_by=None) -> roll_tally.PlaceCount:
    """Close the place's register (once): nobody is marked there any more, its pile may be
    typed. Journalled with its counts."""
    if place.closed_at is not None:
        raise Refused(_("The register of « %(place)s » is already closed.", place=place.name), 409)
    place.closed_at = utcnow()
    place.closed_by_id = getattr(closed_by, "id", None)
    marked = marks_at(place)
    audit.record("budget.roll.closed", commune_id=process.commune_id, target=process.title[:120],
                 process=process.id, place=place.name, marked=marked, walk_ins=place.walk_ins)
    return roll_tally.PlaceCount(place.name, marked, place.walk_ins, 0, True, True)


def marks_at(place: PollingPlace) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(RollMark)
                             .where(RollMark.place_id == place.id)) or 0


# -- who has voted ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Voted:
    """Whether someone has voted: ``online``, or on paper at ``place``."""

    online: bool
    place: str | None = None


def _voted(process: Process, condition) -> dict[int, Voted]:
    """Participation found → how, keyed by the user id or code id the condition selects."""
    rows = db.session.execute(
        db.select(Participation.user_id, Participation.code_id, PollingPlace.name)
        .outerjoin(RollMark, RollMark.participation_id == Participation.id)
        .outerjoin(PollingPlace, PollingPlace.id == RollMark.place_id)
        .where(Participation.box_id == process.box_id, condition)).all()
    found = {}
    for user_id, code_id, place in rows:
        found[user_id if user_id is not None else code_id] = Voted(place is None, place)
    return found


def voted(process: Process, *, user_id=None, code_id=None) -> Voted | None:
    if user_id is not None:
        return _voted(process, Participation.user_id == user_id).get(user_id)
    return _voted(process, Participation.code_id == code_id).get(code_id)


def place_of(process: Process, *, user_id=None, code_id=None) -> str | None:
    """The polling place where this person (or code) voted on paper, if they did."""
    found = voted(process, user_id=user_id, code_id=code_id)
    return found.place if found is not None else None


def clean_query(text: str | None) -> str:
    """What was typed in the search, spaces collapsed, at most a display name's length."""
    return " ".join((text or "").split())[:QUERY_MAX]


def find_residents(process: Process, text: str) -> list[tuple[User, Voted | None]]:
    """The people of the process's electorate whose name contains what was typed (capitals
    and accents ignored, alike on both databases), at most :data:`LOOKUP_LIMIT`, each with
    whether they have voted."""
    query = clean_query(text)
    if not query or process.voters == "codes":
        return []
    space = process.space
    spaces = [space.id] + ([space.parent_id] if space.parent_id else [])
    people = list(db.session.scalars(
        db.select(User).where(User.id.in_(db.select(Membership.user_id).where(Membership.space_id.in_(spaces))),
                              folded(User.display_name).like(like_pattern(query), escape="\\"))
        .order_by(User.display_name, User.id).limit(LOOKUP_LIMIT * 2)))
    from .casting import electorate

    voters = electorate(process)
    people = [person for person in people if may_vote(person, voters)][:LOOKUP_LIMIT]
    how = _voted(process, Participation.user_id.in_([p.id for p in people])) if people else {}
    return [(person, how.get(person.id)) for person in people]


def find_code(process: Process, text: str) -> tuple[VotingCode | None, Voted | None]:
    from .casting import find_code as code_named

    if process.voters == "members":
        return None, None
    code = code_named(process, text)
    return code, (voted(process, code_id=code.id) if code is not None else None)


# -- marking ----------------------------------------------------------------------------------

def already_voted_message(name: str, how: Voted) -> str:
    if how.place is not None:
        return _("%(name)s has already voted at the polling place « %(place)s »: one vote per person.",
                 name=name, place=how.place)
    return _("%(name)s has already voted online: one vote per person.", name=name)


def _marking_open(process: Process, place: PollingPlace) -> None:
    from .casting import lock
    from .status import CLOSED, OPEN

    state = lock(process)  # shared: the close waits for the émargement, or it finds it closed
    if state == CLOSED:
        raise Refused(_("This vote is closed: nobody can be marked on a register any more."), 410)
    if state != OPEN:
        raise Refused(_("The registers are kept while the vote is open."), 409)
    db.session.refresh(place)
    if place.closed_at is not None:
        raise Refused(_("The register of « %(place)s » is closed.", place=place.name), 409)


def mark(process: Process, place: PollingPlace, *, user: User | None = None, code: VotingCode | None = None) -> None:
    """Mark the person (or the code's holder) as having voted at this place: their
    participation, refused by the database if they have one (Refused 409, nothing
    written). A code marked here is spent."""
    if (user is None) == (code is None):
        raise ValueError("an émargement is for exactly one person or one code")
    _marking_open(process, place)
    from .casting import electorate

    if user is not None:
        if process.voters == "codes" or not may_vote(user, electorate(process)):
            raise Refused(_("%(name)s is not a voter of this budget.", name=user.display_name), 403)
        name = user.display_name
    else:
        if process.voters == "members" or code.box_id != process.box_id:
            raise Refused(_("This voting code does not exist for this vote. Check what you typed."), 404)
        name = _("The holder of this code")
    try:
        with db.session.begin_nested():
            participation = Participation(box_id=process.box_id, user_id=getattr(user, "id", None),
                                          code_id=getattr(code, "id", None))
            db.session.add(participation)
            db.session.flush()
            db.session.add(RollMark(participation_id=participation.id, place_id=place.id))
            db.session.flush()
    except IntegrityError:
        how = voted(process, user_id=getattr(user, "id", None), code_id=getattr(code, "id", None))
        raise Refused(already_voted_message(name, how or Voted(True)), 409) from None


def count_walk_in(process: Process, place: PollingPlace) -> None:
    """One more voter of the commune's roll with neither account nor code (counted, not
    named), in one statement: two officers at the same door add two."""
    _marking_open(process, place)
    db.session.execute(db.update(PollingPlace).where(PollingPlace.id == place.id)
                       .values(walk_ins=PollingPlace.walk_ins + 1).execution_options(synchronize_session=False))
    db.session.expire(place, ["walk_ins"])


# -- émargements against sheets ------------------------------------------------------------------

def counts(process: Process) -> list[roll_tally.PlaceCount]:
    """Per polling place, émargements against the sheets typed (two queries)."""
    registers = {
        name: (marked, walk_ins, closed_at is not None)
        for name, walk_ins, closed_at, marked in db.session.execute(
            db.select(PollingPlace.name, PollingPlace.walk_ins, PollingPlace.closed_at,
                      db.func.count(RollMark.participation_id))
            .outerjoin(RollMark, RollMark.place_id == PollingPlace.id)
            .where(PollingPlace.process_id == process.id)
            .group_by(PollingPlace.id, PollingPlace.name, PollingPlace.walk_ins, PollingPlace.closed_at))}
    if not registers:
        return []
    sheets = dict(db.session.execute(
        db.select(PaperSheet.place, db.func.count(db.distinct(PaperSheet.sheet)))
        .where(PaperSheet.process_id == process.id).group_by(PaperSheet.place)).all())
    return roll_tally.compare(registers, sheets)
