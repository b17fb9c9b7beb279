"""Grading scales offered when a vote is created, with translatable labels and colours.

Everything is WORST FIRST, like the engine: ``labels[g]`` names grade index ``g``.
Built-in scales are stored by code so that their labels follow the reader's language;
a custom scale stores the facilitator's own words (not translated: they are content).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .engine import MAX_GRADES, MIN_GRADES

DEFAULT_SCALE = "mj7"
CUSTOM = "custom"

# English msgids; the French catalog maps them to Mieux Voter's words
# (Excellent, Très bien, Bien, Assez bien, Passable, Insuffisant, À rejeter).
EXCELLENT = _l("Excellent")
VERY_GOOD = _l("Very good")
GOOD = _l("Good")
FAIRLY_GOOD = _l("Fairly good")
PASSABLE = _l("Passable")
INSUFFICIENT = _l("Insufficient")
REJECT = _l("Reject")

BUILTIN_SCALES: dict[str, tuple] = {
    "mj7": (REJECT, INSUFFICIENT, PASSABLE, FAIRLY_GOOD, GOOD, VERY_GOOD, EXCELLENT),
    # The scale of the 2007 Orsay experiment.
    "mj6": (REJECT, INSUFFICIENT, PASSABLE, FAIRLY_GOOD, GOOD, VERY_GOOD),
    "mj5": (REJECT, INSUFFICIENT, PASSABLE, GOOD, EXCELLENT),
    "mj4": (REJECT, INSUFFICIENT, GOOD, EXCELLENT),
    "mj3": (_l("Unfavourable"), _l("Neutral"), _l("Favourable")),
    "mj2": (_l("Reject"), _l("Accept")),
    "numbers10": tuple(str(n) for n in range(10)),
}

SCALE_NAMES = {
    "mj7": _l("7 grades, from Reject to Excellent (recommended)"),
    "mj6": _l("6 grades, from Reject to Very good"),
    "mj5": _l("5 grades, from Reject to Excellent"),
    "mj4": _l("4 grades, from Reject to Excellent"),
    "mj3": _l("3 grades: Unfavourable, Neutral, Favourable"),
    "mj2": _l("2 grades: Reject, Accept"),
    "numbers10": _l("10 grades, numbered 0 to 9"),
    CUSTOM: _l("My own grades (2 to 10, typed below)"),
}


def scale_choices() -> list[tuple[str, object]]:
    return list(SCALE_NAMES.items())


def labels_for(scale: str, custom: list[str] | None = None) -> tuple:
    """Grade labels of a stored scale, worst first (lazy strings for built-in scales)."""
    if scale == CUSTOM:
        if not custom or not MIN_GRADES <= len(custom) <= MAX_GRADES:
            raise ValueError("a custom scale needs 2 to 10 labels")
        return tuple(custom)
    try:
        return BUILTIN_SCALES[scale]
    except KeyError:
        raise ValueError(f"unknown scale {scale!r}") from None


# Colour stops from "reject" (red) to "excellent" (green), chosen so that black text
# reads on none of them: labels are drawn beside the bars, never on them.
_RED = (0xB3, 0x1B, 0x1B)
_YELLOW = (0xE8, 0xC5, 0x47)
_GREEN = (0x1A, 0x7F, 0x37)


def _mix(a, b, t: float) -> str:
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def colours(n_grades: int) -> list[str]:
    """One fill colour per grade, worst (red) first, through yellow to green."""
    if n_grades < 2:
        raise ValueError("a scale has at least 2 grades")
    result = []
    for g in range(n_grades):
        t = g / (n_grades - 1)
        result.append(_mix(_RED, _YELLOW, t * 2) if t <= 0.5 else _mix(_YELLOW, _GREEN, (t - 0.5) * 2))
    return result


@dataclass(frozen=True)
class Scale:
    code: str
    labels: tuple  # worst first

    @property
    def size(self) -> int:
        return len(self.labels)

    @property
    def colours(self) -> list[str]:
        return colours(self.size)

    def label(self, grade: int) -> str:
        return str(self.labels[grade])

    def best_first(self) -> list[tuple[int, str]]:
        """(grade index, label) from the best grade down: the order voters read."""
        return [(g, str(self.labels[g])) for g in range(self.size - 1, -1, -1)]
