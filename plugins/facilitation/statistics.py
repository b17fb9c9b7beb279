"""Anonymous speaking statistics of an item and of a meeting: pure, no Flask, no database.

What the « anthropologue de la parole » reports at the end: how many turns and how much
time each list had, and how many turns were people's first of the meeting. No name goes
in or out: people are opaque keys, and the result only counts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spoken:
    person: str          # an opaque key, never shown
    group: str | None    # the list or delegation, or None
    item: int
    seconds: float
    order: int           # when the turn was given (ids grow with time)


@dataclass
class GroupFigures:
    turns: int = 0
    seconds: float = 0.0


@dataclass
class Figures:
    turns: int = 0
    seconds: float = 0.0
    first_turns: int = 0             # turns that were the person's first of the meeting
    people: int = 0
    by_group: dict = field(default_factory=dict)  # group (None: no list) -> GroupFigures

    @property
    def first_share(self) -> float:
        return self.first_turns / self.turns if self.turns else 0.0


def figures(turns: list[Spoken], item: int | None = None) -> Figures:
    """The figures of one item (``item``) or of the whole meeting (None); a turn counts as a
    first when it is its person's first in the meeting, whatever the item."""
    first_of: dict[str, int] = {}
    for turn in sorted(turns, key=lambda t: t.order):
        first_of.setdefault(turn.person, turn.order)
    result = Figures()
    people = set()
    for turn in turns:
        if item is not None and turn.item != item:
            continue
        result.turns += 1
        result.seconds += turn.seconds
        result.first_turns += first_of[turn.person] == turn.order
        people.add(turn.person)
        group = result.by_group.setdefault(turn.group, GroupFigures())
        group.turns += 1
        group.seconds += turn.seconds
    result.people = len(people)
    return result
