"""Budget processes: creating one in a space, editing it, its calendar, and the ballot's
rules frozen once the vote opens. Nothing here commits (the request flow does); a refusal
is a :class:`~convergence.refusal.Refused` raised before anything is written.

The rules frozen at the vote's opening are everything the count uses: the ballot's kind,
its minimum and maximum, its points, the allocation rule, who votes, the paper double
entry, and the envelopes (the process's and its areas'). They are frozen from the moment
``rules_frozen_at`` is set (the ballot branch sets it as the vote opens) or the vote's
start date has come, whichever is first: the clock alone suffices, so a worker late to
record the opening does not leave a window where the rules could still change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from convergence import audit
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.refusal import Refused
from convergence.web.markdown import render_markdown

from . import calendar
from .money import euros
from .models import (APPROVAL, DATED_PHASES, DELIBERATION, FOLLOW_UP, KNAPSACK, PHASES, POINTS, PUBLISHED,
                     Area, FollowUp, Phase, Process, Project, ProjectCategory)

# The columns of the ballot's rules, frozen with the envelopes once the vote opens.
RULE_FIELDS = ("ballot_kind", "min_choices", "max_choices", "max_points_per_project", "max_points", "rule",
               "voters", "double_entry")


@dataclass
class Values:
    """What the process form gives, checked (forms.ProcessForm.values())."""

    title: str
    description: str
    envelope: int
    ballot_kind: str = APPROVAL
    min_choices: int = 1
    max_choices: int | None = None
    max_points_per_project: int | None = None
    max_points: int | None = None
    rule: str = "equalshares/add1"
    voters: str = "members"
    double_entry: bool = False
    review_circle_id: int | None = None
    areas: list[tuple[str, int | None]] = field(default_factory=list)  # (name, envelope)
    categories: list[str] = field(default_factory=list)
    dates: dict[str, calendar.Dates] = field(default_factory=dict)  # dated phases only


# -- the calendar ------------------------------------------------------------------------

def dates_of(process: Process) -> dict[str, calendar.Dates]:
    return {p.name: calendar.Dates(p.starts_at, p.ends_at) for p in process.phases}


def events_of(process: Process, *, follow_up_started: bool | None = None) -> calendar.Events:
    """The events that start the undated phases, read from the process's rows (the result
    and the decision are loaded with the process by :func:`load_for_page`)."""
    result = getattr(process, "result", None)
    decision = getattr(process, "decision", None)
    if follow_up_started is None:
        follow_up_started = decision is not None and db.session.scalar(
            db.select(db.func.count()).select_from(FollowUp).join(Project, Project.id == FollowUp.project_id)
            .where(Project.process_id == process.id)) > 0
    return calendar.Events(vote_closed=process.vote_state == "closed",
                           result_published=result is not None and result.state == PUBLISHED,
                           decision_recorded=decision is not None, follow_up_started=bool(follow_up_started))


def current_phase(process: Process, now: datetime | None = None, **events) -> str | None:
    return calendar.current_phase(dates_of(process), events_of(process, **events), now or utcnow())


def steps(process: Process, now: datetime | None = None) -> list[calendar.Step]:
    return calendar.steps(dates_of(process), events_of(process), now or utcnow())


def phase_is_open(process: Process, name: str, now: datetime | None = None) -> bool:
    # Only the dated phases are asked: the events of the later ones cannot have happened
    # while a dated phase is within its dates, except the vote closed by hand.
    events = calendar.Events(vote_closed=process.vote_state == "closed")
    return calendar.is_open(dates_of(process), events, name, now or utcnow())


def rules_frozen(process: Process, now: datetime | None = None) -> bool:
    return process.rules_frozen_at is not None or calendar.vote_has_opened(dates_of(process), now or utcnow())


def phase_label(name: str | None) -> str:
    labels = {"submission": _("Project submission"), "review": _("Feasibility study"), "vote": _("Voting period"),
              "counting": _("Counting"), "results": _("Results"), "deliberation": _("Council decision"),
              "follow_up": _("Follow-up")}
    return labels.get(name, _("Not begun")) if name else _("Not begun")


# -- creating and editing ----------------------------------------------------------------

def create(space, author, values: Values) -> Process:
    """A new process in ``space`` with its seven phases, its areas and categories."""
    process = Process(space_id=space.id, created_by_id=author.id if author else None, title=values.title,
                      envelope=values.envelope)
    _check_dates(values.dates)
    _apply_text(process, values)
    for name in RULE_FIELDS:
        setattr(process, name, getattr(values, name))
    process.review_circle_id = values.review_circle_id
    process.phases = [Phase(name=name, position=i, starts_at=values.dates.get(name, calendar.Dates()).starts_at,
                            ends_at=values.dates.get(name, calendar.Dates()).ends_at)
                      for i, name in enumerate(PHASES)]
    process.areas = [Area(name=name, envelope=envelope) for name, envelope in values.areas]
    process.categories = [ProjectCategory(name=name) for name in values.categories]
    db.session.add(process)
    db.session.flush()
    audit.record("budget.process_created", commune_id=space.commune_id, target=f"budget:{process.id}",
                 title=process.title, envelope=process.envelope)
    return process


def frozen_changes(process: Process, values: Values) -> list[str]:
    """The names of the frozen rules ``values`` would change."""
    changed = [name for name in RULE_FIELDS if getattr(process, name) != getattr(values, name)]
    if process.envelope != values.envelope:
        changed.append("envelope")
    old_envelopes = {a.name: a.envelope for a in process.areas}
    if old_envelopes != dict(values.areas):
        changed.append("areas")
    old_vote = dates_of(process).get("vote", calendar.Dates()).starts_at
    if _to_the_minute(values.dates.get("vote", calendar.Dates()).starts_at) != _to_the_minute(old_vote):
        changed.append("vote_start")
    return changed


def _to_the_minute(moment: datetime | None) -> datetime | None:
    # The form shows dates to the minute: a date stored with seconds comes back without them.
    return moment.replace(second=0, microsecond=0) if moment is not None else None


def update(process: Process, values: Values, by, now: datetime | None = None) -> None:
    """Edit the process; once the vote has opened a change of its frozen rules is refused
    (409) and nothing is written — its title, description, categories and the later
    dates may still change."""
    now = now or utcnow()
    frozen = rules_frozen(process, now)
    if frozen and frozen_changes(process, values):
        raise Refused(_("The ballot rules are frozen since the vote opened: the kind of ballot, the numbers of "
                        "projects and points, the allocation rule, who votes and the envelopes can no longer "
                        "change. Nothing has been saved."), 409)
    _check_dates(values.dates)
    _apply_text(process, values)
    for name in RULE_FIELDS:
        setattr(process, name, getattr(values, name))
    process.envelope = values.envelope
    process.review_circle_id = values.review_circle_id
    for phase in process.phases:
        if phase.name in DATED_PHASES:
            dates = values.dates.get(phase.name, calendar.Dates())
            if not (frozen and phase.name == "vote"):  # its opening is past: kept as it was
                phase.starts_at = dates.starts_at
            phase.ends_at = dates.ends_at
    _sync_areas(process, values.areas)
    _sync_categories(process, values.categories)


def _apply_text(process: Process, values: Values) -> None:
    process.title = values.title
    process.description = values.description
    process.description_html = str(render_markdown(values.description))


def _check_dates(dates: dict[str, calendar.Dates]) -> None:
    problem = calendar.dates_problem(dates)
    if problem is None:
        return
    name, _sep, what = problem.partition(":")
    if what == "ends_before_start":
        raise Refused(_("The phase « %(phase)s » must end after it starts.", phase=phase_label(name)))
    raise Refused(_("The phase « %(phase)s » must start once the previous phase has ended.",
                    phase=phase_label(name)))


def _sync_areas(process: Process, wanted: list[tuple[str, int | None]]) -> None:
    # Kept by name, so the projects of an area keep it when the list is edited.
    by_name = {a.name: a for a in process.areas}
    keep = []
    for name, envelope in wanted:
        area = by_name.get(name) or Area(name=name)
        area.envelope = envelope
        keep.append(area)
    process.areas = keep


def _sync_categories(process: Process, wanted: list[str]) -> None:
    by_name = {c.name: c for c in process.categories}
    process.categories = [by_name.get(name) or ProjectCategory(name=name) for name in wanted]


# -- reading -----------------------------------------------------------------------------

def load_for_page(process_id: int) -> Process | None:
    """The process with what its page shows of it, in one query (phases, areas, categories
    and the result and decision rows that start the later phases)."""
    return db.session.scalar(
        db.select(Process).where(Process.id == process_id)
        .options(db.joinedload(Process.space), db.selectinload(Process.phases), db.selectinload(Process.areas),
                 db.selectinload(Process.categories), db.joinedload(Process.review_circle),
                 *_events_loaded()))


def _events_loaded():
    # The result and the decision rows (the later phases' events), loaded with the
    # processes rather than one query each; named by the backrefs models.py declares.
    return (db.selectinload(getattr(Process, "result")), db.selectinload(getattr(Process, "decision")))


def of_space(space) -> list[Process]:
    """The processes of a space, the newest first (one query)."""
    return list(db.session.scalars(db.select(Process).where(Process.space_id == space.id)
                                   .options(db.selectinload(Process.phases), *_events_loaded())
                                   .order_by(Process.id.desc())))


def rules_sentences(process: Process) -> list[str]:
    """The ballot's rules in plain French, one sentence each."""
    lines = [_("Envelope: %(amount)s.", amount=euros(process.envelope))]
    if process.ballot_kind == APPROVAL:
        if process.max_choices is None:
            lines.append(ngettext("Tick at least %(num)d project.", "Tick at least %(num)d projects.",
                                  process.min_choices))
        elif process.max_choices == process.min_choices:
            lines.append(ngettext("Tick exactly %(num)d project.", "Tick exactly %(num)d projects.",
                                  process.max_choices))
        else:
            lines.append(_("Tick between %(low)d and %(high)d projects.", low=process.min_choices,
                           high=process.max_choices))
    elif process.ballot_kind == POINTS:
        lines.append(_("Share your points: at most %(each)s points for one project and %(all)s points in all.",
                       each=process.max_points_per_project or "—", all=process.max_points or "—"))
    elif process.ballot_kind == KNAPSACK:
        lines.append(_("Tick projects whose costs add up to at most the envelope."))
    rule_lines = {
        "equalshares/add1": _("Funded projects are chosen by the Method of Equal Shares: each voter has an equal "
                              "share of the envelope and spends it on the projects they voted for."),
        "equalshares/add1-comparison": _("Funded projects are chosen by the Method of Equal Shares, kept unless "
                                         "more voters prefer what the greedy rule would fund."),
        "greedy": _("Funded projects are chosen by the greedy rule: the most voted first, each funded while it "
                    "still fits in what is left."),
    }
    lines.append(rule_lines.get(process.rule, process.rule))
    voters = {"members": _("Members of the space vote with their account."),
              "codes": _("Residents vote with a single-use voting code."),
              "both": _("Members vote with their account, residents without one with a voting code.")}
    lines.append(voters.get(process.voters, process.voters))
    if process.double_entry:
        lines.append(_("Each paper ballot is typed in twice by two people; it counts when both agree."))
    return lines


__all__ = ["DELIBERATION", "FOLLOW_UP", "RULE_FIELDS", "Values", "create", "current_phase", "dates_of",
           "events_of", "frozen_changes", "load_for_page", "of_space", "phase_is_open", "phase_label",
           "rules_frozen", "rules_sentences", "steps", "update"]
