"""What the organisers count: beds per night, meals, workshop places, shuttle seats,
arrivals — each a grouped sum over the registered delegations, in a fixed number of
queries whatever the number of delegations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from convergence.extensions import db

from . import rules
from .models import Delegation, LodgingMatch, LodgingNeed, LodgingOffer, MealOrder, Meeting, WorkshopChoice


@dataclass
class Night:
    night: object
    people: int          # beds asked that night
    host: int            # of them, asked « chez l'habitant »
    matched: int         # found with a host
    offered: int         # places offered by hosts


def _registered(meeting: Meeting):
    return (Delegation.meeting_id == meeting.id) & (Delegation.status == rules.REGISTERED)


def totals(meeting: Meeting) -> dict:
    row = db.session.execute(
        db.select(func.count(Delegation.id), func.coalesce(func.sum(Delegation.people_count), 0),
                  func.coalesce(func.sum(Delegation.shuttle_people), 0),
                  func.count(Delegation.checked_in_at))
        .where(_registered(meeting))).one()
    waiting = db.session.scalar(db.select(func.count(Delegation.id)).where(
        Delegation.meeting_id == meeting.id, Delegation.status == rules.WAITING))
    return {"delegations": int(row[0]), "people": int(row[1]), "shuttle": int(row[2]), "arrived": int(row[3]),
            "waiting": int(waiting)}


def nights(meeting: Meeting) -> list[Night]:
    asked = dict(db.session.execute(
        db.select(LodgingNeed.night, func.sum(LodgingNeed.people)).join(Delegation)
        .where(_registered(meeting)).group_by(LodgingNeed.night)).all())
    host = dict(db.session.execute(
        db.select(LodgingNeed.night, func.sum(LodgingNeed.people)).join(Delegation)
        .where(_registered(meeting), Delegation.lodging_mode == "host").group_by(LodgingNeed.night)).all())
    matched = dict(db.session.execute(
        db.select(LodgingMatch.night, func.sum(LodgingMatch.people)).join(Delegation)
        .where(_registered(meeting)).group_by(LodgingMatch.night)).all())
    offered: dict = {}
    for places, spread in db.session.execute(db.select(LodgingOffer.places, LodgingOffer.nights)
                                             .where(LodgingOffer.meeting_id == meeting.id)):
        for night in spread.split():
            offered[night] = offered.get(night, 0) + places
    return [Night(n, int(asked.get(n, 0)), int(host.get(n, 0)), int(matched.get(n, 0)),
                  offered.get(n.isoformat(), 0)) for n in rules.nights_of(meeting.first_day, meeting.last_day)]


def per_session(meeting: Meeting, model) -> dict[int, int]:
    """People per meal (``MealOrder``) or per workshop (``WorkshopChoice``)."""
    return {sid: int(n) for sid, n in db.session.execute(
        db.select(model.session_id, func.sum(model.people)).join(Delegation, Delegation.id == model.delegation_id)
        .where(_registered(meeting)).group_by(model.session_id))}


def meals(meeting: Meeting) -> dict[int, int]:
    return per_session(meeting, MealOrder)


def workshops(meeting: Meeting) -> dict[int, int]:
    return per_session(meeting, WorkshopChoice)


def delegations(meeting: Meeting, *, statuses=(rules.REGISTERED, rules.WAITING)) -> list[Delegation]:
    """Every delegation with what the list shows, in five queries."""
    return list(db.session.scalars(
        db.select(Delegation).where(Delegation.meeting_id == meeting.id, Delegation.status.in_(statuses))
        .options(selectinload(Delegation.members), selectinload(Delegation.nights), selectinload(Delegation.meals),
                 selectinload(Delegation.workshops), selectinload(Delegation.commune))
        .order_by(Delegation.status, Delegation.id)))


def offers(meeting: Meeting) -> list[LodgingOffer]:
    return list(db.session.scalars(db.select(LodgingOffer).where(LodgingOffer.meeting_id == meeting.id)
                                   .options(selectinload(LodgingOffer.host)).order_by(LodgingOffer.id)))


def matches(meeting: Meeting) -> list[LodgingMatch]:
    return list(db.session.scalars(
        db.select(LodgingMatch).join(LodgingOffer).where(LodgingOffer.meeting_id == meeting.id)
        .options(selectinload(LodgingMatch.offer).selectinload(LodgingOffer.host),
                 selectinload(LodgingMatch.delegation)).order_by(LodgingMatch.night, LodgingMatch.id)))
