"""Entries into and exits from a circle, decided by consent of its members (seeds 001, 002:
« l'accueil de nouveaux membres est décidé par consentement de l'ensemble de ses membres »;
an exclusion « par consentement de l'ensemble des membres, sauf la personne concernée »).

A signed-in person asks to join, with a short message; a member proposes that another member
leave, with the reason. Each request is a consent round (convergence/consent/) asked of the
circle's current members — for an exclusion, all of them but the person concerned. The
round closes once everyone asked has answered, or at its deadline (``ROUND_DAYS`` later, by
the worker, through the core's timed kind ``consent.round``; a page shows it decided by the
clock before that and writes nothing); it is adopted when answers came and no objection remains, and
only then does the membership change. The journal records the round's opening and outcome.

Leaving by one's own will needs no round: the seeds decide entries and exclusions by
consent, and nobody is held in a circle against their will (:func:`leave`).
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import audit
from ..consent import rounds
from ..extensions import db
from ..models import Circle, CircleMembershipEvent, CircleRequest, ConsentAnswer, User
from ..models.base import utcnow
from ..models.circles import EXCLUSION, JOIN
from ..models.consent import ROUND_ASYNC
from ..permissions import can
from ..refusal import Refused, clean_reason
from . import membership

ROUND_DAYS = 14
REQUEST_LABELS = {JOIN: _l("Request to join"), EXCLUSION: _l("Proposed exclusion")}


def asked_ids(request: CircleRequest) -> set[int]:
    """Who answers: the circle's current members, but the person concerned."""
    return membership.member_ids(request.circle) - {request.person_id}


def _loaded():
    return db.select(CircleRequest).options(
        db.joinedload(CircleRequest.person), db.selectinload(CircleRequest.answers).joinedload(ConsentAnswer.user))


# By the clock: a request past its deadline is decided even before the worker records it.
def _still_open(now):
    return db.and_(CircleRequest.closed_at.is_(None),
                   db.or_(CircleRequest.deadline.is_(None), CircleRequest.deadline > now))


def open_requests(circle: Circle) -> list[CircleRequest]:
    return list(db.session.scalars(_loaded().where(CircleRequest.circle_id == circle.id, _still_open(utcnow()))
                                   .order_by(CircleRequest.id)).unique())


def decided_requests(circle: Circle, limit: int = 20) -> list[CircleRequest]:
    return list(db.session.scalars(_loaded().where(CircleRequest.circle_id == circle.id,
                                                   db.not_(_still_open(utcnow())))
                                   .order_by(db.func.coalesce(CircleRequest.closed_at, CircleRequest.deadline).desc())
                                   .limit(limit)).unique())


def concerning(user, limit: int = 20) -> list[CircleRequest]:
    """The requests about the person (theirs to join, an exclusion), newest first: their notices."""
    return list(db.session.scalars(
        db.select(CircleRequest).where(CircleRequest.person_id == user.id)
        .options(db.joinedload(CircleRequest.circle), db.selectinload(CircleRequest.answers))  # for clock_outcome
        .order_by(CircleRequest.id.desc()).limit(limit)))


def _refuse_if_open(circle: Circle, person_id: int) -> None:
    # Open by the clock: a request past its deadline is over even before the worker closes it.
    if db.session.scalar(db.select(CircleRequest.id).where(
            CircleRequest.circle_id == circle.id, CircleRequest.person_id == person_id,
            _still_open(utcnow())).limit(1)) is not None:
        raise Refused(_("A request about this person is already open in this circle."), 409)


def _open(circle: Circle, person: User, kind: str, message: str, by) -> CircleRequest:
    request = CircleRequest(circle_id=circle.id, person_id=person.id, request=kind, message=message,
                            asked_by_id=by.id)
    rounds.start(request, by, ROUND_ASYNC, utcnow() + timedelta(days=ROUND_DAYS))
    audit.record("circle.request_opened", commune_id=circle.commune_id, target=circle.name, request=kind,
                 person=person.display_name, person_id=person.id, round=request.id)
    return request


def ask_to_join(circle: Circle, user, message) -> CircleRequest:
    if membership.is_member(circle, user.id):
        raise Refused(_("You are already a member of this circle."), 409)
    message = clean_reason(message, required=False)
    _refuse_if_open(circle, user.id)
    if not membership.member_ids(circle):
        raise Refused(_("This circle has no member yet to welcome you: its facilitators record its first "
                        "members after a meeting."), 409)
    return _open(circle, user, JOIN, message, user)


