"""Majority judgment (Balinski–Laraki), following Mieux Voter's rule to the letter.

Pure Python, no framework import: the Flask layer translates labels and stores votes.

Vocabulary
----------
* A *grade* is an integer index on a scale of ``n_grades`` grades (2..10):
  ``0`` is the worst grade, ``n_grades - 1`` the best.
* A *tally* is the list of counts per grade for one option, worst grade first:
  ``tally[g]`` = number of judgments giving grade ``g``. Everything works on
  tallies, so the cost depends on the number of options and grades, never on
  the number of voters, and all arithmetic is exact (Python integers).

The rule
--------
* The *majority grade* of an option is the lower median of its judgments
  (for an even number of judgments, the worse of the two middle ones).
* Options with the same majority grade are separated by comparing, for each,
  the group of judgments strictly above the majority grade (adhesion) with the
  group strictly below it (contestation). The larger group decides: a larger
  adhesion ranks higher, a larger contestation ranks lower, and contestation
  wins when both are equal. If two options are still level (same majority
  grade, same deciding side, same size), the judgments at the majority grade
  are counted into the nearest grade of the deciding group and the comparison
  starts again.
* This is exactly the order of Balinski–Laraki *majority values* (the sequence
  of successive lower medians obtained by removing one median judgment at a
  time), which the test suite checks against a brute-force implementation.
  Options whose tallies are identical share a rank (ranks like 1, 2, 2, 4).

Missing judgments
-----------------
When ``participants`` is larger than the number of judgments an option got,
the difference is filled according to ``missing``:

``"worst"`` (default, Mieux Voter's recommendation)
    missing judgments count as the worst grade (``0``).
``"static"``
    missing judgments count as ``default_grade``.
``"median"``
    missing judgments count as the option's own majority grade, computed on
    the judgments it did get (an option with no judgment at all gets
    ``default_grade``).
``"normalized"``
    missing judgments are ignored: every tally is scaled by an integer factor
    so that all totals equal the least common multiple of the totals, which
    compares options by the proportions of the judgments they got. An option
    with no judgment at all counts as entirely ``default_grade``.
``"balanced"``
    no filling: every tally must already sum to ``participants`` (or to the
    same total when ``participants`` is not given), else :class:`TallyError`.
"""

from __future__ import annotations

import operator
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

__all__ = [
    "DEFAULT_GRADES",
    "MAX_GRADES",
    "MIN_GRADES",
    "MISSING_POLICIES",
    "NoJudgmentsError",
    "OptionResult",
    "Result",
    "TallyError",
    "complete_tallies",
    "majority_grade",
    "majority_value",
    "rank",
    "tally_ballots",
]

#: Mieux Voter's default 7-grade scale, WORST FIRST so that
#: ``DEFAULT_GRADES[g]`` is the label of grade index ``g`` (0 = "À rejeter",
#: 6 = "Excellent"). Plain strings on purpose: translation happens in the
#: Flask layer (mark them there with a lazy gettext).
DEFAULT_GRADES: tuple[str, ...] = (
    "À rejeter",
    "Insuffisant",
    "Passable",
    "Assez bien",
    "Bien",
    "Très bien",
    "Excellent",
)

MIN_GRADES = 2
MAX_GRADES = 10

MISSING_POLICIES = ("worst", "static", "median", "normalized", "balanced")


class TallyError(ValueError):
    """Tallies, ballots or parameters that cannot be ranked."""


class NoJudgmentsError(TallyError):
    """There is nothing to rank on: every option has zero judgments.

    Raised e.g. when ``participants`` is 0. Kept distinct so that a caller can
    show "no votes yet" instead of an error.
    """


# --------------------------------------------------------------------------
# Single tally
# --------------------------------------------------------------------------


def _as_count(value: object, what: str) -> int:
    # operator.index accepts any exact integer type (e.g. numpy ints) but
    # rejects floats and strings; bool is refused because True is never a count.
    if isinstance(value, bool):
        raise TallyError(f"{what}: {value!r} is not an integer count")
    try:
        count = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TallyError(f"{what}: {value!r} is not an integer count") from None
    if count < 0:
        raise TallyError(f"{what}: negative count {count}")
    return count


def _check_tally(counts: Sequence[int], what: str = "tally") -> list[int]:
    try:
        items = list(counts)
    except TypeError:
        raise TallyError(f"{what}: expected a sequence of counts, got {counts!r}") from None
    if not MIN_GRADES <= len(items) <= MAX_GRADES:
        raise TallyError(
            f"{what}: {len(items)} grades; a scale has {MIN_GRADES} to {MAX_GRADES} grades"
        )
    return [_as_count(c, f"{what}, grade {g}") for g, c in enumerate(items)]


def _lower_median(counts: Sequence[int], total: int) -> int:
    # The lower median is the first grade whose cumulative count reaches half
    # of the total (2*cum >= total); this holds for odd and even totals and is
    # unchanged when all counts are multiplied by the same factor.
    cumulative = 0
    for grade, count in enumerate(counts):
        cumulative += count
        if 2 * cumulative >= total:
            return grade
    raise AssertionError("unreachable for a positive total")


