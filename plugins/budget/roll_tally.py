"""Émargements against paper sheets, per polling place (plain Python, no Flask).

At a polling place every paper ballot in the box was handed to someone marked on its
register (« liste d'émargement »): a person with an account, the holder of a voting code,
or a voter of the commune's roll counted as such (:attr:`PlaceCount.walk_ins`). A place
whose pile holds more sheets than its register has émargements, or fewer, is flagged: the
difference is shown on the paper page, before the vote's close and on the results.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlaceCount:
    place: str
    marked: int  # émargements of accounts and codes
    walk_ins: int  # voters of the commune's roll without account nor code, counted only
    sheets: int  # sheets typed (a sheet typed twice under double entry is one sheet)
    has_register: bool = True
    closed: bool = False

    @property
    def signed(self) -> int:
        """Émargements in all."""
        return self.marked + self.walk_ins

    @property
    def beyond(self) -> int:
        """Sheets beyond the émargements (negative: fewer sheets than émargements)."""
        return self.sheets - self.signed

    @property
    def flagged(self) -> bool:
        return self.beyond != 0

    def as_dict(self) -> dict:
        return {"place": self.place, "marked": self.marked, "walk_ins": self.walk_ins, "sheets": self.sheets,
                "has_register": self.has_register, "closed": self.closed}

    @classmethod
    def from_dict(cls, data: dict) -> PlaceCount:
        return cls(str(data["place"]), int(data["marked"]), int(data["walk_ins"]), int(data["sheets"]),
                   bool(data.get("has_register", True)), bool(data.get("closed", False)))


def compare(registers: dict[str, tuple[int, int, bool]], sheets: dict[str, int]) -> list[PlaceCount]:
    """Every polling place, by name: ``registers`` maps a place keeping a register to
    (émargements of accounts and codes, walk-ins, register closed); ``sheets`` a place to
    its sheets typed. Where no place keeps a register (an imported file, a process run
    without one) there is nothing to compare: empty. Otherwise a place whose sheets were
    typed without a register is listed too, with no émargement: flagged."""
    if not registers:
        return []
    names = sorted(set(registers) | set(sheets))
    counts = []
    for name in names:
        marked, walk_ins, closed = registers.get(name, (0, 0, False))
        counts.append(PlaceCount(name, marked, walk_ins, sheets.get(name, 0), name in registers, closed))
    return counts


def flagged(counts: list[PlaceCount]) -> list[PlaceCount]:
    return [count for count in counts if count.flagged]
