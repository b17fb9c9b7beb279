"""Lodging « chez l'habitant »: residents of the host commune offer beds on some nights,
the organisers put people of the delegations there. A host's places on a night are
given once: the match takes the offer's lock (an ``UPDATE`` of its row) before counting
what is taken, as registration.lock does for the meeting."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func

from convergence.extensions import db
from convergence.refusal import Refused

from . import rules
from .models import Delegation, LodgingMatch, LodgingNeed, LodgingOffer, Meeting


def offer(meeting: Meeting, user, *, places: int, nights: list[date], note: str, contact_phone: str) -> LodgingOffer:
    known = set(rules.nights_of(meeting.first_day, meeting.last_day))
    if not nights:
        raise Refused(_("Choose at least one night."))
    if not set(nights) <= known:
        raise Refused(_("This choice is not part of the meeting's programme."))
    if not 1 <= places <= 30:
        raise Refused(_("Offer between 1 and 30 places."))
    found = LodgingOffer(meeting_id=meeting.id, host_id=user.id, places=places,
                         nights=" ".join(n.isoformat() for n in sorted(set(nights))), note=note,
                         contact_phone=contact_phone)
    db.session.add(found)
    db.session.flush()
    return found


def match(found: LodgingOffer, delegation: Delegation, night: date, people: int) -> LodgingMatch:
    if delegation.meeting_id != found.meeting_id or delegation.status != rules.REGISTERED:
        raise Refused(_("Only a registered delegation of this meeting can be lodged."), 409)
    if night not in found.night_dates:
        raise Refused(_("The host does not offer this night."), 409)
    db.session.execute(db.update(LodgingOffer).where(LodgingOffer.id == found.id).values(id=LodgingOffer.id)
                       .execution_options(synchronize_session=False))
    taken = int(db.session.scalar(db.select(func.coalesce(func.sum(LodgingMatch.people), 0)).where(
        LodgingMatch.offer_id == found.id, LodgingMatch.night == night)))
    need = db.session.get(LodgingNeed, (delegation.id, night))
    lodged = int(db.session.scalar(db.select(func.coalesce(func.sum(LodgingMatch.people), 0)).where(
        LodgingMatch.delegation_id == delegation.id, LodgingMatch.night == night)))
    needed = (need.people if need else 0) - lodged
    if not rules.match_fits(places=found.places, taken=taken, people=people, needed=needed):
        if people > found.places - taken:
            raise Refused(_("This host has %(n)d places left that night.", n=max(found.places - taken, 0)), 409)
        raise Refused(_("The delegation needs %(n)d more beds that night.", n=max(needed, 0)), 409)
    existing = db.session.scalar(db.select(LodgingMatch).where(
        LodgingMatch.offer_id == found.id, LodgingMatch.delegation_id == delegation.id, LodgingMatch.night == night))
    if existing is not None:
        existing.people += people
        return existing
    made = LodgingMatch(offer_id=found.id, delegation_id=delegation.id, night=night, people=people)
    db.session.add(made)
    db.session.flush()
    return made


def unmatch(made: LodgingMatch) -> None:
    db.session.delete(made)
