"""The speaking list of an agenda item: asking to speak, the names the facilitation adds,
giving the floor and the timer of the turn. Nothing here commits: the handler does, once;
what must go out on the live channel is queued for after that commit.

A person waits at most once per item: the database says so (a partial unique index), so
the check before inserting only gives the nicer message, and two requests at the same
instant still make one."""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from convergence import live
from convergence.extensions import db, on_commit
from convergence.models.base import utcnow
from convergence.refusal import Refused
from convergence.space_settings import settings_of
from convergence.spaces import space_ref

from . import order
from .clock import Clock
from .models import GROUP_MAX, NAME_MAX, PERSON_MAX, SpeakingList, SpeakingRequest
from .plugin import NAME

# Live events of the plug-in (hooks.py lists them for the pages).
LIST_CHANGED, FLOOR_GIVEN, TIMER_CHANGED = "speaking.list", "speaking.floor", "speaking.timer"


def settings(assembly) -> dict:
    return settings_of(assembly, NAME)


def rule_of(values: dict) -> order.Rule:
    return order.Rule(first_time=values["first_time"], lists=values["lists"])


def group_names(values: dict) -> list[str]:
    """The lists people choose from, as the assembly typed them (no duplicates, no blanks)."""
    names: list[str] = []
    for part in values["list_names"].split(","):
        name = " ".join(part.split())[:GROUP_MAX]
        if name and name not in names:
            names.append(name)
    return names


def person_of_user(user) -> str:
    return f"u:{user.id}"


def person_of_name(name: str) -> str:
    key = "n:" + " ".join(name.split()).casefold()
    if len(key) <= PERSON_MAX:
        return key
    # Case folding can lengthen a name (« ß » → « ss », « ﬃ » → « ffi ») past the column:
    # the start kept for reading, a digest of the whole so that the same name gives the
    # same key and two names that start alike do not meet.
    return key[:PERSON_MAX - 33] + "#" + hashlib.sha256(key.encode()).hexdigest()[:32]


def is_closed(item_id: int) -> bool:
    return bool(db.session.scalar(db.select(SpeakingList.closed).where(SpeakingList.item_id == item_id)))


def announce(assembly, event: str, data: dict) -> None:
    """``event`` on the assembly's channel once committed. A change of the speaking list
    carries the item's shared regions, rendered once for every page (live_regions.py; a
    timer change moves nobody's place); any other event (a consent round) carries none, so
    pages fetch what it changed."""
    space, assembly_id = space_ref(assembly), assembly.id  # read now: expired after the commit

    def publish():
        from .live_regions import with_regions

        shared = event in (LIST_CHANGED, FLOOR_GIVEN, TIMER_CHANGED)
        live.publish(space, event, with_regions(space, assembly_id, event, data, personal=event != TIMER_CHANGED)
                     if shared else data)

    on_commit(db.session, publish)


def _check_group(assembly, group: str | None) -> str | None:
    names = group_names(settings(assembly))
    if not group:
        return None
    if group not in names:
        raise Refused(_("Choose one of the lists offered."), 422)
    return group


def _insert(assembly, item, *, person: str, name: str, user_id: int | None, kind: str,
            group: str | None, already: str) -> SpeakingRequest:
    if kind not in order.KINDS:
        raise Refused(_("Choose what kind of turn you ask for."), 422)
    if is_closed(item.id):
        raise Refused(_("The speaking list of this item is closed."), 409)
    waiting = db.session.scalar(db.select(SpeakingRequest.id).where(
        SpeakingRequest.item_id == item.id, SpeakingRequest.person == person, SpeakingRequest.state == "waiting"))
    if waiting is not None:
        raise Refused(already, 409)
    request = SpeakingRequest(assembly_id=assembly.id, item_id=item.id, person=person, name=name[:NAME_MAX],
                              user_id=user_id, kind=kind, group=_check_group(assembly, group), asked_at=utcnow())
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError:  # the same person at the same instant, from another phone or worker
        db.session.rollback()
        raise Refused(already, 409) from None
    announce(assembly, LIST_CHANGED, {"item_id": item.id})
    return request


def ask(assembly, item, user, kind: str, group: str | None) -> SpeakingRequest:
    return _insert(assembly, item, person=person_of_user(user), name=user.display_name, user_id=user.id,
                   kind=kind, group=group, already=_("You are already on the speaking list."))


def add_name(assembly, item, name: str, kind: str, group: str | None) -> SpeakingRequest:
    """A name typed by the facilitation, for someone in the room without a phone."""
    name = " ".join(name.split())
    if not name:
        raise Refused(_("Write the person's name."), 422)
    return _insert(assembly, item, person=person_of_name(name), name=name, user_id=None, kind=kind,
                   group=group, already=_("%(name)s is already on the speaking list.", name=name))


