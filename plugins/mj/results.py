"""Results of a vote: one aggregate query (online counters + paper counts), then the engine;
of several votes (a page listing their outcomes), one such query for them all.

The cost depends on the number of options and grades, never on the number of ballots.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

from flask import current_app, has_request_context
from flask_babel import force_locale, get_locale

from convergence.extensions import db

from . import engine
from .models import Option, Vote
from .scales import CUSTOM, Scale, labels_for


_TRANSLATED: dict[tuple[str, str], tuple[str, ...]] = {}


def scale_of(vote: Vote) -> Scale:
    """The vote's scale with its labels as text in the reader's language (built-in scales
    are translated once per language and process, not at every use)."""
    if vote.scale == CUSTOM:
        return Scale(vote.scale, labels_for(vote.scale, vote.custom_grades))
    if has_request_context():
        locale, context = str(get_locale()), nullcontext()
    else:
        # Called from a job or a command: the platform's language (no visitor to ask).
        locale = current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")
        context = force_locale(locale)
    key = (locale, vote.scale)
    labels = _TRANSLATED.get(key)
    if labels is None:
        with context:
            labels = _TRANSLATED[key] = tuple(str(label) for label in labels_for(vote.scale))
    return Scale(vote.scale, labels)


@dataclass
class RankedOption:
    option: Option
    rank: int
    majority_grade: int
    majority_label: str
    tally: tuple[int, ...]  # online + paper, worst grade first
    online: tuple[int, ...]
    paper: tuple[int, ...]
    adhesion: int
    contestation: int

    @property
    def total(self) -> int:
        return sum(self.tally)

    @property
    def percentages(self) -> list[float]:
        total = self.total
        return [100 * c / total if total else 0.0 for c in self.tally]


@dataclass
class VoteResults:
    vote: Vote
    scale: Scale
    online_ballots: int
    paper_ballots: int
    ranking: list[RankedOption] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return self.online_ballots + self.paper_ballots

    @property
    def winners(self) -> list[RankedOption]:
        return [r for r in self.ranking if r.rank == 1]

    def as_dict(self) -> dict:
        """The JSON export (grade indices worst first, labels for reading)."""
        return {
            "vote": {"id": self.vote.id, "question": self.vote.question},
            "grades": [str(label) for label in self.scale.labels],
            "participants": self.participants,
            "online_ballots": self.online_ballots,
            "paper_ballots": self.paper_ballots,
            "ranking": [
                {
                    "option": r.option.label,
                    "option_id": r.option.id,
                    "source": ({"plugin": r.option.source_plugin, "id": r.option.source_id}
                               if r.option.source_plugin else None),
                    "rank": r.rank,
                    "majority_grade": r.majority_grade,
                    "majority_grade_label": r.majority_label,
                    "tally": list(r.tally),
                    "online": list(r.online),
                    "paper": list(r.paper),
                }
                for r in self.ranking
            ],
        }


# One GROUP BY over the counters, online and paper apart: ~options × grades × shards rows.
# Sent as plain SQL through the driver: on a page this is the only query that depends on
# the vote's size, and it is cheap enough that SQLAlchemy's own overhead would show.
_TALLY = (
    "SELECT option_id, grade, CASE WHEN shard < 0 THEN 1 ELSE 0 END AS paper, SUM(count) "
    "FROM mj_counts WHERE vote_id = {vote_id} "
    "GROUP BY option_id, grade, CASE WHEN shard < 0 THEN 1 ELSE 0 END"
)
# The same for several votes at once (a page listing their outcomes: one query, not one per vote).
_TALLIES = (
    "SELECT option_id, grade, CASE WHEN shard < 0 THEN 1 ELSE 0 END AS paper, SUM(count), vote_id "
    "FROM mj_counts WHERE vote_id IN ({vote_ids}) "
    "GROUP BY vote_id, option_id, grade, CASE WHEN shard < 0 THEN 1 ELSE 0 END"
)

Tallies = tuple[dict[int, list[int]], dict[int, list[int]]]


def _placeholder(connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _add_row(tallies: Tallies, n_grades: int, option_id: int, grade: int, is_paper: int, total) -> None:
    tallies[is_paper].setdefault(option_id, [0] * n_grades)[grade] += int(total or 0)


def _add_sealed(tallies: Tallies, n_grades: int, counted: dict[int, list[int]]) -> None:
    for option_id, counts in counted.items():
        mine = tallies[0].setdefault(option_id, [0] * n_grades)
        for grade, count in enumerate(counts):
            mine[grade] += count


def raw_tallies(vote: Vote) -> Tallies:
    """(online, paper) counts per option id and grade, from a single query."""
    connection = db.session.connection()
    rows = connection.exec_driver_sql(_TALLY.format(vote_id=_placeholder(connection)), (vote.id,)).fetchall()
    tallies: Tallies = ({}, {})
    for row in rows:
        _add_row(tallies, vote.n_grades, *row)
    if vote.seal_salt is not None:  # open: the online ballots are still sealed
        from .ballots import option_ids
        from .sealed import tally

        _add_sealed(tallies, vote.n_grades, tally(vote, option_ids(vote)))
    return tallies


def raw_tallies_of(votes: list[Vote]) -> dict[int, Tallies]:
    """:func:`raw_tallies` of several votes, by vote id: one query for the counters and at
    most one for the sealed ballots, whatever the number of votes. Their options should be
    loaded with them (see ``api.get_votes``), or the sealed ones cost a query each."""
    found: dict[int, Tallies] = {vote.id: ({}, {}) for vote in votes}
    if not votes:
        return found
    connection = db.session.connection()
    marks = ", ".join([_placeholder(connection)] * len(found))
    grades = {vote.id: vote.n_grades for vote in votes}
    for *row, vote_id in connection.exec_driver_sql(_TALLIES.format(vote_ids=marks), tuple(found)).fetchall():
        _add_row(found[vote_id], grades[vote_id], *row)
    sealed_votes = [vote for vote in votes if vote.seal_salt is not None]
    if sealed_votes:
        from .ballots import option_ids
        from .sealed import tallies

        for vote_id, counted in tallies([(vote, option_ids(vote)) for vote in sealed_votes]).items():
            _add_sealed(found[vote_id], grades[vote_id], counted)
    return found


def compute(vote: Vote) -> VoteResults:
    """Rank the options of one vote (see :func:`from_tallies`)."""
    return from_tallies(vote, raw_tallies(vote))


def compute_all(votes: list[Vote]) -> dict[int, VoteResults]:
    """:func:`compute` of several votes, by vote id, in a fixed number of queries
    (:func:`raw_tallies_of`)."""
    tallies = raw_tallies_of(votes)
    return {vote.id: from_tallies(vote, tallies[vote.id]) for vote in votes}


def from_tallies(vote: Vote, tallies: Tallies) -> VoteResults:
    """Rank the options of ``vote`` from its (online, paper) counts: no query but its
    options' when they are not loaded. Every ballot grades every option, so no judgment is
    missing; the engine's "worst" policy would only matter for an inconsistent database."""
    scale = scale_of(vote)
    labels = scale.labels
    online, paper = tallies
    zero = (0,) * vote.n_grades
    options = vote.options
    online_ballots = max((sum(online.get(o.id, zero)) for o in options), default=0)
    paper_ballots = max((sum(paper.get(o.id, zero)) for o in options), default=0)
    results = VoteResults(vote=vote, scale=scale, online_ballots=online_ballots, paper_ballots=paper_ballots)
    combined = {}
    for o in options:
        mine, theirs = online.get(o.id, zero), paper.get(o.id)
        combined[o.id] = mine if theirs is None else [a + b for a, b in zip(mine, theirs)]
    try:
        ranked = engine.rank(combined, participants=results.participants)
    except engine.NoJudgmentsError:
        return results
    by_id = {o.id: o for o in options}
    for r in ranked.ranking:
        results.ranking.append(RankedOption(
            option=by_id[r.option],
            rank=r.rank,
            majority_grade=r.majority_grade,
            majority_label=labels[r.majority_grade],
            tally=r.tally,
            online=tuple(online.get(r.option, zero)),
            paper=tuple(paper.get(r.option, zero)),
            adhesion=r.adhesion,
            contestation=r.contestation,
        ))
    return results