def majority_grade(counts: Sequence[int]) -> int:
    """Return the majority grade (lower median) of a tally, worst grade first.

    >>> majority_grade([1, 1, 1, 1])   # judgments 0,1,2,3: middle ones 1 and 2
    1
    """
    items = _check_tally(counts)
    total = sum(items)
    if total == 0:
        raise NoJudgmentsError("a tally with no judgment has no majority grade")
    return _lower_median(items, total)


def majority_value(counts: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """Return a sort key equivalent to the Balinski–Laraki majority value.

    The key is a tuple of ``(grade, signed_group)`` pairs, one per round of
    the adhesion/contestation comparison: ``grade`` is the majority grade of
    that round, ``signed_group`` is ``+adhesion`` when the adhesion group is
    strictly larger, ``-contestation`` otherwise, and ``0`` when every judgment
    is at the majority grade (last pair). It has at most ``n_grades`` pairs
    instead of one entry per judgment.

    Keys compare like majority values (bigger is better) **only between
    tallies with the same total**; :func:`rank` guarantees that by filling or
    normalising tallies first.
    """
    work = _check_tally(counts)
    total = sum(work)
    if total == 0:
        raise NoJudgmentsError("a tally with no judgment has no majority value")
    key: list[tuple[int, int]] = []
    while True:
        grade = _lower_median(work, total)
        below = sum(work[:grade])
        above = total - below - work[grade]
        if above > below:
            key.append((grade, above))
            # Nearest non-empty grade of the adhesion group.
            neighbour = next(g for g in range(grade + 1, len(work)) if work[g])
        elif below:
            # Contestation decides, including when both groups are equal.
            key.append((grade, -below))
            neighbour = next(g for g in range(grade - 1, -1, -1) if work[g])
        else:
            key.append((grade, 0))
            return tuple(key)
        # Counting the median judgments into the neighbouring grade keeps the
        # comparison with any option that had the same pair so far unchanged,
        # and removes one non-empty grade, so there are at most n_grades rounds.
        work[neighbour] += work[grade]
        work[grade] = 0


# --------------------------------------------------------------------------
# Ballots and missing judgments
# --------------------------------------------------------------------------


def tally_ballots(
    ballots: Iterable[Sequence[int | None]], n_options: int, n_grades: int
) -> list[list[int]]:
    """Count raw ballots into tallies.

    Each ballot holds one grade index (``0`` worst .. ``n_grades - 1`` best)
    per option, in option order, or ``None`` when the voter did not judge that
    option. Returns one tally (worst grade first) per option; ``None`` entries
    are not counted, so they become missing judgments for :func:`rank`.
    """
    if not MIN_GRADES <= n_grades <= MAX_GRADES:
        raise TallyError(f"{n_grades} grades; a scale has {MIN_GRADES} to {MAX_GRADES} grades")
    if n_options < 1:
        raise TallyError("there must be at least one option")
    tallies = [[0] * n_grades for _ in range(n_options)]
    for number, ballot in enumerate(ballots, start=1):
        if len(ballot) != n_options:
            raise TallyError(
                f"ballot {number}: {len(ballot)} grades for {n_options} options"
            )
        for option, grade in enumerate(ballot):
            if grade is None:
                continue
            if isinstance(grade, bool) or not isinstance(grade, int) or not 0 <= grade < n_grades:
                raise TallyError(
                    f"ballot {number}, option {option}: {grade!r} is not a grade index "
                    f"0..{n_grades - 1}"
                )
            tallies[option][grade] += 1
    return tallies


def complete_tallies(
    tallies: Mapping[Hashable, Sequence[int]],
    *,
    participants: int | None = None,
    missing: str = "worst",
    default_grade: int = 0,
) -> tuple[dict[Hashable, list[int]], int]:
    """Validate tallies and fill missing judgments (see the module docstring).

    Returns ``(completed tallies, participants)``; all completed tallies have
    the same total, which is what makes them comparable. ``participants``
    defaults to the largest number of judgments received by an option.
    """
    if missing not in MISSING_POLICIES:
        raise TallyError(
            f"unknown missing-judgment policy {missing!r}; expected one of "
            + ", ".join(MISSING_POLICIES)
        )
    if not tallies:
        raise TallyError("there is no option to rank")
    checked = {option: _check_tally(counts, f"option {option!r}") for option, counts in tallies.items()}
    n_grades = len(next(iter(checked.values())))
    for option, counts in checked.items():
        if len(counts) != n_grades:
            raise TallyError(
                f"option {option!r} has {len(counts)} grades, other options have {n_grades}"
            )
    default_grade = _as_count(default_grade, "default grade")
    if default_grade >= n_grades:
        raise TallyError(f"default grade {default_grade} is not on the 0..{n_grades - 1} scale")

    totals = {option: sum(counts) for option, counts in checked.items()}
    if participants is None:
        participants = max(totals.values())
    else:
        participants = _as_count(participants, "participants")
        for option, total in totals.items():
            if total > participants:
                raise TallyError(
                    f"option {option!r} has {total} judgments for only {participants} participants"
                )

    if missing == "normalized":
        common = lcm(*(t for t in totals.values() if t)) if any(totals.values()) else 0
        completed = {}
        for option, counts in checked.items():
            total = totals[option]
            if total:
                factor = common // total
                completed[option] = [c * factor for c in counts]
            else:
                completed[option] = [0] * n_grades
                completed[option][default_grade] = common
    else:
        if missing == "balanced":
            for option, total in totals.items():
                if total != participants:
                    raise TallyError(
                        f"unbalanced tallies: option {option!r} has {total} judgments, "
                        f"expected {participants}; choose a missing-judgment policy"
                    )
        completed = {}
        for option, counts in checked.items():
            gap = participants - totals[option]
            filled = list(counts)
            if gap:
                if missing == "worst":
                    grade = 0
                elif missing == "median" and totals[option]:
                    grade = _lower_median(counts, totals[option])
                else:  # "static", or "median" without any judgment to take a median of
                    grade = default_grade
                filled[grade] += gap
            completed[option] = filled
        common = participants

    if common == 0:
        raise NoJudgmentsError("no judgments to rank: every option has 0 judgments")
    return completed, participants


# --------------------------------------------------------------------------
# Ranking
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionResult:
    """Outcome for one option.

    ``tally`` holds the counts actually used for ranking (after filling or
    normalising missing judgments), worst grade first; it is also the merit
    profile to draw. ``adhesion`` / ``contestation`` count the judgments
    strictly above / below the majority grade in that tally.
    """

    option: Hashable
    rank: int
    majority_grade: int
    tally: tuple[int, ...]
    adhesion: int
    contestation: int
    index: int  # position of the option in the input, the tie-break for display order

    @property
    def total(self) -> int:
        return sum(self.tally)

    @property
    def proportions(self) -> tuple[Fraction, ...]:
        """Exact share of each grade, worst grade first (sums to 1)."""
        total = self.total
        return tuple(Fraction(c, total) for c in self.tally)

    @property
    def percentages(self) -> tuple[float, ...]:
        """Share of each grade in percent, for display only (rounding may not sum to 100)."""
        total = self.total
        return tuple(100 * c / total for c in self.tally)


@dataclass(frozen=True)
class Result:
    """Ranking of all options: ``ranking`` is sorted by rank, then input order."""

    ranking: list[OptionResult]
    n_grades: int
    participants: int
    missing: str

    @property
    def winners(self) -> list[OptionResult]:
        """Options ranked first (more than one only for identical tallies)."""
        return [r for r in self.ranking if r.rank == 1]

    def __getitem__(self, option: Hashable) -> OptionResult:
        for result in self.ranking:
            if result.option == option:
                return result
        raise KeyError(option)

    def ranks(self) -> dict[Hashable, int]:
        """Mapping option -> rank, in input order."""
        return {r.option: r.rank for r in sorted(self.ranking, key=lambda r: r.index)}


def rank(
    tallies: Mapping[Hashable, Sequence[int]],
    *,
    participants: int | None = None,
    missing: str = "worst",
    default_grade: int = 0,
) -> Result:
    """Rank options by majority judgment.

    ``tallies`` maps each option (name or id) to its counts per grade, worst
    grade first; all tallies must have the same number of grades (2..10).
    ``participants`` is the number of voters (defaults to the largest
    number of judgments received by an option); the judgments an option is
    short of are filled according to ``missing`` (``"worst"``, ``"static"``
    with ``default_grade``, ``"median"``, ``"normalized"`` or ``"balanced"``).

    Raises :class:`TallyError` for negative or non-integer counts, tallies of
    different lengths, more judgments than participants, an unknown policy,
    and :class:`NoJudgmentsError` when there is no judgment at all.
    """
    completed, participants = complete_tallies(
        tallies, participants=participants, missing=missing, default_grade=default_grade
    )
    entries = [
        (majority_value(counts), index, option, counts)
        for index, (option, counts) in enumerate(completed.items())
    ]
    # Best key first; Python's sort is stable, so ties keep input order.
    entries.sort(key=lambda entry: entry[0], reverse=True)

    ranking: list[OptionResult] = []
    previous_key = None
    current_rank = 0
    for position, (key, index, option, counts) in enumerate(entries, start=1):
        if key != previous_key:
            # Equal keys mean identical tallies: they share the rank, and the
            # next different option skips the shared places (1, 2, 2, 4).
            current_rank = position
            previous_key = key
        grade = key[0][0]
        ranking.append(
            OptionResult(
                option=option,
                rank=current_rank,
                majority_grade=grade,
                tally=tuple(counts),
                adhesion=sum(counts[grade + 1 :]),
                contestation=sum(counts[:grade]),
                index=index,
            )
        )
    n_grades = len(next(iter(completed.values())))
    return Result(ranking=ranking, n_grades=n_grades, participants=participants, missing=missing)
