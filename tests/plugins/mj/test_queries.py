"""Pages issue the same number of SQL statements whatever the number of ballots."""

from __future__ import annotations

from datetime import timedelta

from convergence.models.base import utcnow
from plugins.mj import api, ballots
from tests.fixtures import count_queries, login

from .conftest import new_vote, option_ids


def vote_with_ballots(room, n: int, question: str):
    vote = new_vote(room, question=question, voters="codes", opens_at=utcnow() - timedelta(minutes=1))
    ids = option_ids(vote)
    codes = api.create_codes(vote, n)
    for k, code in enumerate(codes):
        ballots.cast(vote, {option: (k + j) % vote.n_grades for j, option in enumerate(ids)}, code_id=code.id)
    a, b, c = ids
    api.add_paper_batch(vote, {a: [1, 0, 0, 0, 0, 0, 1], b: [0, 2, 0, 0, 0, 0, 0], c: [0, 0, 0, 2, 0, 0, 0]})
    api.close_vote(vote)
    return vote


def statements(app, client, url: str) -> int:
    client.get(url)  # warm-up: first-request work is not what is measured
    with count_queries(app) as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen)


def test_pages_do_not_grow_with_ballots(app, client, room):
    small = vote_with_ballots(room, 10, "Petit vote")
    large = vote_with_ballots(room, 100, "Grand vote")
    login(client, room.facilitator)
    for page in ("", "/resultats", "/projection", "/registre", "/resultats.json", "/resultats.csv",
                 "/registre?receipt=AAAA-BBBB-CCCC", "/codes"):
        few = statements(app, client, f"/votes/{small.id}{page}")
        many = statements(app, client, f"/votes/{large.id}{page}")
        assert few == many, (page, few, many)
        assert many <= 12, (page, many)
    few = statements(app, client, f"/assemblees/{room.assembly.id}/votes")
    assert few <= 8


def test_results_page_query_count(app, client, room):
    vote = vote_with_ballots(room, 10, "Vote")
    assert statements(app, client, f"/votes/{vote.id}/resultats") <= 6