def propose_exclusion(circle: Circle, proposer, person_id, reason) -> CircleRequest:
    person = db.session.get(User, person_id) if isinstance(person_id, int) else None
    if person is None or not membership.is_member(circle, person.id):
        raise Refused(_("This person is not a member of this circle."))
    if person.id == proposer.id:
        raise Refused(_("To leave the circle yourself, use « Leave the circle »: it needs no consent."))
    reason = clean_reason(reason, required=True, what=_("Give the reason for proposing this exit."))
    _refuse_if_open(circle, person.id)
    return _open(circle, person, EXCLUSION, reason, proposer)


def answer(request: CircleRequest, user, value: str, reason) -> str | None:
    """Record the member's answer; the outcome if it was the last one awaited (then applied)."""
    rounds.answer(request, user, value, reason, asked=lambda person: can("circle.answer", request, user=person))
    db.session.flush()
    outcome = rounds.close_if_complete(request, asked_ids(request))
    if outcome is not None:
        _apply(request, outcome)
    return outcome


def settle_if_due(request: CircleRequest) -> bool:
    """Before an action on the request: close it if its deadline has passed, apply its
    outcome and commit (what the worker does at the deadline); True if this call did."""
    return rounds.settle(request) is not None


def _apply(request: CircleRequest, outcome: str) -> None:
    circle, person = request.circle, request.person
    audit.record("circle.request_closed", commune_id=circle.commune_id, target=circle.name,
                 request=request.request, person=person.display_name, person_id=person.id, round=request.id,
                 outcome=outcome)
    if outcome != rounds.OUTCOME_ADOPTED:
        return
    if request.request == JOIN and not membership.is_member(circle, person.id):
        membership.add(circle, person.id)
        _history(request, JOIN, "member")
        audit.record("circle.join", commune_id=circle.commune_id, target=circle.name, person=person.display_name,
                     person_id=person.id, role="member", round=request.id)
    elif request.request == EXCLUSION:
        for role in membership.remove(circle, person.id):
            _history(request, "leave", role)
            audit.record("circle.leave", commune_id=circle.commune_id, target=circle.name,
                         person=person.display_name, person_id=person.id, role=role, round=request.id)


def _history(request: CircleRequest, kind: str, role: str) -> None:
    db.session.add(CircleMembershipEvent(circle_id=request.circle_id, user_id=request.person_id, kind=kind,
                                         role=role, decided_on=request.closed_at.date(), decision="",
                                         round_id=request.id))


def leave(circle: Circle, user) -> list[str]:
    """The person leaves by their own will: all their roles in the circle end now."""
    roles = membership.remove(circle, user.id)
    if not roles:
        raise Refused(_("You are not a member of this circle."), 409)
    today = utcnow().date()
    for role in roles:
        # No decision text and no round: a departure, which the history says as such.
        db.session.add(CircleMembershipEvent(circle_id=circle.id, user_id=user.id, kind="leave", role=role,
                                             decided_on=today, decision="", recorded_by_id=user.id))
        audit.record("circle.leave", commune_id=circle.commune_id, target=circle.name, person=user.display_name,
                     person_id=user.id, role=role, own_will=True)
    return roles


def personal_data(user) -> dict:
    """The person's share (right of access): requests about them, their answers to others'."""
    answers = db.session.execute(
        db.select(CircleRequest.circle_id, CircleRequest.id, ConsentAnswer.answer, ConsentAnswer.reason)
        .join(CircleRequest, CircleRequest.id == ConsentAnswer.round_id)
        .where(ConsentAnswer.user_id == user.id).order_by(ConsentAnswer.id)).all()
    return {
        "circle_requests": [{"circle_id": r.circle_id, "request": r.request, "message": r.message,
                             "opened_at": r.opened_at.isoformat(), "outcome": r.outcome}
                            for r in concerning(user, limit=1000)],
        "circle_consent_answers": [{"circle_id": c, "request_id": i, "answer": a, "reason": why}
                                   for c, i, a, why in answers],
    }


# At the deadline the worker closes the round (core timed kind ``consent.round``) and
# applies it here; the membership-changed signal follows the commit.
rounds.on_close(CircleRequest.__mapper__.polymorphic_identity, _apply, lambda request: None)