def waiting_request_of(item_id: int, user) -> SpeakingRequest | None:
    return db.session.scalar(db.select(SpeakingRequest).where(
        SpeakingRequest.item_id == item_id, SpeakingRequest.person == person_of_user(user),
        SpeakingRequest.state == "waiting"))


def withdraw(assembly, request: SpeakingRequest) -> None:
    """The person takes their request back, or the facilitation removes it; a turn already
    given stays (it happened)."""
    changed = db.session.execute(
        db.update(SpeakingRequest).where(SpeakingRequest.id == request.id, SpeakingRequest.state == "waiting")
        .values(state="withdrawn", ended_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not changed:
        raise Refused(_("This request is no longer waiting."), 409)
    db.session.expire(request)
    announce(assembly, LIST_CHANGED, {"item_id": request.item_id})


def clear(assembly, item) -> int:
    """Every waiting request of the item withdrawn (asked for with a confirmation)."""
    count = db.session.execute(
        db.update(SpeakingRequest).where(SpeakingRequest.item_id == item.id, SpeakingRequest.state == "waiting")
        .values(state="withdrawn", ended_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    announce(assembly, LIST_CHANGED, {"item_id": item.id})
    return count


def set_closed(assembly, item, closed: bool) -> None:
    row = db.session.get(SpeakingList, item.id)
    if row is None:
        db.session.add(SpeakingList(item_id=item.id, assembly_id=assembly.id, closed=closed))
    else:
        row.closed = closed
    announce(assembly, LIST_CHANGED, {"item_id": item.id, "closed": closed})


def speaking(item_id: int) -> SpeakingRequest | None:
    return db.session.scalar(db.select(SpeakingRequest).where(
        SpeakingRequest.item_id == item_id, SpeakingRequest.state == "speaking"))


def _end(request: SpeakingRequest, now) -> None:
    clock = Clock(request.counted, request.running_since, request.allotted).paused(now)
    request.counted, request.running_since = clock.counted, None
    request.state, request.ended_at = "done", now


def end_turn(assembly, item) -> SpeakingRequest | None:
    current = speaking(item.id)
    if current is not None:
        _end(current, utcnow())
        db.session.flush()
        announce(assembly, FLOOR_GIVEN, {"item_id": item.id, "name": ""})
    return current


def give_floor(assembly, item, request_id: int | None = None) -> SpeakingRequest:
    """End the turn being spoken and give the floor to ``request_id`` — by default to the
    first of the fair order. The timer starts at once with the assembly's speaking time."""
    values = settings(assembly)
    if request_id is None:
        from .board import order_of

        placed = order_of(assembly, item, values)
        if not placed:
            raise Refused(_("Nobody is waiting to speak."), 409)
        request_id = placed[0].request.id
    now = utcnow()
    current = speaking(item.id)
    if current is not None:
        _end(current, now)
        db.session.flush()  # the one-speaking index: the old turn ends before the new one starts
    try:
        given = db.session.execute(
            db.update(SpeakingRequest).where(SpeakingRequest.id == request_id, SpeakingRequest.item_id == item.id,
                                             SpeakingRequest.state == "waiting")
            .values(state="speaking", started_at=now, running_since=now, counted=0.0,
                    allotted=values["speaking_seconds"]).execution_options(synchronize_session=False)).rowcount
    except IntegrityError:  # someone else gave the floor in this item at the same instant
        db.session.rollback()
        raise Refused(_("Someone else has just given the floor: look again."), 409) from None
    if not given:
        raise Refused(_("This request is no longer waiting: the list has changed, look again."), 409)
    request = db.session.get(SpeakingRequest, request_id)
    db.session.refresh(request)
    announce(assembly, FLOOR_GIVEN, {"item_id": item.id, "name": request.name})
    return request


def run_timer(assembly, item, action: str) -> SpeakingRequest:
    """``start``, ``pause`` or ``reset`` the timer of the turn being spoken."""
    current = speaking(item.id)
    if current is None:
        raise Refused(_("Nobody has the floor."), 409)
    now = utcnow()
    clock = Clock(current.counted, current.running_since, current.allotted)
    if action == "start":
        clock = clock.started(now)
    elif action == "pause":
        clock = clock.paused(now)
    elif action == "reset":
        clock = Clock(0.0, now if current.running_since else None, current.allotted)
    else:
        raise Refused(_("Unknown timer action."), 400)
    current.counted, current.running_since = clock.counted, clock.running_since
    announce(assembly, TIMER_CHANGED, {"item_id": item.id, "action": action})
    return current
