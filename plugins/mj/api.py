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

A page listing the outcomes of many votes reads them in a fixed number of queries::

    found = mj.get_votes(vote_ids)                  # {id: vote}, options loaded
    outcomes = mj.results_for_votes(found.values())  # {id: results, or None while hidden}

All functions run inside a request or an application context and commit (except
where ``commit=False`` is offered); the plug-in's own pages call the domain modules
(``votes.py``, ``paper.py``, ``codes.py``, ``closing.py``), which never commit, and commit once
in the request flow. Invalid arguments raise :class:`VoteDefinitionError`
whose message is translated and meant for a person. The core never imports this
module: call it only after checking ``convergence.features.is_active(space, "mj")`` (the
plug-in is switched per assembly and per circle).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import url_for

from convergence.extensions import db

from . import closing, codes, paper, votes
from .models import Code, Option, PaperBatch, Vote
from .results import VoteResults, compute, compute_all
from .status import results_visible, status
from .votes import OptionSpec, VoteDefinitionError

__all__ = [
    "VoteDefinitionError", "add_paper_batch", "announce_created", "close_vote", "create_codes", "create_vote",
    "delete_paper_batch", "get_vote", "get_votes", "open_vote", "results_for", "results_for_votes", "status",
    "vote_url", "votes_for_source",
]


def _committed(write, *args, **kwargs):
    """``write(*args, **kwargs)`` then the commit; on any error, nothing stays written."""
    try:
        done = write(*args, **kwargs)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return done


def create_vote(assembly=None, question: str = "", options: Iterable[OptionSpec] = (), *, commit: bool = True,
                **definition) -> Vote:
    """Create a vote in ``assembly`` or, with ``circle=``, in a thematic circle (exactly
    one of the two; a Circle given as first argument counts as ``circle=``). The keywords
    (``circle``, ``description``, ``scale``, ``custom_grades``, ``voters``, ``live_results``,
    ``opens_at``, ``closes_at``, ``created_by``, ``asked_by``) are those of
    :func:`plugins.mj.votes.create`:

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
    ``commit=False``: flushed only; the caller commits, then calls :func:`announce_created`.
    """
    vote = votes.create(assembly, question, options, **definition)
    if commit:
        db.session.commit()
        votes.created_announced(vote)
    return vote


def announce_created(vote: Vote) -> None:
    """Once the caller has committed a vote made with ``commit=False``: tell the live
    channel if it opened at once."""
    votes.created_announced(vote)


def update_vote(vote: Vote, **fields) -> Vote:
    """Change a vote that is not open yet (same arguments as :func:`create_vote`)."""
    if _committed(votes.update, vote, **fields):
        votes.created_announced(vote)
    return vote


def open_vote(vote: Vote) -> None:
    """Open voting now (a vote not open yet); announced on the live channel."""
    previous = _committed(votes.open_now, vote)
    votes.opened_announced(vote, previous)


def close_vote(vote: Vote, closed_by=None) -> None:
    """Close voting now, fix the register's head, announce the close and the results,
    then send ``vote-closed`` (see ``closing.py``)."""
    try:
        closing.close(vote, closed_by)
    except closing.CannotClose as refused:
        raise VoteDefinitionError(str(refused), refused.status) from None


def get_vote(vote_id) -> Vote | None:
    """The vote with this id, or None."""
    return db.session.get(Vote, vote_id) if isinstance(vote_id, int) else None


def get_votes(vote_ids: Iterable) -> dict[int, Vote]:
    """The votes with these ids, by id (those that do not exist left out), their options
    loaded: two queries whatever their number, none when ``vote_ids`` is empty."""
    wanted = {vote_id for vote_id in vote_ids if isinstance(vote_id, int)}
    if not wanted:
        return {}
    found = db.session.scalars(db.select(Vote).where(Vote.id.in_(wanted)).options(db.selectinload(Vote.options)))
    return {vote.id: vote for vote in found}


def results_for(vote: Vote, *, force: bool = False) -> VoteResults | None:
    """The ranking, or None while results are hidden (before the close, unless the vote
    shows live results). ``force=True`` computes them anyway: for server-side use only,
    never to show to people before the close."""
    if not force and not results_visible(vote):
        return None
    return compute(vote)


def results_for_votes(votes: Iterable[Vote], *, force: bool = False) -> dict[int, VoteResults | None]:
    """:func:`results_for` of each vote, by vote id, in a fixed number of queries whatever
    the number of votes and ballots: one for the counters, one more if some ballots are
    still sealed (a vote past its closing time that the worker has not closed yet, or live
    results). Give votes from :func:`get_votes`, their options loaded."""
    votes = list(votes)
    shown = [vote for vote in votes if force or results_visible(vote)]
    computed = compute_all(shown)
    return {vote.id: computed.get(vote.id) for vote in votes}


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
    return _committed(codes.create, vote, count)


def add_paper_batch(vote: Vote, counts: dict[int, Sequence[int]], *, label: str = "",
                    entered_by=None) -> PaperBatch:
    """Record paper ballots counted in the room: ``counts[option_id][grade]``, worst first.

    Every paper ballot grades every option, so all options must add up to the same
    number of ballots. Refused once the vote is closed (the register is fixed then).
    """
    batch = _committed(paper.add_batch, vote, counts, label=label, entered_by=entered_by)
    paper.results_changed(vote)
    return batch


def delete_paper_batch(vote: Vote, batch_id: int) -> None:
    """Withdraw a paper batch entered by mistake (before the close)."""
    _committed(paper.withdraw_batch, vote, batch_id)
    paper.results_changed(vote)
