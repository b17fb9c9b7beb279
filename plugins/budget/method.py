"""Budget ballots as a counting method of the balloting service
(``convergence.balloting.methods``), after majority judgment and yes / no.

Its definition is the process's :class:`ballots.BallotRules` (the projects on the ballot
with the cost the vote uses, and the limits). A ballot's text is :mod:`plugins.budget.ballots`'
(``3.7.12``, ``3:2.7:5``, ``-`` blank); the register publishes ``{"ballot": text, "receipt":
…}``; paper ballots are texts too (sheets typed one by one, ``paper.py``), never per-project
totals: the Method of Equal Shares needs every ballot. The tally is the allocation engine's
(``allocation.rules.allocate``) under the process's rule and lot.

The French sentences of a ballot's status are here (:func:`status_sentence`): the page's live
line and the refusal after submitting are the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from convergence.balloting.methods import CountingMethod, InvalidBallot
from convergence.balloting.register import ChainError
from convergence.web.inputs import whole_number

from . import ballots
from .allocation import election as elections
from .allocation.rules import Allocation, allocate
from .allocation.ties import TieOrder
from .money import euros

FIELD = "project"  # approval and knapsack: one checkbox per project, its number as value
POINTS_PREFIX = "points-"  # points: one field per project, ``points-<number>``
REGISTER_FORMAT = "convergence-budget-register/1"
MAX_FIELDS = 2_000  # more values than any ballot has projects: a forged form


@dataclass(frozen=True)
class Definition:
    """What the tally needs beyond the rules: the process's envelope, rule and lot's seed."""

    rules: ballots.BallotRules
    envelope: int
    rule: str
    seed: str


def _numbers(numbers: Iterable[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def problem_sentence(problem: ballots.Problem) -> str:
    """One problem in plain French (translated), with its figures."""
    code, limit, count, numbers = problem.code, problem.limit, problem.count, problem.numbers
    if code == "unknown":
        return ngettext("Project no. %(numbers)s is not on this ballot.",
                        "Projects no. %(numbers)s are not on this ballot.", len(numbers), numbers=_numbers(numbers))
    if code == "not_points":
        return ngettext("Points are whole numbers from 1 up (project no. %(numbers)s).",
                        "Points are whole numbers from 1 up (projects no. %(numbers)s).", len(numbers),
                        numbers=_numbers(numbers))
    if code == "too_few":
        if count == 0:
            return ngettext("You have not chosen any project: choose at least %(num)d.",
                            "You have not chosen any project: choose at least %(num)d.", limit)
        return ngettext("You have chosen %(count)d project: choose at least %(limit)d.",
                        "You have chosen %(count)d projects: choose at least %(limit)d.", count,
                        count=count, limit=limit)
    if code == "too_many":
        return ngettext("You have chosen %(count)d project: %(limit)d at most.",
                        "You have chosen %(count)d projects: %(limit)d at most.", count, count=count, limit=limit)
    if code == "points_per_project":
        if limit == 1:
            return ngettext("Project no. %(numbers)s is given more than a tick: a project is chosen or not.",
                            "Projects no. %(numbers)s are given more than a tick: a project is chosen or not.",
                            len(numbers), numbers=_numbers(numbers))
        return ngettext("Project no. %(numbers)s has more than %(limit)d points: %(limit)d at most per project.",
                        "Projects no. %(numbers)s have more than %(limit)d points: %(limit)d at most per project.",
                        len(numbers), numbers=_numbers(numbers), limit=limit)
    if code == "points_total":
        return _("You have given %(count)d points: %(limit)d at most in all.", count=count, limit=limit)
    if code == "over_envelope":
        return _("The projects you have chosen cost %(cost)s: %(limit)s at most.",
                 cost=euros(count), limit=euros(limit))
    raise ValueError(f"unknown problem {code!r}")


def status_sentence(rules: ballots.BallotRules, status: ballots.Status) -> str:
    """Where the ballot stands, in one sentence or a few: what is next to « Valider mon vote »."""
    if not status.valid:
        return " ".join(problem_sentence(problem) for problem in status.problems)
    if status.chosen == 0:
        return _("Your ballot is blank: it counts as taking part, without supporting any project.")
    if rules.kind == ballots.POINTS:
        if rules.max_points:
            return ngettext("Your ballot meets the rules: %(num)d point given out of %(limit)d.",
                            "Your ballot meets the rules: %(num)d points given out of %(limit)d.",
                            status.points, limit=rules.max_points)
        return ngettext("Your ballot meets the rules: %(num)d point given.",
                        "Your ballot meets the rules: %(num)d points given.", status.points)
    if rules.kind == ballots.KNAPSACK:
        return ngettext("Your ballot meets the rules: %(num)d project chosen, for %(cost)s out of %(limit)s.",
                        "Your ballot meets the rules: %(num)d projects chosen, for %(cost)s out of %(limit)s.",
                        status.chosen, cost=euros(status.cost), limit=euros(rules.envelope))
    return ngettext("Your ballot meets the rules: %(num)d project chosen.",
                    "Your ballot meets the rules: %(num)d projects chosen.", status.chosen)


def _forged() -> InvalidBallot:
    # Made only when raised: building it translates its message, on every cast otherwise.
    return InvalidBallot(_l("This ballot is not one this page sends. Nothing was recorded."))


def read_form(rules: ballots.BallotRules, form) -> tuple[dict[int, int], tuple[int, ...]]:
    """(content, numbers whose points are not a whole positive number) of a ballot's form.
    An empty points field, or 0, gives nothing. Raises :class:`InvalidBallot` for a form
    no ballot page sends (a field that names no project, thousands of values)."""
    content: dict[int, int] = {}
    bad: list[int] = []
    if rules.kind == ballots.POINTS:
        keys = [key for key in form if key.startswith(POINTS_PREFIX)]
        if len(keys) > MAX_FIELDS:
            raise _forged()
        for key in keys:
            number = whole_number(key[len(POINTS_PREFIX):], low=1)
            values = form.getlist(key)
            if number is None or len(values) != 1:
                raise _forged()
            raw = values[0].strip()
            if not raw or raw == "0":
                continue
            points = whole_number(raw, low=1)
            if points is None:
                bad.append(number)
            else:
                content[number] = points
        return content, tuple(sorted(bad))
    values = form.getlist(FIELD)
    if len(values) > MAX_FIELDS:
        raise _forged()
    for raw in values:
        number = whole_number(raw.strip(), low=1)
        if number is None:
            raise _forged()
        content[number] = 1
    return content, ()


def check_form(rules: ballots.BallotRules, content: Mapping[int, int], bad: tuple[int, ...] = ()) -> ballots.Status:
    status = ballots.check(rules, content)
    if bad:
        status = ballots.Status(status.chosen, status.points, status.cost,
                                (ballots.Problem("not_points", numbers=bad), *status.problems))
    return status


class BudgetBallots(CountingMethod):
    name = "budget"
    title = _l("Participatory budget")
    register_format = REGISTER_FORMAT
    form_template = "budget/_ballot_fields.html"
    # Drawn by the results branch (its templates are budget/results*.html); no core page uses it yet.
    result_template = "budget/results_method.html"

    def read(self, rules: ballots.BallotRules, form) -> dict[int, int]:
        """The content (project number → points) of a submitted ballot that meets the rules;
        otherwise :class:`InvalidBallot` with the sentence under ``errors["ballot"]`` and
        what was chosen as ``content``, to draw the ballot again as sent."""
        content, bad = read_form(rules, form)
        status = check_form(rules, content, bad)
        if not status.valid:
            raise InvalidBallot(errors={"ballot": status_sentence(rules, status)}, content=content)
        return content

    def serialise(self, rules: ballots.BallotRules, content: Mapping[int, int]) -> str:
        return ballots.serialise(content, rules.kind)

    def deserialise(self, rules, text: str) -> dict[int, int]:
        return ballots.deserialise(text)

    def entry(self, text: str) -> dict:
        ballots.deserialise(text)  # a text that is not a ballot is not published
        return {"ballot": text}

    def check_entry(self, header: dict, entry: dict, number: int) -> dict:
        text = entry.get("ballot")
        try:
            content = ballots.deserialise(text) if isinstance(text, str) else None
        except ballots.BallotTextError:
            content = None
        on_ballot = set(header.get("projects", ()))
        if content is None or any(n not in on_ballot for n in content):
            raise ChainError(f"entry {number}: the ballot does not fit the vote")
        return {"ballot": text, "receipt": entry["receipt"]}

    def election(self, definition: Definition, ballot_texts: Iterable[str], paper: Iterable[str] = ()):
        """The allocation engine's election: projects by number (ids are their numbers as
        text), every online and paper ballot as its content."""
        numbers = sorted(definition.rules.costs)
        index = {number: i for i, number in enumerate(numbers)}
        projects = tuple(elections.Project(str(n), definition.rules.costs[n]) for n in numbers)
        read = []
        for text in (*ballot_texts, *paper):
            content = ballots.deserialise(text)
            read.append({index[n]: p for n, p in content.items() if n in index})
        kind = elections.POINTS if definition.rules.kind == ballots.POINTS else elections.APPROVAL
        return elections.Election(definition.envelope, projects, tuple(read), kind)

    def tally(self, definition: Definition, ballot_texts, paper=()) -> Allocation:
        """The allocation of these serialised ballots and paper ballots (texts too), by the
        process's rule with the ties broken by its published lot. Heavy for a large vote:
        the results branch runs it as deferred work, not the close."""
        election = self.election(definition, ballot_texts, paper)
        return allocate(election, definition.rule, TieOrder(election, definition.seed))
