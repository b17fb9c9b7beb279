"""A meeting on an assembly, and its programme."""

from __future__ import annotations

from datetime import date, datetime
from itertools import groupby

from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db
from convergence.refusal import Refused

from .models import Meeting, Session

DAYS_MAX = 4


def meeting_of(assembly_id: int) -> Meeting | None:
    return db.session.scalar(db.select(Meeting).where(Meeting.assembly_id == assembly_id))


def meeting_on_page(assembly_id: int) -> Meeting | None:
    """``meeting_of`` read once per request: the assembly page asks for its navigation, its
    panel and its actions, which would each query it."""
    from flask import g

    seen = g.setdefault("cdc_meetings", {})
    if assembly_id not in seen:
        seen[assembly_id] = meeting_of(assembly_id)
    return seen[assembly_id]


def create(assembly, *, first_day: date, last_day: date, deadline: datetime, **fields) -> Meeting:
    if meeting_of(assembly.id) is not None:
        raise Refused(_("This assembly already holds a meeting."), 409)
    check_days(first_day, last_day)
    meeting = Meeting(assembly_id=assembly.id, first_day=first_day, last_day=last_day,
                      registration_deadline=deadline, **fields)
    meeting.assembly = assembly
    db.session.add(meeting)
    db.session.flush()
    audit.record("cdc.meeting.created", commune_id=assembly.commune_id, target=assembly.title)
    return meeting


def check_days(first_day: date, last_day: date) -> None:
    if last_day < first_day:
        raise Refused(_("The last day comes before the first."))
    if (last_day - first_day).days >= DAYS_MAX:
        raise Refused(_("A meeting lasts %(n)d days at most.", n=DAYS_MAX))


def add_session(meeting: Meeting, *, kind: str, title: str, starts_at: datetime, ends_at: datetime, room: str = "",
                description: str = "", capacity: int | None = None) -> Session:
    if ends_at <= starts_at:
        raise Refused(_("A session ends after it starts."))
    if not meeting.first_day <= starts_at.date() <= meeting.last_day:
        raise Refused(_("The session is not on a day of the meeting."))
    clash = next((s for s in meeting.sessions if room and s.room == room and s.starts_at < ends_at
                  and starts_at < s.ends_at), None)
    if clash is not None:
        raise Refused(_("The room « %(room)s » already holds « %(title)s » then.", room=room, title=clash.title),
                      409)
    session = Session(kind=kind, title=title, starts_at=starts_at, ends_at=ends_at, room=room,
                      description=description, capacity=capacity)
    meeting.sessions.append(session)
    db.session.flush()
    return session


def programme(meeting: Meeting) -> list[tuple[date, list[tuple[datetime, list[Session]]]]]:
    """Days, each with its time slots, each with the sessions starting then (several at
    once: parallel workshops in their rooms)."""
    from flask_babel import to_user_timezone

    local = sorted(meeting.sessions, key=lambda s: (s.starts_at, s.room, s.id))
    days = []
    for day, sessions in groupby(local, key=lambda s: to_user_timezone(s.starts_at).date()):
        slots = [(start, list(group)) for start, group in groupby(sessions, key=lambda s: s.starts_at)]
        days.append((day, slots))
    return days
