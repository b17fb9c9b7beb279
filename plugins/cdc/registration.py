"""Registering a delegation and changing it: the services the pages call (no commit
here: the request flow commits once; a refusal raises before anything is written).

A new registration takes the meeting's lock first — an ``UPDATE`` of the meeting's own
row, which PostgreSQL holds as a row lock and SQLite as its write lock until the commit —
then counts the delegations and people registered and places it (rules.placement). So
60 delegations arriving at once are each counted once against the caps, none lost, none
placed twice; a second copy of the same form stops on its token (web/replay.py) before
any of this."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func

from convergence import audit
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.refusal import Refused
from convergence.web.links import absolute_url

from . import rules
from .models import (Delegation, LodgingMatch, LodgingNeed, MandateDocument, MealOrder, Meeting, Member,
                     WorkshopChoice)


@dataclass
class Registration:
    """What the form says, read and checked field by field by forms.RegistrationForm."""

    kind: str
    head_name: str
    people_count: int
    contact_email: str
    #: Whether the person registering is the head of delegation (their account is then its member).
    head_is_me: bool = True
    contact_phone: str = ""
    social_networks: str = ""
    commune_id: int | None = None
    collective_name: str = ""
    home_town: str = ""
    collective_form: str = ""
    objectives: str = ""
    initiatives: str = ""
    municipal_list: bool = False
    municipal_functioning: str = ""
    why_alone: str = ""
    members: list[str] = field(default_factory=list)
    mandate_kind: str = "libre"
    mandate_text: str = ""
    proposals: str = ""
    lodging_mode: str = "own"
    nights: dict[date, int] = field(default_factory=dict)
    meals: dict[int, int] = field(default_factory=dict)
    dietary_needs: str = ""
    workshops: dict[int, int] = field(default_factory=dict)
    by_train: bool = False
    arrival: str = ""
    shuttle_people: int = 0
    #: (file name, content type, bytes) of the mandate's document, or None to keep it.
    document: tuple[str, str, bytes] | None = None


def _token() -> str:
    return secrets.token_urlsafe(16)


def lock(meeting: Meeting) -> None:
    """Hold the meeting until the commit (see the module's docstring)."""
    db.session.execute(db.update(Meeting).where(Meeting.id == meeting.id).values(id=Meeting.id)
                       .execution_options(synchronize_session=False))


def registered_totals(meeting_id: int, *, leaving_out: int | None = None) -> tuple[int, int]:
    """(delegations, people) registered, not counting those waiting or cancelled."""
    query = db.select(func.count(Delegation.id), func.coalesce(func.sum(Delegation.people_count), 0)).where(
        Delegation.meeting_id == meeting_id, Delegation.status == rules.REGISTERED)
    if leaving_out is not None:
        query = query.where(Delegation.id != leaving_out)
    count, people = db.session.execute(query).one()
    return int(count), int(people)


def _workshops_free(meeting: Meeting, leaving_out: int | None) -> dict[int, int | None]:
    capped = {s.id: s.capacity for s in meeting.sessions if s.kind == "atelier"}
    query = (db.select(WorkshopChoice.session_id, func.sum(WorkshopChoice.people))
             .join(Delegation, Delegation.id == WorkshopChoice.delegation_id)
             .where(Delegation.meeting_id == meeting.id, Delegation.status == rules.REGISTERED)
             .group_by(WorkshopChoice.session_id))
    if leaving_out is not None:
        query = query.where(Delegation.id != leaving_out)
    taken = dict(db.session.execute(query).all())
    return {sid: None if cap is None else cap - int(taken.get(sid, 0)) for sid, cap in capped.items()}


def _messages() -> dict:
    return {
        "people_range": _("A delegation counts between 1 and %(n)d people."),
        "more_names": _("You named more people than the delegation counts (%(n)d): raise the number of people."),
        "unknown": _("This choice is not part of the meeting's programme."),
        "negative": _("A number of people cannot be negative."),
        "more_than_people": _("There are more people here than in the delegation (%(n)d)."),
        "room_full": _("This workshop's room is full: %(n)d places left."),
    }


def _check(meeting: Meeting, data: Registration, leaving_out: int | None) -> None:
    sessions = meeting.sessions
    try:
        rules.check_request(
            people=data.people_count, named=1 + len(data.members), nights=data.nights, meals=data.meals,
            workshops=data.workshops, shuttle=data.shuttle_people if data.by_train else 0,
            known_nights=rules.nights_of(meeting.first_day, meeting.last_day),
            known_meals=[s.id for s in sessions if s.kind == "repas"],
            known_workshops=[s.id for s in sessions if s.kind == "atelier"],
            workshop_room=_workshops_free(meeting, leaving_out))
    except rules.RequestError as error:
        raise Refused(_messages()[error.code] % {"n": error.limit}) from None


def _fill(delegation: Delegation, data: Registration, user) -> None:
    for name in ("kind", "people_count", "contact_email", "contact_phone", "social_networks", "commune_id",
                 "collective_name", "home_town", "collective_form", "objectives", "initiatives", "municipal_list",
                 "municipal_functioning", "why_alone", "mandate_kind", "mandate_text", "proposals", "lodging_mode",
                 "dietary_needs", "by_train", "arrival"):
        setattr(delegation, name, getattr(data, name))
    delegation.shuttle_people = data.shuttle_people if data.by_train else 0
    if data.kind == "alone":  # a person alone has no collective and no mandate to carry
        delegation.commune_id, delegation.collective_name = None, ""
        delegation.mandate_kind, delegation.mandate_text = "libre", ""
    delegation.updated_at = utcnow()
    _set_members(delegation, data, user)
    delegation.nights = [LodgingNeed(night=night, people=n) for night, n in sorted(data.nights.items()) if n > 0]
    delegation.meals = [MealOrder(session_id=sid, people=n) for sid, n in sorted(data.meals.items()) if n > 0]
    delegation.workshops = [WorkshopChoice(session_id=sid, people=n)
                            for sid, n in sorted(data.workshops.items()) if n > 0]
    if data.document is not None:
        filename, content_type, content = data.document
        delegation.document = MandateDocument(filename=filename, content_type=content_type, size=len(content),
                                              content=content)


def _set_members(delegation: Delegation, data: Registration, user) -> None:
    """The head of delegation first, then the people named; a person named again keeps
    their check-in code (it may be printed already) and their account."""
    wanted = [data.head_name, *data.members]
    known = {m.name.casefold(): m for m in delegation.members}
    kept = []
    for position, name in enumerate(wanted):
        member = known.pop(name.casefold(), None) or Member(name=name, checkin_token=_token())
        member.position, member.name, member.is_head = -1 - position, name, position == 0
        kept.append(member)
    delegation.members = kept
    if delegation.id is not None:
        db.session.flush()  # positions moved out of the way first: (delegation, position) is unique
    for position, member in enumerate(kept):
        member.position = position
    head = kept[0]
    if head.user_id is None and delegation.registered_by_id in (None, user.id) and data.head_is_me:
        head.user_id = user.id


def register(meeting: Meeting, user, data: Registration) -> tuple[Delegation, rules.Placement]:
    lock(meeting)
    _check(meeting, data, None)
    delegations, people = registered_totals(meeting.id)
    place = rules.placement(now=utcnow(), deadline=meeting.registration_deadline, delegations=delegations,
                            people=people, newcomers=data.people_count, delegation_cap=meeting.delegation_cap,
                            people_cap=meeting.people_cap)
    delegation = Delegation(meeting_id=meeting.id, status=place.status, checkin_token=_token(),
                            registered_by_id=user.id)
    delegation.meeting = meeting
    _fill(delegation, data, user)
    db.session.add(delegation)
    db.session.flush()
    audit.record("cdc.delegation.registered", commune_id=meeting.assembly.commune_id,
                 target=public_name(delegation), meeting=meeting.assembly.title, status=place.status,
                 people=delegation.people_count)
    _confirm(delegation, user, place)
    return delegation, place


def update(delegation: Delegation, user, data: Registration, *, organiser: bool = False) -> None:
    """``organiser``: the change is the organisers' (asked to by mail, say), also after the
    deadline."""
    meeting = delegation.meeting
    if utcnow() > meeting.registration_deadline and not organiser:
        raise Refused(_("Registrations could be changed until the deadline; it has passed. Write to the "
                        "organisers for any change."), 409)
    lock(meeting)
    _check(meeting, data, delegation.id)
    if delegation.status == rules.REGISTERED and meeting.people_cap is not None:
        _delegations, people = registered_totals(meeting.id, leaving_out=delegation.id)
        if people + data.people_count > meeting.people_cap:
            raise Refused(_("The meeting is full: the delegation can count %(n)d people at most.",
                            n=max(meeting.people_cap - people, 0)), 409)
    if data.people_count < _matched_most(delegation):
        raise Refused(_("The organisers have found lodging for more people than that: ask them first."), 409)
    _fill(delegation, data, user)


def _matched_most(delegation: Delegation) -> int:
    """The most people of the delegation given a bed by a host on one night."""
    sums = db.session.scalars(db.select(func.sum(LodgingMatch.people))
                              .where(LodgingMatch.delegation_id == delegation.id).group_by(LodgingMatch.night))
    return max((int(n) for n in sums), default=0)


def cancel(delegation: Delegation) -> None:
    delegation.status = "cancelled"
    db.session.execute(db.delete(LodgingMatch).where(LodgingMatch.delegation_id == delegation.id))
    audit.record("cdc.delegation.cancelled", commune_id=delegation.meeting.assembly.commune_id,
                 target=public_name(delegation), meeting=delegation.meeting.assembly.title)


def admit(delegation: Delegation) -> None:
    """The organisers take a delegation off the waiting list (their own decision: the caps
    are theirs, and they may go past them knowingly)."""
    if delegation.status != rules.WAITING:
        raise Refused(_("This delegation is not on the waiting list."), 409)
    lock(delegation.meeting)
    delegation.status = rules.REGISTERED
    audit.record("cdc.delegation.admitted", commune_id=delegation.meeting.assembly.commune_id,
                 target=public_name(delegation), meeting=delegation.meeting.assembly.title)


def public_name(delegation: Delegation) -> str:
    """How a registration is named in public: its collective, never a person alone's name."""
    if delegation.kind == "alone":
        return _("A person coming without a collective")
    return delegation.collective_name or (delegation.commune.name if delegation.commune else "")


WAITING_REASONS = {
    rules.AFTER_DEADLINE: lambda: _("Registrations closed at the deadline: you are on the waiting list, "
                                    "the organisers will tell you if places free up."),
    rules.DELEGATIONS_FULL: lambda: _("The meeting already has as many delegations as it can welcome: you are "
                                      "on the waiting list, the organisers will tell you if places free up."),
    rules.PEOPLE_FULL: lambda: _("The meeting already has as many people as it can welcome: you are on the "
                                 "waiting list, the organisers will tell you if places free up."),
}


def placement_message(place: rules.Placement) -> str:
    if place.status == rules.REGISTERED:
        return _("Your delegation is registered. A confirmation mail has been sent.")
    return WAITING_REASONS[place.reason]()


def _confirm(delegation: Delegation, user, place: rules.Placement) -> None:
    from convergence.accounts.mail import send_mail

    meeting = delegation.meeting
    link = absolute_url("cdc.delegation", delegation_id=delegation.id)
    registered = place.status == rules.REGISTERED
    lines = [_("Hello,"), "",
             _("Your registration to « %(meeting)s » (%(days)s) has been received.", meeting=meeting.assembly.title,
               days=days_label(meeting)),
             _("Your delegation is registered.") if registered else placement_message(place), ""]
    if registered and meeting.venue_details:  # the place is told to those who come, as the guide does
        lines += [_("Where it takes place:"), meeting.venue_details, ""]
    lines += [_("People: %(n)d. You can change the registration until %(deadline)s, on its page:",
                n=delegation.people_count, deadline=deadline_label(meeting)), link, "",
              _("The same page shows the QR codes to show at the door."), "",
              _("Democratically, we look forward to welcoming you.")]
    to = delegation.contact_email or user.email
    send_mail(to, _("Registration to « %(meeting)s »", meeting=meeting.assembly.title), "\n".join(lines))


def days_label(meeting: Meeting) -> str:
    from flask_babel import format_date

    if meeting.first_day == meeting.last_day:
        return format_date(meeting.first_day, "d MMMM y")
    return _("%(first)s to %(last)s", first=format_date(meeting.first_day, "d MMMM"),
             last=format_date(meeting.last_day, "d MMMM y"))


def deadline_label(meeting: Meeting) -> str:
    from flask_babel import format_datetime

    return format_datetime(meeting.registration_deadline, "d MMMM y HH:mm")

