"""A budget ballot: its content, its text, and whether it keeps the process's rules
(plain Python: no Flask, no database; the pages phrase the problems in French).

The **content** of a ballot maps project numbers (as printed on the ballot and the
project's page) to points: 1 for each project ticked on an approval or knapsack ballot,
the points given on a points ballot; a project not named got nothing.

Its **text** (what is sealed, written out at the close, published in the register, and
what a paper sheet is stored as) is ASCII without ``|``: the numbers in increasing order
joined by ``.``, each followed by ``:points`` on a points ballot — ``3.7.12``,
``3:2.7:5`` — and ``-`` for a blank ballot (nothing ticked).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

APPROVAL, POINTS, KNAPSACK = "approval", "points", "knapsack"
KINDS = (APPROVAL, POINTS, KNAPSACK)
BLANK = "-"
_TEXT = re.compile(r"^(?:-|[1-9][0-9]{0,5}(?::[1-9][0-9]{0,5})?(?:\.[1-9][0-9]{0,5}(?::[1-9][0-9]{0,5})?)*)$")


class BallotTextError(ValueError):
    """A text that is not a ballot (a tampered register entry, a corrupt row)."""


@dataclass(frozen=True)
class BallotRules:
    """What a ballot of one process must keep. ``costs``: the number of every project on
    the ballot → the cost the vote uses (the review's, else the authors')."""

    kind: str
    costs: Mapping[int, int]
    min_choices: int = 0
    max_choices: int | None = None
    max_points_per_project: int | None = None
    max_points: int | None = None
    envelope: int | None = None  # knapsack ballots: what the ticked projects may cost at most

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown ballot kind {self.kind!r}")
        if self.kind == POINTS and not (self.max_points_per_project or self.max_points):
            raise ValueError("a points ballot has a maximum per project or in all")
        if self.kind == KNAPSACK and self.envelope is None:
            raise ValueError("a knapsack ballot has an envelope")


@dataclass(frozen=True)
class Problem:
    """One way a ballot breaks the rules: ``code`` and the figures to phrase it with.

    Codes: ``unknown`` (``numbers``: not on this ballot), ``too_few`` / ``too_many``
    (``limit``, ``count``), ``points_per_project`` (``numbers``, ``limit``),
    ``points_total`` (``limit``, ``count``), ``over_envelope`` (``limit``, ``count``: the
    cost ticked), ``not_points`` (``numbers``: a tick on a points ballot counts as
    nothing, points must be whole and positive)."""

    code: str
    limit: int = 0
    count: int = 0
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Status:
    """Where a ballot stands against the rules, for the line next to « Valider mon vote »."""

    chosen: int  # projects given something
    points: int  # points given in all (= chosen on an approval or knapsack ballot)
    cost: int  # what the projects given something cost together
    problems: tuple[Problem, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not self.problems


def serialise(content: Mapping[int, int], kind: str) -> str:
    if not content:
        return BLANK
    if kind == POINTS:
        return ".".join(f"{number}:{content[number]}" for number in sorted(content))
    return ".".join(str(number) for number in sorted(content))


def ballots_hash(texts: Iterable[str]) -> str:
    """The published hash of a count: SHA-256 of the ballots' texts sorted as byte strings,
    each ended by a line feed (the ``.pb`` export lists them in that order, so anyone can
    hash them again). The platform's one hash of ballots."""
    digest = hashlib.sha256()
    for text in sorted(t.encode() for t in texts):
        digest.update(text + b"\n")
    return digest.hexdigest()


def deserialise(text: str) -> dict[int, int]:
    """The content of a ballot's text; a text of either kind reads (points default to 1)."""
    if not _TEXT.match(text):
        raise BallotTextError(f"not a budget ballot: {text[:40]!r}")
    if text == BLANK:
        return {}
    content: dict[int, int] = {}
    for part in text.split("."):
        number, _, points = part.partition(":")
        if int(number) in content:
            raise BallotTextError(f"project {number} twice in a ballot")
        content[int(number)] = int(points) if points else 1
    return content


def check(rules: BallotRules, content: Mapping[int, int]) -> Status:
    """The ballot's status: every problem at once, so that a voter sees all there is to
    correct (and the page's live line says the same as the refusal after submitting)."""
    problems: list[Problem] = []
    unknown = tuple(sorted(n for n in content if n not in rules.costs))
    if unknown:
        problems.append(Problem("unknown", numbers=unknown))
    known = {n: p for n, p in content.items() if n in rules.costs}
    bad_points = tuple(sorted(n for n, p in known.items()
                              if isinstance(p, bool) or not isinstance(p, int) or p <= 0))
    if bad_points:
        problems.append(Problem("not_points", numbers=bad_points))
    given = {n: p for n, p in known.items() if n not in bad_points}
    chosen, points = len(given), sum(given.values())
    cost = sum(rules.costs[n] for n in given)
    if rules.kind in (APPROVAL, KNAPSACK):
        over = tuple(sorted(n for n, p in given.items() if p != 1))
        if over:
            problems.append(Problem("points_per_project", limit=1, numbers=over))
    if chosen < rules.min_choices:
        problems.append(Problem("too_few", limit=rules.min_choices, count=chosen))
    if rules.max_choices is not None and chosen > rules.max_choices:
        problems.append(Problem("too_many", limit=rules.max_choices, count=chosen))
    if rules.kind == POINTS:
        if rules.max_points_per_project is not None:
            over = tuple(sorted(n for n, p in given.items() if p > rules.max_points_per_project))
            if over:
                problems.append(Problem("points_per_project", limit=rules.max_points_per_project, numbers=over))
        if rules.max_points is not None and points > rules.max_points:
            problems.append(Problem("points_total", limit=rules.max_points, count=points))
    if rules.kind == KNAPSACK and cost > rules.envelope:
        problems.append(Problem("over_envelope", limit=rules.envelope, count=cost))
    return Status(chosen, points, cost, tuple(problems))
