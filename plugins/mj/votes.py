"""Defining a vote: its question, options, scale, voters and times; changing it before it
opens; opening it by hand.

These functions write in the caller's transaction and never commit: a page's handler
commits once (convergence/web/handlers.py), :mod:`plugins.mj.api` commits for other
plug-ins. What is announced on the live channel is announced after the commit, by the
``…_announced`` functions. An invalid definition raises :class:`VoteDefinitionError`
before anything is written, or leaves the caller to roll back what was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from flask_babel import gettext as _

from convergence import audit, phases
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.refusal import Refused
from convergence.spaces import space_ref

from . import ballots, sealed
from .engine import MAX_GRADES, MIN_GRADES
from .models import MAX_OPTIONS, VOTER_KINDS, Option, PaperBatch, Vote
from .scales import BUILTIN_SCALES, CUSTOM, DEFAULT_SCALE
from .status import DRAFT, OPEN, PHASE_KIND, SCHEDULED, announce, phase_of, schedule, status

OptionSpec = str | tuple[str, str | None, object]


class VoteDefinitionError(Refused, ValueError):
    """An invalid vote, option list, scale, schedule or paper count (message translated).
    A :class:`~convergence.refusal.Refused`: a page's handler draws its page again with the
    message; a ValueError, as other plug-ins have always caught it."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message, status)


def clean_options(options: Iterable[OptionSpec]) -> list[tuple[str, str | None, str | None]]:
    cleaned, seen = [], set()
    for spec in options:
        if isinstance(spec, str):
            label, plugin, source = spec, None, None
        else:
            label, plugin, source = spec
        label = " ".join(str(label).split())
        if not label:
            continue
        if len(label) > 300:
            raise VoteDefinitionError(_("An option is longer than 300 characters."))
        if label.casefold() in seen:
            raise VoteDefinitionError(_("The option « %(label)s » is given twice.", label=label))
        seen.add(label.casefold())
        cleaned.append((label, plugin, None if source is None else str(source)))
    if len(cleaned) < 2:
        raise VoteDefinitionError(_("A vote needs at least two options."))
    if len(cleaned) > MAX_OPTIONS:
        raise VoteDefinitionError(_("A vote has at most %(n)d options.", n=MAX_OPTIONS))
    return cleaned


def clean_scale(scale: str, custom_grades: Sequence[str] | None) -> tuple[int, list[str] | None]:
    if scale == CUSTOM:
        labels = [" ".join(str(g).split()) for g in (custom_grades or []) if str(g).strip()]
        if not MIN_GRADES <= len(labels) <= MAX_GRADES:
            raise VoteDefinitionError(_("Give between 2 and 10 grades, one per line."))
        if len({g.casefold() for g in labels}) != len(labels):
            raise VoteDefinitionError(_("Each grade must have a different name."))
        if any(len(g) > 60 for g in labels):
            raise VoteDefinitionError(_("A grade name is longer than 60 characters."))
        return len(labels), labels
    if scale not in BUILTIN_SCALES:
        raise VoteDefinitionError(_("Unknown grading scale."))
    return len(BUILTIN_SCALES[scale]), None


def check_voters(voters: str, in_circle: bool) -> None:
    if voters not in VOTER_KINDS or (voters == "commune" and not in_circle):
        raise VoteDefinitionError(_("Unknown kind of voters."))


def _check_times(opens_at, closes_at) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise VoteDefinitionError(_("The vote must close after it opens."))
    if closes_at and closes_at <= utcnow():
        raise VoteDefinitionError(_("The closing time is already past."))


