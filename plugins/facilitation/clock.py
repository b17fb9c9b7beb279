"""The speaking timer, read from timestamps: pure, no Flask, no database.

A turn's timer is never « ticked » by the server. It is three stored facts — the seconds
counted before the last start (``counted``), when it was last started if it runs now
(``running_since``), and the time allotted — so any page, loaded at any moment, shows the
right remaining time without JavaScript, and a page with JavaScript counts down from the
same facts until the next event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

RUNNING, PAUSED, OVER = "running", "paused", "over"


@dataclass(frozen=True)
class Clock:
    counted: float             # seconds spoken before ``running_since``
    running_since: datetime | None
    allotted: int              # seconds allotted to the turn (0: no limit)

    def elapsed(self, now: datetime) -> float:
        running = (now - self.running_since).total_seconds() if self.running_since else 0.0
        return self.counted + max(running, 0.0)

    def remaining(self, now: datetime) -> float | None:
        """Seconds left (negative once over), or None without a limit."""
        if not self.allotted:
            return None
        return self.allotted - self.elapsed(now)

    def state(self, now: datetime) -> str:
        left = self.remaining(now)
        if left is not None and left <= 0:
            return OVER
        return RUNNING if self.running_since else PAUSED

    def started(self, now: datetime) -> Clock:
        return self if self.running_since else Clock(self.counted, now, self.allotted)

    def paused(self, now: datetime) -> Clock:
        return Clock(self.elapsed(now), None, self.allotted) if self.running_since else self


def budget_left(budget: int, spent: float) -> float | None:
    """What is left of a list's (a delegation's) time budget for the item; None: no budget."""
    return None if not budget else budget - spent


def minutes_seconds(seconds: float | None) -> str:
    """« 1:05 », « -0:12 » once over; the room reads it from the back of the hall."""
    if seconds is None:
        return ""
    whole = int(abs(seconds) + (0 if seconds < 0 else 0.999))  # count down: 0.2 s left shows 0:01
    sign = "-" if seconds < 0 and whole else ""  # 0.3 s over is still « 0:00 », never « -0:00 »
    return f"{sign}{whole // 60}:{whole % 60:02d}"
