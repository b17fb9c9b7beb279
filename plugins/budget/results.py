"""The result of a budget process: computed at the close as deferred work, stored, then
published by a facilitator.

**When.** :func:`request` is what the close calls (it is connected to ``phase-changed`` for
the timed kind ``budget.vote`` entering ``closed``, see :func:`on_phase_changed`). It writes
the process's one :class:`~plugins.budget.models.Result` row (its primary key is the
process: asking twice, even at the same instant from two workers, writes one row and
computes once) and defers :func:`compute_result` after the commit. While it runs, the row
says ``computing`` with its progress (0-100), committed at each step and announced on the
space's live channel (event ``budget.result``), so the results page follows it.

**Computed, then published.** Paper sheets are often typed in during the count (« dépouillement »),
after the close: a computed result waits for a facilitator to look at it, compute it again
once the last sheets are in (:func:`recompute`), and publish it (:func:`publish`). Nobody
sees a computed result before it is published but the facilitators; once published it never
changes (the council's decision and the follow-up refer to it).

**What is counted.** Every ballot written out in the process's ballot box at the close
(``convergence.balloting.models.Ballot``: anonymous, the text of :mod:`plugins.budget.ballots`)
and the paper sheets that count: when the process asks for double entry, a sheet (polling
place, number) counts only once both its entries are typed and name the same projects with
the same points; without double entry, its single entry counts (and if a second entry was
typed anyway, both must agree). A sheet naming a project that is not on the ballot is
spoiled (« nul ») and counted apart. The projects on the ballot are the feasible ones.

**The hash of the ballots** (published): every counted ballot's canonical text
(``ballots.serialise`` of its content, hashed by ``ballots.ballots_hash``: numbers in increasing order, ``n:p`` for points
ballots, ``-`` for a blank one), online and paper alike, sorted as byte strings, each
followed by a line feed, hashed with SHA-256. The ``.pb`` export lists the same ballots in
the same order (voter ids 1, 2, 3 … given after sorting), so anyone can hash them again.

**Areas.** When some areas have their own envelope, each of those areas is a separate
allocation: its projects, its envelope, the ballots that give something to one of its
projects (only that part of each ballot). The projects of no area, or of an area without an
envelope, share what the process's envelope leaves once the areas' envelopes are set aside.
Without area envelopes (Wieliczka, Świecie) there is one allocation with the whole envelope.
Every part uses the process's rule and the same tie seed.

``Result.funded`` holds the funded projects' database ids (``Project.id``); the page, the
exports and ``details`` name projects by their number within the process, which is what
ballots and paper sheets use.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from convergence import audit, live, tasks
from convergence.balloting.models import Ballot
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.refusal import Refused
from convergence.spaces import space_ref

from . import ballots as ballot_text
from . import paper
from .paper import VOID
from .allocation import APPROVAL, POINTS, Election, TieOrder, allocate
from .allocation.explain import explain
from .allocation.fairness import fairness
from .allocation import Project as EngineProject
from .models import COMPUTED, COMPUTING, FAILED, PUBLISHED, QUEUED, Area, Process, Project, Result
from .projects import on_ballot as projects_on_ballot

log = logging.getLogger(__name__)

LIVE_EVENT = "budget.result"
TIMED_KIND = "budget.vote"  # the timed kind pb-ballots' status.py registers
_BATCH = 5_000  # ballots read per round trip


# -- what is counted -------------------------------------------------------------------------

@dataclass
class Count:
    """The ballots of a process as the computation reads them: canonical texts, by source."""

    online: list[str] = field(default_factory=list)
    paper: list[str] = field(default_factory=list)
    spoiled: int = 0  # paper sheets typed « nul », or naming a project not on the ballot
    disagreeing: int = 0  # paper sheets whose two entries differ
    waiting: int = 0  # paper sheets waiting for their second entry

    @property
    def texts(self) -> list[str]:
        return self.online + self.paper


def canonical(content: dict[int, int], kind: str) -> str:
    return ballot_text.serialise(content, POINTS if kind == POINTS else APPROVAL)


def _engine_kind(process: Process) -> str:
    # Knapsack ballots are read as approvals (the projects ticked), as Pabulib does.
    return POINTS if process.ballot_kind == POINTS else APPROVAL


def read_ballots(process: Process, on_progress=None, projects: list[Project] | None = None) -> Count:
    """Every counted ballot of the process, as canonical text (see the module's doc).
    ``projects``: those on the ballot when the caller has them already."""
    kind = _engine_kind(process)
    on_ballot = {p.number for p in (projects_on_ballot(process) if projects is None else projects)}
    count = Count()
    total = db.session.scalar(db.select(db.func.count()).select_from(Ballot).where(Ballot.box_id == process.box_id))
    # In pages by receipt (the primary key), not one server-side cursor: the progress is
    # committed between pages, and a commit would close such a cursor.
    last, done = "", 0
    while True:
        page = db.session.execute(
            db.select(Ballot.receipt, Ballot.content).where(Ballot.box_id == process.box_id, Ballot.receipt > last)
            .order_by(Ballot.receipt).limit(_BATCH)).all()
        if not page:
            break
        for _receipt, text in page:
            # Box ballots were checked against the frozen rules when cast: only read again.
            content = {n: p for n, p in ballot_text.deserialise(text).items() if n in on_ballot}
            count.online.append(canonical(content, kind))
        last, done = page[-1][0], done + len(page)
        if on_progress:
            on_progress(done, total)
    sheets = paper.tally(process)
    count.disagreeing, count.waiting = sheets.disagreeing, sheets.waiting
    for text in sheets.texts:
        if text == VOID:
            # Typed as « nul » by the tellers (paper.py): it took part, for no project.
            count.spoiled += 1
            continue
        content = ballot_text.deserialise(text)
        if any(n not in on_ballot for n in content):
            count.spoiled += 1
        else:
            count.paper.append(canonical(content, kind))
    return count


# -- the allocation ---------------------------------------------------------------------------

@dataclass
class Part:
    """One allocation: the whole process, or one area with its envelope."""

    name: str | None  # the area's name, None for the process (or the projects of no area)
    area_id: int | None
    envelope: int
    projects: list[Project]


def parts_of(process: Process, projects: list[Project], areas: list[Area]) -> list[Part]:
    """The allocations to run (see « Areas » in the module's doc)."""
    with_envelope = {a.id: a for a in areas if a.envelope}
    if not with_envelope:
        return [Part(None, None, process.envelope, projects)]
    parts = [Part(a.name, a.id, a.envelope, [p for p in projects if p.area_id == a.id])
             for a in sorted(with_envelope.values(), key=lambda a: a.name)]
    rest = [p for p in projects if p.area_id not in with_envelope]
    left = process.envelope - sum(a.envelope for a in with_envelope.values())
    if rest or left > 0:
        parts.insert(0, Part(None, None, max(left, 0), rest))
    return parts


def election_of(part: Part, texts: Iterable[str], kind: str, everyone: bool) -> Election:
    """The part's election: its projects (ids: their numbers) and, of each ballot, what it
    gives to them. ``everyone``: every ballot is a voter, a blank one too (one envelope for
    the whole process, as a Pabulib file lists its voters); otherwise the voters of a part
    are the ballots that give something to one of its projects."""
    index = {p.number: i for i, p in enumerate(part.projects)}
    ballots = []
    for text in texts:
        mine = {index[n]: points for n, points in ballot_text.deserialise(text).items() if n in index}
        if mine or everyone:
            ballots.append(mine)
    return Election(budget=part.envelope,
                    projects=tuple(EngineProject(str(p.number), p.vote_cost) for p in part.projects),
                    ballots=tuple(ballots), kind=kind)


def details(election: Election, allocation, ties: TieOrder) -> dict:
    """What the results page and the exports show for one allocation, apart from the
    explanations (why each project is or is not funded) and the fairness figures, which
    come from the engine's ``explain`` module: per project its votes, score, cost and
    whether funded; the greedy rule's outcome beside the rule's, for the side-by-side panel;
    the comparison step's count when the rule has one. Projects named by their number."""
    greedy = allocate(election, "greedy", ties) if allocation.rule != "greedy" else allocation
    funded, usual = set(allocation.funded), set(greedy.funded)
    result = {
        "projects": [
            {"number": int(p.id), "votes": election.votes(i), "score": int(election.score(i)),
             "cost": int(p.cost), "funded": i in funded, "funded_by_greedy": i in usual}
            for i, p in enumerate(election.projects)
        ],
        "funded": [int(election.projects[i].id) for i in allocation.funded],
        "greedy": [int(election.projects[i].id) for i in greedy.funded],
        "cost": int(allocation.cost),
        "greedy_cost": int(greedy.cost),
        "voters": len(election.ballots),
    }
    if allocation.comparison is not None:
        result["comparison"] = {"prefer_equal_shares": allocation.comparison.prefer_equal_shares,
                                "prefer_greedy": allocation.comparison.prefer_greedy}
    # Why each project is funded or not (exact figures of the run, allocation/explain.py),
    # and the fairness panel: the rule's outcome beside greedy's, over the same ballots.
    explanations = explain(election, allocation, ties)
    for index, entry in enumerate(result["projects"]):
        entry["why"] = _why(election, explanations[index])
    result["fairness"] = {"rule": fairness(election, allocation.funded).as_dict(),
                          "greedy": fairness(election, greedy.funded).as_dict()}
    if allocation.share is not None:
        result["share"] = _euros(allocation.share)
    return result


def _euros(amount) -> int:
    """A sum of the explanations in whole euros, as the page says it (rounded down: never
    more than was there)."""
    return int(Fraction(amount) // 1)


def _why(election: Election, explanation) -> dict:
    """An explanation as the page words it: amounts in whole euros, projects by number."""
    number = {i: int(p.id) for i, p in enumerate(election.projects)}
    why = {"method": explanation.method, "position": explanation.position, "round": explanation.round,
           "payers": explanation.payers, "paid_all": explanation.paid_all,
           "more_supporters": explanation.more_supporters}
    for key in ("money_left", "full_share"):
        value = getattr(explanation, key)
        why[key] = None if value is None else _euros(value)
    bound = explanation.max_cost
    # The highest whole-euro cost at which it is funded: the bound itself when reached,
    # else the last euro strictly below it (reaching it would only tie and lose the tie).
    if bound is None:
        why["max_cost"] = None
    else:
        value = Fraction(bound.value)
        why["max_cost"] = int(value // 1) if bound.reached else int(-(-value // 1)) - 1
    why["spent_on"] = sorted(([number[i], _euros(amount)] for i, amount in explanation.spent_on.items()
                              if amount > 0), key=lambda pair: -pair[1])
    return why


def roll_counts(process: Process):
    from .roll import counts

    return counts(process)


def compute(process: Process, on_progress=None) -> dict:
    """Everything the result stores, computed from the database as it is now (no write)."""
    step = on_progress or (lambda _percent: None)
    step(5)
    projects = projects_on_ballot(process)
    count = read_ballots(process, lambda done, total: step(5 + int(35 * done / max(total, 1))), projects)
    step(40)
    kind = _engine_kind(process)
    areas = list(db.session.scalars(db.select(Area).where(Area.process_id == process.id)))
    parts = parts_of(process, projects, areas)
    texts = count.texts
    stored_parts, funded, lot = [], [], []
    by_number = {p.number: p for p in projects}
    for k, part in enumerate(parts):
        election = election_of(part, texts, kind, everyone=len(parts) == 1)
        ties = TieOrder(election, process.tie_seed)
        allocation = allocate(election, process.rule, ties)
        part_details = details(election, allocation, ties)
        part_details.update(name=part.name, area_id=part.area_id, envelope=part.envelope,
                            left=part.envelope - part_details["cost"],
                            tie_order=[int(n) for n in ties.lot])
        stored_parts.append(part_details)
        funded += [by_number[n].id for n in part_details["funded"]]
        lot += part_details["tie_order"]
        step(40 + int(55 * (k + 1) / len(parts)))
    total = sum(p["cost"] for p in stored_parts)
    return {
        "rule": process.rule,
        "parameters": {
            "envelope": process.envelope, "ballot_kind": process.ballot_kind, "min_choices": process.min_choices,
            "max_choices": process.max_choices, "max_points_per_project": process.max_points_per_project,
            "max_points": process.max_points, "double_entry": process.double_entry, "tie_seed": process.tie_seed,
            "ties": "lowest cost, then most votes, then the lot (SHA-256 of seed, NUL, project number)",
            "utilities": "points" if kind == POINTS else "cost",
            "area_envelopes": {p["name"]: p["envelope"] for p in stored_parts if p["area_id"] is not None},
        },
        "tie_order": lot,
        "ballots_count": len(texts),
        "ballots_hash": ballot_text.ballots_hash(texts),
        "funded": funded,
        "total_cost": total,
        "details": {
            "parts": stored_parts,
            "left": process.envelope - total,
            "ballots": {"online": len(count.online), "paper": len(count.paper), "spoiled": count.spoiled,
                        "disagreeing": count.disagreeing, "waiting": count.waiting},
            # Émargements against sheets per polling place (roll.py): public, as in any
            # count of a vote on paper.
            "roll": [place.as_dict() for place in roll_counts(process)],
        },
    }


# -- the deferred work ---------------------------------------------------------------------------

def _announce(process_id: int, space, state: str, progress: int) -> None:
    try:
        live.publish(space, LIVE_EVENT, {"process": process_id, "state": state, "progress": progress})
    except Exception:  # the live channel is a convenience: the page shows the state when loaded
        log.exception("could not announce the result's progress of process %s", process_id)


@tasks.task(retries=2, retry_delay=30)
def compute_result(process_id: int) -> None:
    """Compute and store the result of ``process_id``. A result already computed or
    published is left as it is: a retry, or a second worker, changes nothing."""
    result = db.session.get(Result, process_id)
    if result is None or result.state in (COMPUTED, PUBLISHED):
        return
    process = result.process
    space = space_ref(process.space)  # read now: commits below expire the objects
    result.state, result.progress, result.error = COMPUTING, 0, ""
    db.session.commit()
    _announce(process_id, space, COMPUTING, 0)
    last = [0]

    def progress(percent: int) -> None:
        # Committed in steps of 10 at least: the page reads it from another transaction.
        if percent - last[0] >= 10:
            last[0] = percent
            db.session.execute(db.update(Result).where(Result.process_id == process_id).values(progress=percent))
            db.session.commit()
            _announce(process_id, space, COMPUTING, percent)

    try:
        stored = compute(process, progress)
    except Exception as error:
        db.session.rollback()
        result = db.session.get(Result, process_id)
        result.state, result.error = FAILED, f"{type(error).__name__}: {error}"[:2_000]
        db.session.commit()
        _announce(process_id, space, FAILED, result.progress)
        raise
    result = db.session.get(Result, process_id)
    for name, value in stored.items():
        setattr(result, name, value)
    result.state, result.progress, result.computed_at = COMPUTED, 100, utcnow()
    db.session.commit()
    _announce(process_id, space, COMPUTED, 100)


def request(process: Process) -> Result:
    """Ask for the result of ``process`` (the close calls it). Idempotent: the row exists
    once, and only the call that wrote it defers the computation. Does not commit: the
    computation starts after the caller's commit."""
    existing = db.session.get(Result, process.id)
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            result = Result(process_id=process.id, state=QUEUED, progress=0)
            db.session.add(result)
    except IntegrityError:
        # Another transaction wrote it first (two closes racing): theirs computes.
        return db.session.get(Result, process.id)
    tasks.defer(compute_result, process.id)
    return result


def recompute(process: Process) -> Result:
    """Compute again a result not yet published (paper sheets typed in after the close)."""
    result = db.session.get(Result, process.id)
    if result is None:
        return request(process)
    if result.state == PUBLISHED:
        raise Refused(_("A published result is not computed again."), 409)
    if result.state in (QUEUED, COMPUTING):
        return result
    result.state, result.progress, result.error = QUEUED, 0, ""
    result.requested_at = utcnow()
    tasks.defer(compute_result, process.id)
    return result


def publish(process: Process, user) -> Result:
    """Publish the computed result (a facilitator's act). Publishing twice changes nothing."""
    result = db.session.get(Result, process.id)
    if result is None or result.state not in (COMPUTED, PUBLISHED):
        raise Refused(_("The result can be published once it is computed."), 409)
    if result.state == COMPUTED:
        result.state, result.published_at, result.published_by_id = PUBLISHED, utcnow(), user.id
        # An official act: the journal keeps what was published, so that it can be checked.
        audit.record("budget.result.published", commune_id=process.commune_id, target=process.title[:120],
                     process=process.id, rule=result.rule, funded=len(result.funded), cost=result.total_cost,
                     ballots=result.ballots_count, ballots_hash=result.ballots_hash)
    return result


def published(process: Process) -> Result | None:
    result = db.session.get(Result, process.id)
    return result if result is not None and result.state == PUBLISHED else None


def live_events():
    """The hook ``live-events``: what the results pages listen to."""
    return [(LIVE_EVENT, "A budget's result changed state or progress (queued, computing, computed, published).")]


def on_phase_changed(sender, *, kind=None, new=None, **_more) -> None:
    """Connected to ``phase-changed``: a budget vote that closes asks for its result (in
    its own transaction: the receiver runs after the close's commit)."""
    if kind != TIMED_KIND or new != "closed" or not isinstance(sender, Process):
        return
    process = db.session.get(Process, sender.id)
    if process is not None:
        request(process)
        db.session.commit()
