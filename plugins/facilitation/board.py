"""What the pages of a speaking list show, read in a fixed number of queries whatever the
size of the list: who speaks, who waits in which order and why, the timer, the budgets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from convergence.extensions import db
from convergence.models.base import utcnow

from . import order
from .clock import Clock, budget_left
from .models import SpeakingRequest
from .speakers import group_names, is_closed, rule_of, settings


@dataclass
class Waiting:
    row: SpeakingRequest
    position: int
    why: str
    ahead_of: SpeakingRequest | None
    #: The first person placed ahead of this one although they asked later, and why.
    passed_by: Waiting | None = None
    #: How lists are balanced in the assembly (order.LISTS_*), for the words of « why ».
    lists: str = order.LISTS_OFF


@dataclass
class Board:
    item: object
    closed: bool
    current: SpeakingRequest | None
    waiting: list[Waiting]
    now: datetime
    values: dict
    spent_by_group: dict = field(default_factory=dict)

    @property
    def clock(self) -> Clock | None:
        if self.current is None:
            return None
        return Clock(self.current.counted, self.current.running_since, self.current.allotted)

    @property
    def remaining(self) -> float | None:
        clock = self.clock
        return clock.remaining(self.now) if clock else None

    @property
    def timer_state(self) -> str:
        clock = self.clock
        return clock.state(self.now) if clock else ""

    @property
    def budget_remaining(self) -> float | None:
        """What is left of the time budget of the current speaker's list, or None."""
        if self.current is None or self.current.group is None:
            return None
        return budget_left(self.values["list_budget_seconds"], self.spent_by_group.get(self.current.group, 0.0))

    @property
    def spent_groups(self) -> list[str]:
        """The lists (delegations) whose time budget for the item is used up, in the
        assembly's order: the facilitator is told on the console."""
        budget = self.values["list_budget_seconds"]
        return [g for g in self.groups if budget and budget_left(budget, self.spent_by_group.get(g, 0.0)) <= 0]

    @property
    def groups(self) -> list[str]:
        return group_names(self.values)

    def position_of(self, user) -> Waiting | None:
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return next((w for w in self.waiting if w.row.user_id == user.id), None)

    def next(self, count: int = 3) -> list[Waiting]:
        return self.waiting[:count]


def _as_request(row: SpeakingRequest) -> order.Request:
    return order.Request(row.id, row.person, row.kind, row.id, row.group)


def _turns(assembly_id: int, item_id: int, meeting: bool) -> list[tuple]:
    """(person, group, item id, seconds) of the turns given so far: the item's, or the
    meeting's when new speakers are counted over the whole meeting."""
    where = [SpeakingRequest.state.in_(("speaking", "done"))]
    where.append(SpeakingRequest.assembly_id == assembly_id if meeting else SpeakingRequest.item_id == item_id)
    return db.session.execute(db.select(SpeakingRequest.person, SpeakingRequest.group, SpeakingRequest.item_id,
                                        SpeakingRequest.counted, SpeakingRequest.running_since)
                              .where(*where)).all()


def _placed(rows, turns, item, values) -> list[order.Placed]:
    spoken = [order.Turn(person, group, item_id) for person, group, item_id, *_ in turns]
    return order.fair_order([_as_request(r) for r in rows], spoken, item.id, rule_of(values))


def order_of(assembly, item, values) -> list[order.Placed]:
    rows = db.session.scalars(db.select(SpeakingRequest).where(
        SpeakingRequest.item_id == item.id, SpeakingRequest.state == "waiting")).all()
    turns = _turns(assembly.id, item.id, values["first_time"] == order.FIRST_IN_MEETING)
    return _placed(rows, turns, item, values)


def board_of(assembly, item) -> Board:
    """Three queries: the item's open rows, the turns given, whether the list is closed."""
    values = settings(assembly)
    now = utcnow()
    rows = db.session.scalars(db.select(SpeakingRequest).where(
        SpeakingRequest.item_id == item.id, SpeakingRequest.state.in_(("waiting", "speaking")))
        .options(db.joinedload(SpeakingRequest.user))).all()
    current = next((r for r in rows if r.state == "speaking"), None)
    waiting_rows = [r for r in rows if r.state == "waiting"]
    turns = _turns(assembly.id, item.id, values["first_time"] == order.FIRST_IN_MEETING)
    by_id = {r.id: r for r in waiting_rows}
    waiting = [Waiting(by_id[p.request.id], p.position, p.why, by_id[p.ahead_of.id] if p.ahead_of else None)
               for p in _placed(waiting_rows, turns, item, values)]
    for entry in waiting:
        entry.lists = values["lists"]
        entry.passed_by = next((other for other in waiting[:entry.position - 1]
                                if other.row.id > entry.row.id and other.why in (order.WHY_FIRST_TIME, order.WHY_LIST)),
                               None)
    spent: dict = {}
    for _person, group, item_id, counted, running_since in turns:
        if item_id == item.id and group is not None:
            spent[group] = spent.get(group, 0.0) + Clock(counted, running_since, 0).elapsed(now)
    return Board(item, is_closed(item.id), current, waiting, now, values, spent)


def why_text(entry: Waiting, *, yours: bool) -> str:
    """Why a request stands where it does, in the words people read on their phone."""
    other = entry.ahead_of.name if entry.ahead_of is not None else ""
    if entry.why == order.WHY_PROCEDURE:
        return _("A point of procedure goes to the top of the list.")
    if entry.why == order.WHY_REPLY:
        return _("A direct reply comes straight after the turn it answers.")
    if entry.why == order.WHY_FIRST_TIME:
        if yours:
            return _("You go before %(name)s because it is your first time speaking.", name=other)
        return _("Goes before %(name)s: first time speaking.", name=other)
    if entry.why == order.WHY_LIST and entry.lists == order.LISTS_UNHEARD:
        if yours:
            return _("You go before %(name)s because your list has not been heard yet in this item.", name=other)
        return _("Goes before %(name)s: their list has not been heard yet in this item.", name=other)
    if entry.why == order.WHY_LIST:
        if yours:
            return _("You go before %(name)s because your list has been heard less in this item.", name=other)
        return _("Goes before %(name)s: their list has been heard less in this item.", name=other)
    if yours and entry.passed_by is not None:
        if entry.passed_by.why == order.WHY_FIRST_TIME:
            return _("%(name)s goes before you because it is their first time speaking.",
                     name=entry.passed_by.row.name)
        if entry.lists == order.LISTS_UNHEARD:
            return _("%(name)s goes before you because their list has not been heard yet in this item.",
                     name=entry.passed_by.row.name)
        return _("%(name)s goes before you because their list has been heard less in this item.",
                 name=entry.passed_by.row.name)
    if yours:
        return _("Nobody who asked before you is behind you: arrival order.")
    return _("Arrival order.")


def kind_label(kind: str) -> str:
    return {"intervention": _("Intervention"), "reply": _("Direct reply"),
            "procedure": _("Point of procedure")}.get(kind, kind)
