"""The arithmetic of the follow-up (suivi de réalisation), plain Python: which projects
the council funded, and how far a budget's works have got.

**Funded projects.** The result's funded list, adjusted by the council decision's
departures: a departure ``funded=True`` adds a project the result did not fund, one
``funded=False`` takes out a project it did.

**A budget's progress** is the weighted mean of its projects' progress, each project
weighing its cost (a 200 000 € square half built counts for more than a 5 000 € bench
finished)::

    progress = Σ cost_i × progress_i / Σ cost_i

over the funded projects that are not abandoned: an abandoned project will never be
finished, so counting it would hold the budget below 100 % for ever; it is listed apart,
with its reason, on the page. When every project counted costs 0 € (the weights say
nothing) it is the plain mean; with no project counted, 0. Exact (``Fraction``): the
page rounds it only to show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

ABANDONED = "abandoned"


def funded_ids(result_funded: Iterable[int], departures: Iterable[tuple[int, bool]]) -> set[int]:
    """The ids the council funds: ``result_funded`` with each ``(project id, funded)``
    departure applied."""
    funded = set(result_funded)
    for project_id, is_funded in departures:
        if is_funded:
            funded.add(project_id)
        else:
            funded.discard(project_id)
    return funded


@dataclass(frozen=True)
class Work:
    """One funded project as the budget's progress sees it (euros are whole)."""

    cost: int
    progress: int  # 0 … 100
    status: str = "in_progress"
    committed: int = 0
    spent: int = 0


def budget_progress(works: Iterable[Work]) -> Fraction:
    """The budget's progress in % (0 … 100), as the module's docstring defines it."""
    counted = [w for w in works if w.status != ABANDONED]
    if not counted:
        return Fraction(0)
    weight = sum(w.cost for w in counted)
    if weight == 0:
        return Fraction(sum(w.progress for w in counted), len(counted))
    return Fraction(sum(w.cost * w.progress for w in counted), weight)


@dataclass(frozen=True)
class Totals:
    cost: int  # of the funded projects, abandoned ones included (the council voted them)
    committed: int
    spent: int
    envelope: int

    @property
    def left(self) -> int:
        """What is left of the envelope once every euro committed is paid."""
        return self.envelope - self.committed


def totals(works: Iterable[Work], envelope: int) -> Totals:
    works = list(works)
    return Totals(cost=sum(w.cost for w in works), committed=sum(w.committed for w in works),
                  spent=sum(w.spent for w in works), envelope=envelope)


def shown(percent: Fraction) -> str:
    """A percentage as the page writes it: one decimal, rounded down (a budget at 99.96 %
    is not finished), the French decimal comma added by the template's words."""
    tenths = (percent * 10).numerator // (percent * 10).denominator
    return f"{tenths // 10},{tenths % 10}"
