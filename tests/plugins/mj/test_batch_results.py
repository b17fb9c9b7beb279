"""``api.get_votes`` and ``api.results_for_votes``: many votes and their results in a fixed
number of statements, the same results as ``api.results_for`` vote by vote."""

from __future__ import annotations

from datetime import timedelta

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.mj import api, ballots
from plugins.mj.models import Vote
from tests.fixtures import count_queries

from .conftest import new_vote, option_ids


def cast_all(room, vote, rows) -> None:
    ids = option_ids(vote)
    for member, grades in zip(room.members, rows):
        ballots.cast(vote, dict(zip(ids, grades)), user_id=member.id)


def assorted(room, question: str) -> list[int]:
    """Five votes of every kind: closed with online and paper ballots, open with live
    results, open with hidden results, past its closing time with its ballots still sealed
    (the worker has not recorded the close), not open yet. Their ids."""
    closed = new_vote(room, question=f"{question} clos", opens_at=utcnow() - timedelta(minutes=1))
    cast_all(room, closed, [(6, 1, 3), (5, 2, 3)])
    a, b, c = option_ids(closed)
    api.add_paper_batch(closed, {a: [0, 0, 1, 0, 0, 0, 0], b: [0, 0, 0, 0, 0, 0, 1], c: [1, 0, 0, 0, 0, 0, 0]})
    api.close_vote(closed)
    live = new_vote(room, question=f"{question} en direct", opens_at=utcnow() - timedelta(minutes=1),
                    live_results=True)
    cast_all(room, live, [(0, 6, 2), (1, 5, 2), (2, 6, 0)])
    hidden = new_vote(room, question=f"{question} caché", opens_at=utcnow() - timedelta(minutes=1))
    cast_all(room, hidden, [(3, 3, 6)])
    past = new_vote(room, question=f"{question} échu", opens_at=utcnow() - timedelta(minutes=1),
                    closes_at=utcnow() + timedelta(hours=1))
    cast_all(room, past, [(2, 2, 5), (1, 4, 6)])
    db.session.execute(db.update(Vote).where(Vote.id == past.id).values(closes_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    draft = new_vote(room, question=f"{question} à venir")
    return [closed.id, live.id, hidden.id, past.id, draft.id]


def test_many_votes_and_their_results_cost_a_fixed_number_of_statements(app, room):
    with app.test_request_context():
        first = assorted(room, "Premier")
        more = first + assorted(room, "Deuxième") + assorted(room, "Troisième")
        db.session.expire_all()
        counts = []
        for ids in (first, more):
            with count_queries(app) as seen:
                found = api.get_votes(ids)
                outcomes = api.results_for_votes(found.values())
                forced = api.results_for_votes(found.values(), force=True)
                labels = [[r.option.label for r in results.ranking] for results in forced.values()]
            counts.append(len(seen))
            assert sorted(found) == sorted(ids) and len(labels) == len(ids)
        assert counts[0] == counts[1], counts
        assert counts[1] <= 7, counts
        # Hidden results stay hidden unless forced, as with results_for.
        closed, live, hidden, past, draft = first
        assert outcomes[hidden] is None and outcomes[draft] is None
        assert outcomes[closed] is not None and outcomes[live] is not None and outcomes[past] is not None


def test_the_batch_says_what_results_for_says_vote_by_vote(app, room):
    with app.test_request_context():
        ids = assorted(room, "Vote")
        db.session.expire_all()
        together = api.results_for_votes(api.get_votes(ids).values(), force=True)
        for vote_id in ids:
            db.session.expire_all()
            alone = api.results_for(api.get_vote(vote_id), force=True)
            assert together[vote_id].as_dict() == alone.as_dict(), vote_id
        closed, live, hidden, past, _draft = ids
        assert together[closed].online_ballots == 2 and together[closed].paper_ballots == 1
        assert [r.option.label for r in together[closed].winners] == ["Jardin partagé"]
        assert [r.option.label for r in together[live].winners] == ["Parking"]
        assert together[past].online_ballots == 2  # still sealed, opened in memory
        assert [r.option.label for r in together[past].winners] == ["Aire de jeux"]
        assert [r.option.label for r in together[hidden].winners] == ["Aire de jeux"]


def test_ids_that_name_no_vote_are_left_out_without_a_query(app, room):
    with app.test_request_context():
        vote = new_vote(room)
        with count_queries(app) as seen:
            assert api.get_votes([]) == {} and api.get_votes(["1", None, 2.0]) == {}
            assert api.results_for_votes([]) == {}
        assert seen == []
        assert list(api.get_votes([vote.id, vote.id + 1000])) == [vote.id]
