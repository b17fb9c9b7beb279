"""The fair order of a speaking list, as a pure function: no Flask, no database.

Given who is waiting and who has already spoken, :func:`fair_order` places every waiting
request and says why each one stands where it does, so that a person sees not only « 3e »
but « vous passez avant Claude car c'est votre première prise de parole ».

The rule, in order of precedence:

1. points of procedure go on top (among them, arrival order);
2. then direct replies, which answer the turn just given (arrival order);
3. then interventions, picked one at a time:
   a. people who have not spoken yet — in this item or in the whole meeting, as the
      assembly chose — before those who have;
   b. with alternation between lists (two self-declared lists, or delegations): the list
      heard the fewest times so far in the item, counting the turns already placed ahead;
      with « lists not yet heard first »: a list never heard in the item before the others;
   c. otherwise arrival order.

Picking one at a time (rather than sorting once) is what makes alternation work: each
intervention placed changes how often its list has been heard. Everything else is a
lexicographic key, so the result does not depend on the order of the input.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

PROCEDURE, REPLY, INTERVENTION = "procedure", "reply", "intervention"
KINDS = (PROCEDURE, REPLY, INTERVENTION)

# How new speakers are favoured: in the item, in the whole meeting, or not at all.
FIRST_IN_ITEM, FIRST_IN_MEETING, FIRST_OFF = "item", "meeting", "off"
# How lists are balanced: not at all, alternation (fewest turns first), or lists never
# heard in the item first (delegations of a Commune des Communes).
LISTS_OFF, LISTS_ALTERNATE, LISTS_UNHEARD = "off", "alternate", "unheard"

# Why a request stands where it does.
WHY_PROCEDURE = "procedure"      # a point of procedure goes on top
WHY_REPLY = "reply"              # a direct reply comes straight after the turn it answers
WHY_FIRST_TIME = "first_time"    # passes earlier arrivals: first time speaking
WHY_LIST = "list"                # passes earlier arrivals: their list has been heard less
WHY_ARRIVAL = "arrival"          # nobody who arrived earlier is behind them


@dataclass(frozen=True)
class Request:
    """One waiting request to speak. ``arrival`` orders requests by when they were made
    (the row's id); ``person`` names whoever asked (an account or a name typed by the
    facilitator); ``group`` is the list or delegation they chose, or None."""

    id: int
    person: str
    kind: str
    arrival: int
    group: str | None = None


@dataclass(frozen=True)
class Turn:
    """A turn already given (spoken, or being spoken): who, in which list, in which item."""

    person: str
    group: str | None
    item: int


@dataclass(frozen=True)
class Rule:
    first_time: str = FIRST_IN_ITEM
    lists: str = LISTS_OFF


@dataclass(frozen=True)
class Placed:
    """A request in its place: ``position`` from 1; ``why`` one of the WHY_ codes;
    ``ahead_of``: the earliest-arrived request it passes (for WHY_FIRST_TIME and
    WHY_LIST), whose name the page gives."""

    request: Request
    position: int
    why: str
    ahead_of: Request | None = None


def fair_order(waiting: list[Request], spoken: list[Turn], item: int, rule: Rule = Rule()) -> list[Placed]:
    """Every request of ``waiting`` in its place, with why; ``spoken``: the turns of the
    meeting so far (all items), ``item``: the agenda item whose list this is."""
    by_arrival = sorted(waiting, key=lambda r: (r.arrival, r.id))
    placed: list[Placed] = []
    for kind, why in ((PROCEDURE, WHY_PROCEDURE), (REPLY, WHY_REPLY)):
        placed += [Placed(r, 0, why) for r in by_arrival if r.kind == kind]
    interventions = [r for r in by_arrival if r.kind not in (PROCEDURE, REPLY)]
    placed += _interventions(interventions, spoken, item, rule)
    return [Placed(p.request, n, p.why, p.ahead_of) for n, p in enumerate(placed, start=1)]


def _interventions(remaining: list[Request], spoken: list[Turn], item: int, rule: Rule) -> list[Placed]:
    in_scope = [t for t in spoken if rule.first_time == FIRST_IN_MEETING or t.item == item]
    has_spoken = {t.person for t in in_scope} if rule.first_time != FIRST_OFF else set()
    heard = Counter(t.group for t in spoken if t.item == item)

    def list_rank(request: Request) -> int:
        if rule.lists == LISTS_ALTERNATE:
            return heard[request.group]
        if rule.lists == LISTS_UNHEARD:
            return 1 if heard[request.group] else 0
        return 0

    def key(request: Request) -> tuple:
        return (request.person in has_spoken, list_rank(request), request.arrival, request.id)

    result: list[Placed] = []
    remaining = list(remaining)  # in arrival order
    while remaining:
        chosen = min(remaining, key=key)
        earliest = remaining[0]
        if chosen is earliest:
            result.append(Placed(chosen, 0, WHY_ARRIVAL))
        elif key(chosen)[0] != key(earliest)[0]:
            result.append(Placed(chosen, 0, WHY_FIRST_TIME, earliest))
        else:
            result.append(Placed(chosen, 0, WHY_LIST, earliest))
        remaining.remove(chosen)
        heard[chosen.group] += 1
    return result


def next_up(waiting: list[Request], spoken: list[Turn], item: int, rule: Rule = Rule()) -> Request | None:
    """The request that gets the floor next, or None when nobody waits."""
    order = fair_order(waiting, spoken, item, rule)
    return order[0].request if order else None
