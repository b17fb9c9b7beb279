"""The rules of a registration, in plain Python (no Flask, no database): tested on their
own with hypothesis, used by the services with what they read under the meeting's lock.

- :func:`placement`: registered or on the waiting list, and why;
- :func:`check_request`: what a delegation asks (lodging, meals, workshops, shuttle) fits
  the number of people it says it is;
- :func:`nights_of`: the nights of a meeting (the night before each day);
- :func:`match_fits`: a host's places on a night are not given twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

REGISTERED, WAITING = "registered", "waiting"
#: Why a registration waits.
AFTER_DEADLINE, DELEGATIONS_FULL, PEOPLE_FULL = "after_deadline", "delegations_full", "people_full"

#: Members a delegation may name or count; a larger group registers in several parts.
PEOPLE_MAX = 60


@dataclass(frozen=True)
class Placement:
    status: str
    reason: str | None = None


def placement(*, now: datetime, deadline: datetime, delegations: int, people: int, newcomers: int,
              delegation_cap: int | None, people_cap: int | None) -> Placement:
    """Where a new registration of ``newcomers`` people goes, given the delegations and
    people already registered (not counting those waiting)."""
    if now > deadline:
        return Placement(WAITING, AFTER_DEADLINE)
    if delegation_cap is not None and delegations >= delegation_cap:
        return Placement(WAITING, DELEGATIONS_FULL)
    if people_cap is not None and people + newcomers > people_cap:
        return Placement(WAITING, PEOPLE_FULL)
    return Placement(REGISTERED)


def nights_of(first_day: date, last_day: date) -> list[date]:
    """The nights one may sleep there: the one before each day (arriving the evening
    before), each named by the day it starts."""
    days = (last_day - first_day).days
    return [first_day + timedelta(days=n - 1) for n in range(days + 1)]


class RequestError(ValueError):
    """What a delegation asks does not fit; ``field`` names the part of the form."""

    def __init__(self, field: str, code: str, limit: int = 0):
        super().__init__(f"{field}: {code}")
        self.field, self.code, self.limit = field, code, limit


def check_request(*, people: int, named: int, nights: dict, meals: dict, workshops: dict, shuttle: int,
                  known_nights, known_meals, known_workshops, workshop_room: dict | None = None) -> None:
    """Raise :class:`RequestError` on the first thing that does not fit: more names than
    people, more beds, meals, workshop places or shuttle seats than the delegation has
    people, a night, meal or workshop the meeting does not have, or a negative count.
    ``workshop_room``: places still free per workshop (None: no limit)."""
    if not 1 <= people <= PEOPLE_MAX:
        raise RequestError("people_count", "people_range", PEOPLE_MAX)
    if named > people:
        raise RequestError("members", "more_names", people)
    for field, asked, known in (("nights", nights, set(known_nights)), ("meals", meals, set(known_meals)),
                                ("workshops", workshops, set(known_workshops))):
        for key, count in asked.items():
            if key not in known:
                raise RequestError(field, "unknown")
            if count < 0:
                raise RequestError(field, "negative")
            if count > people:
                raise RequestError(field, "more_than_people", people)
    if not 0 <= shuttle <= people:
        raise RequestError("shuttle_people", "more_than_people", people)
    for key, free in (workshop_room or {}).items():
        if free is not None and workshops.get(key, 0) > free:
            raise RequestError("workshops", "room_full", max(free, 0))


def match_fits(*, places: int, taken: int, people: int, needed: int) -> bool:
    """Whether ``people`` more of a delegation fit with a host on a night: the host's
    ``places`` minus those already ``taken``, and no more than the delegation still
    ``needed`` that night."""
    return 1 <= people <= places - taken and people <= needed