def create(
    assembly=None,
    question: str = "",
    options: Iterable[OptionSpec] = (),
    *,
    circle=None,
    description: str = "",
    scale: str = DEFAULT_SCALE,
    custom_grades: Sequence[str] | None = None,
    voters: str = "members",
    live_results: bool = False,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    created_by=None,
    asked_by: tuple[str, object] | None = None,
) -> Vote:
    """A new vote in ``assembly`` or ``circle`` (see :func:`plugins.mj.api.create_vote`),
    flushed, not committed; everything is checked before anything is written."""
    if assembly is not None and circle is None and space_ref(assembly).kind == "circle":
        assembly, circle = None, assembly
    if (assembly is None) == (circle is None):
        raise TypeError("create_vote() needs either an assembly or a circle, not both")
    question = " ".join((question or "").split())
    if not question:
        raise VoteDefinitionError(_("The question is required."))
    if len(question) > 300:
        raise VoteDefinitionError(_("The question is longer than 300 characters."))
    check_voters(voters, circle is not None)
    _check_times(opens_at, closes_at)
    n_grades, custom = clean_scale(scale, custom_grades)
    vote = Vote(
        assembly_id=getattr(assembly, "id", None), circle_id=getattr(circle, "id", None),
        question=question, description=description or "", scale=scale,
        custom_grades=custom, n_grades=n_grades, voters=voters, live_results=bool(live_results),
        opens_at=opens_at, closes_at=closes_at,
        created_by_id=getattr(created_by, "id", None),
        asked_by=asked_by[0] if asked_by else None,
        asked_ref=str(asked_by[1])[:64] if asked_by else None,
    )
    vote.options = [
        Option(position=i, label=label, source_plugin=plugin, source_id=source)
        for i, (label, plugin, source) in enumerate(clean_options(options))
    ]
    vote.announced = OPEN if status(vote) == OPEN else DRAFT
    db.session.add(vote)
    db.session.flush()
    sealed.name_box(vote)
    schedule(vote)
    audit.record("mj.vote.created", commune_id=(circle or assembly).commune_id, target=question[:120],
                 vote=vote.id, **({"circle": circle.id} if circle is not None else {}))
    return vote


def created_announced(vote: Vote) -> None:
    """After the commit that created ``vote``: tell the live channel if it opened at once."""
    if vote.announced == OPEN:
        announce(vote, DRAFT, OPEN)


def update(vote: Vote, **fields) -> bool:
    """Change a vote that is not open yet (same arguments as :func:`create`); not
    committed. Returns whether the vote is open now (to be announced after the commit,
    :func:`created_announced`). On a refusal the caller rolls back what was written."""
    if status(vote) not in (DRAFT, SCHEDULED):
        raise VoteDefinitionError(_("A vote can only be changed before it opens."), 409)
    question = " ".join((fields.get("question", vote.question) or "").split())
    if not question or len(question) > 300:
        raise VoteDefinitionError(_("The question is required (at most 300 characters)."))
    opens_at, closes_at = fields.get("opens_at", vote.opens_at), fields.get("closes_at", vote.closes_at)
    _check_times(opens_at, closes_at)
    has_paper = db.session.scalar(
        db.select(PaperBatch.id).where(PaperBatch.box_id == vote.box_id).limit(1)) is not None
    if "options" in fields:
        cleaned = clean_options(fields["options"])
        # Same labels: keep the rows, and with them any link to another plug-in's items.
        if [c[0] for c in cleaned] != [o.label for o in vote.options]:
            if has_paper:
                raise VoteDefinitionError(_("Paper ballots have been entered: the options can no longer change."))
            # Emptied and flushed first, so the new positions never meet the old ones.
            vote.options.clear()
            db.session.flush()
            vote.options = [Option(position=i, label=label, source_plugin=plugin, source_id=source)
                            for i, (label, plugin, source) in enumerate(cleaned)]
    if "scale" in fields or "custom_grades" in fields:
        scale = fields.get("scale", vote.scale)
        n_grades, custom = clean_scale(scale, fields.get("custom_grades", vote.custom_grades))
        if n_grades != vote.n_grades and has_paper:
            raise VoteDefinitionError(_("Paper ballots have been entered: the scale can no longer change."))
        vote.scale, vote.custom_grades, vote.n_grades = scale, custom, n_grades
    vote.question, vote.opens_at, vote.closes_at = question, opens_at, closes_at
    for key in ("description", "voters", "live_results"):
        if key in fields:
            setattr(vote, key, fields[key])
    check_voters(vote.voters, vote.circle_id is not None)
    opened = status(vote) == OPEN
    vote.announced = OPEN if opened else DRAFT
    schedule(vote)
    return opened


def open_now(vote: Vote) -> str:
    """Open voting now (a vote not open yet), under the vote's exclusive lock; not
    committed. Returns the status announced before, for :func:`opened_announced`."""
    current = ballots.lock_vote(vote, exclusive=True)
    if current not in (DRAFT, SCHEDULED):
        raise VoteDefinitionError(_("This vote is already open or closed."), 409)
    vote.opens_at = utcnow()
    previous, vote.announced = vote.announced, OPEN
    phases.record(PHASE_KIND, vote.id, phase_of(previous), phases.OPEN)
    audit.record("mj.vote.opened", commune_id=vote.commune_id, target=vote.question[:120],
                 vote=vote.id)
    schedule(vote)
    return previous


def opened_announced(vote: Vote, previous: str) -> None:
    """After the commit that opened ``vote``: the core's ``phase-changed``, the live channel."""
    phases.changed(PHASE_KIND, vote, phase_of(previous), phases.OPEN)
    announce(vote, previous, OPEN)
