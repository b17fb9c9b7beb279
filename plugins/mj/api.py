"""Python API of the majority-judgment plug-in, for other plug-ins.

A plug-in that wants an assembly (or a thematic circle) to decide between its items (proposals,
amendments, candidates…) creates a vote whose options point back at them::

    from plugins.mj import api as mj

    vote = mj.create_vote(
        assembly,
        "Which proposal for the community garden?",
        options=[(p.title, "proposals", p.id) for p in proposals],
        opens_at=None,            # a facilitator opens it from the vote page
        created_by=current_user,
    )
    url = mj.vote_url(vote)       # link to it from your own page

A circle decides the same way: ``mj.create_vote(circle=circle, question=…, options=…)``
(or ``mj.create_vote(None, "…", […], circle=circle)``), with ``voters="members"`` (the
circle's members), ``"commune"`` (anyone with a role in the circle's commune) or
``"codes"``. Circle votes publish their live events on the circle's live channel.

and later reads the outcome::

    results = mj.results_for(vote)        # None while results are hidden
    if results:
        for r in results.ranking:         # best first; equal tallies share a rank
            r.option.source_plugin, r.option.source_id, r.rank, r.majority_label

All functions run inside a request or an application context and commit (except
where ``commit=False`` is offered). Invalid arguments raise :class:`VoteDefinitionError`
whose message is translated and meant for a person. The core never imports this
module: call it only after checking ``convergence.features.is_active(space, "mj")`` (the
plug-in is switched per assembly and per circle).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db
from convergence.spaces import space_ref
from convergence.models.base import utcnow

from . import ballots, closing, sealed
from .engine import MAX_GRADES, MIN_GRADES
from .models import MAX_OPTIONS, PAPER_SHARD, VOTER_KINDS, Code, Option, PaperBatch, PaperCount, Vote
from .results import VoteResults, compute
from .scales import BUILTIN_SCALES, CUSTOM, DEFAULT_SCALE
from .status import CLOSED, DRAFT, OPEN, SCHEDULED, announce, results_visible, status

__all__ = [
    "VoteDefinitionError", "add_paper_batch", "announce_created", "close_vote", "create_codes", "create_vote",
    "delete_paper_batch", "get_vote", "open_vote", "results_for", "status", "vote_url", "votes_for_source",
]

OptionSpec = str | tuple[str, str | None, object]


class VoteDefinitionError(ValueError):
    """An invalid vote, option list, scale, schedule or paper count (message translated)."""


def _options(options: Iterable[OptionSpec]) -> list[tuple[str, str | None, str | None]]:
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


def _scale(scale: str, custom_grades: Sequence[str] | None) -> tuple[int, list[str] | None]:
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


def _check_voters(voters: str, in_circle: bool) -> None:
    if voters not in VOTER_KINDS or (voters == "commune" and not in_circle):
        raise VoteDefinitionError(_("Unknown kind of voters."))


def create_vote(
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
    commit: bool = True,
) -> Vote:
    """Create a vote in ``assembly`` or, with ``circle=``, in a thematic circle (exactly
    one of the two; a Circle given as first argument counts as ``circle=``).

    ``options``: labels, or ``(label, source_plugin, source_id)`` tuples linking each
    option to an item of another plug-in (``source_id`` is stored as text).
    ``scale``: a code of :data:`plugins.mj.scales.BUILTIN_SCALES` (default: 7 grades
    from "Reject" to "Excellent"), or ``"custom"`` with ``custom_grades`` given
    WORST FIRST. ``voters``: ``"members"`` (anyone who may take part in the assembly;
    in a circle, its members), ``"commune"`` (circles only: anyone with a role in the
    circle's commune) or ``"codes"`` (holders of single-use codes, see :func:`create_codes`).
    ``opens_at``/``closes_at``: naive UTC; ``opens_at=None`` leaves the vote to be
    opened by hand. ``live_results`` shows results while voting is open.
    ``asked_by``: ``(plugin name, reference)`` of the plug-in asking for the vote, given back
    with the result by the ``vote-closed`` signal (``convergence.hooks.vote_closed``).
    """
    if assembly is not None and circle is None and space_ref(assembly).kind == "circle":
        assembly, circle = None, assembly
    if (assembly is None) == (circle is None):
        raise TypeError("create_vote() needs either an assembly or a circle, not both")
    question = " ".join((question or "").split())
    if not question:
        raise VoteDefinitionError(_("The question is required."))
    if len(question) > 300:
        raise VoteDefinitionError(_("The question is longer than 300 characters."))
    _check_voters(voters, circle is not None)
    if opens_at and closes_at and closes_at <= opens_at:
        raise VoteDefinitionError(_("The vote must close after it opens."))
    if closes_at and closes_at <= utcnow():
        raise VoteDefinitionError(_("The closing time is already past."))
    n_grades, custom = _scale(scale, custom_grades)
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
        for i, (label, plugin, source) in enumerate(_options(options))
    ]
    opened = status(vote) == OPEN
    vote.announced = OPEN if opened else DRAFT
    db.session.add(vote)
    db.session.flush()
    sealed.name_box(vote)
    audit.record("mj.vote.created", commune_id=(circle or assembly).commune_id, target=question[:120],
                 vote=vote.id, **({"circle": circle.id} if circle is not None else {}))
    if commit:
        db.session.commit()
        if opened:
            announce(vote, DRAFT, OPEN)
    return vote


def announce_created(vote: Vote) -> None:
    """Once the caller has committed a vote made with ``commit=False``: tell the live
    channel if it opened at once."""
    if vote.announced == OPEN:
        announce(vote, DRAFT, OPEN)


def update_vote(vote: Vote, **fields) -> Vote:
    """Change a vote that is not open yet (same arguments as :func:`create_vote`)."""
    if status(vote) not in (DRAFT, SCHEDULED):
        raise VoteDefinitionError(_("A vote can only be changed before it opens."))
    question = " ".join((fields.get("question", vote.question) or "").split())
    if not question or len(question) > 300:
        raise VoteDefinitionError(_("The question is required (at most 300 characters)."))
    opens_at, closes_at = fields.get("opens_at", vote.opens_at), fields.get("closes_at", vote.closes_at)
    if opens_at and closes_at and closes_at <= opens_at:
        raise VoteDefinitionError(_("The vote must close after it opens."))
    if closes_at and closes_at <= utcnow():
        raise VoteDefinitionError(_("The closing time is already past."))
    has_paper = db.session.scalar(
        db.select(PaperBatch.id).where(PaperBatch.box_id == vote.box_id).limit(1)) is not None
    if "options" in fields:
        cleaned = _options(fields["options"])
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
        n_grades, custom = _scale(scale, fields.get("custom_grades", vote.custom_grades))
        if n_grades != vote.n_grades and has_paper:
            raise VoteDefinitionError(_("Paper ballots have been entered: the scale can no longer change."))
        vote.scale, vote.custom_grades, vote.n_grades = scale, custom, n_grades
    vote.question, vote.opens_at, vote.closes_at = question, opens_at, closes_at
    for key in ("description", "voters", "live_results"):
        if key in fields:
            setattr(vote, key, fields[key])
    _check_voters(vote.voters, vote.circle_id is not None)
    opened = status(vote) == OPEN
    vote.announced = OPEN if opened else DRAFT
    db.session.commit()
    if opened:
        announce(vote, DRAFT, OPEN)
    return vote


def open_vote(vote: Vote) -> None:
    """Open voting now (a vote not open yet); announced on the live channel."""
    current = ballots.lock_vote(vote, exclusive=True)
    if current not in (DRAFT, SCHEDULED):
        db.session.rollback()
        raise VoteDefinitionError(_("This vote is already open or closed."))
    vote.opens_at = utcnow()
    previous, vote.announced = vote.announced, OPEN
    audit.record("mj.vote.opened", commune_id=vote.commune_id, target=vote.question[:120],
                 vote=vote.id)
    db.session.commit()
    announce(vote, previous, OPEN)


def close_vote(vote: Vote, closed_by=None) -> None:
    """Close voting now, fix the register's head, announce the close and the results,
    then send ``vote-closed`` (see ``closing.py``)."""
    try:
        closing.close(vote, closed_by)
    except closing.CannotClose as refused:
        raise VoteDefinitionError(str(refused)) from None


def get_vote(vote_id) -> Vote | None:
    """The vote with this id, or None."""
    return db.session.get(Vote, vote_id) if isinstance(vote_id, int) else None


def results_for(vote: Vote, *, force: bool = False) -> VoteResults | None:
    """The ranking, or None while results are hidden (before the close, unless the vote
    shows live results). ``force=True`` computes them anyway: for server-side use only,
    never to show to people before the close."""
    if not force and not results_visible(vote):
        return None
    return compute(vote)


def votes_for_source(source_plugin: str, source_id) -> list[Vote]:
    """Votes having an option linked to this item of another plug-in."""
    return list(db.session.scalars(
        db.select(Vote).where(Vote.id.in_(
            db.select(Option.vote_id)
            .where(Option.source_plugin == source_plugin, Option.source_id == str(source_id))
        )).order_by(Vote.id)
    ))


def vote_url(vote: Vote, **kwargs) -> str:
    return url_for("mj.show", vote_id=vote.id, **kwargs)


def create_codes(vote: Vote, count: int) -> list[Code]:
    """Add ``count`` single-use voting codes (1..1000) to a vote."""
    if not 1 <= count <= 1000:
        raise VoteDefinitionError(_("Create between 1 and 1000 codes at a time."))
    if status(vote) == CLOSED:
        raise VoteDefinitionError(_("This vote is closed."))
    codes = [Code(box_id=vote.box_id, code=ballots.new_code()) for _ in range(count)]
    db.session.add_all(codes)
    audit.record("mj.codes.created", commune_id=vote.commune_id, target=vote.question[:120],
                 vote=vote.id, count=count)
    db.session.commit()
    return codes


def add_paper_batch(vote: Vote, counts: dict[int, Sequence[int]], *, label: str = "",
                    entered_by=None) -> PaperBatch:
    """Record paper ballots counted in the room: ``counts[option_id][grade]``, worst first.

    Every paper ballot grades every option, so all options must add up to the same
    number of ballots. Refused once the vote is closed (the register is fixed then).
    """
    options = list(vote.options)
    if set(counts) != {o.id for o in options}:
        raise VoteDefinitionError(_("Give counts for every option of this vote, and only for them."))
    totals = set()
    for option in options:
        row = counts[option.id]
        if len(row) != vote.n_grades or any(
                isinstance(c, bool) or not isinstance(c, int) or c < 0 or c > 1_000_000 for c in row):
            raise VoteDefinitionError(_("Each count must be a whole number from 0 to 1,000,000."))
        totals.add(sum(row))
    if len(totals) != 1:
        raise VoteDefinitionError(_("Every option must have the same number of paper ballots: each ballot grades every option."))
    ballots_in_batch = totals.pop()
    if ballots_in_batch == 0:
        raise VoteDefinitionError(_("This batch holds no ballot."))
    try:
        if ballots.lock_vote(vote) == CLOSED:
            raise VoteDefinitionError(_("This vote is closed: paper ballots can no longer be added."))
        batch = PaperBatch(box_id=vote.box_id, label=" ".join(label.split())[:120], ballots=ballots_in_batch,
                           entered_by_id=getattr(entered_by, "id", None))
        batch.counts = [
            PaperCount(option_id=option.id, grade=grade, count=count)
            for option in options for grade, count in enumerate(counts[option.id]) if count
        ]
        db.session.add(batch)
        db.session.flush()
        ballots.add_counts(vote.id, [(c.option_id, c.grade, c.count) for c in batch.counts], shard=PAPER_SHARD)
        audit.record("mj.paper.added", commune_id=vote.commune_id, target=vote.question[:120],
                     vote=vote.id, batch=batch.id, ballots=ballots_in_batch)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    _results_changed(vote)
    return batch


def delete_paper_batch(vote: Vote, batch_id: int) -> None:
    """Withdraw a paper batch entered by mistake (before the close)."""
    try:
        if ballots.lock_vote(vote) == CLOSED:
            raise VoteDefinitionError(_("This vote is closed: its paper ballots can no longer change."))
        batch = db.session.scalar(
            db.select(PaperBatch).where(PaperBatch.id == batch_id, PaperBatch.box_id == vote.box_id))
        if batch is None:
            raise VoteDefinitionError(_("This batch of paper ballots does not exist."))
        ballots.add_counts(vote.id, [(c.option_id, c.grade, -c.count) for c in batch.counts], shard=PAPER_SHARD)
        audit.record("mj.paper.removed", commune_id=vote.commune_id, target=vote.question[:120],
                     vote=vote.id, batch=batch.id, ballots=batch.ballots)
        db.session.delete(batch)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    _results_changed(vote)


def _results_changed(vote: Vote) -> None:
    if results_visible(vote):
        from .status import EVENT_RESULTS, channel_of, publish

        publish(channel_of(vote), EVENT_RESULTS, {"vote_id": vote.id})
