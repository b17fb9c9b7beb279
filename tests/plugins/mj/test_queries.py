"""Pages issue the same number of SQL statements whatever the number of ballots."""

from __future__ import annotations

from datetime import timedelta

from convergence.models.base import utcnow
from plugins.mj import api, ballots
from convergence.extensions import db
from tests.fixtures import count_queries, csrf_token, login

from .conftest import new_vote, option_ids, recorded


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


def _cast_statements(app, client, vote, data) -> list[tuple[str, bool | None]]:
    """(statement, whether its connection was in autocommit) for one ballot post."""
    import sqlalchemy as sa

    seen = []

    def before(connection, _cursor, statement, *_args):
        dbapi = connection.connection.dbapi_connection
        seen.append((statement, getattr(dbapi, "autocommit", None)))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.post(f"/votes/{vote.id}/bulletin", data=data)
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
    return seen, recorded(response)


def test_a_ballot_costs_few_statements(app, client, room):
    """By code, a first ballot is two statements on PostgreSQL (the vote with its plug-in
    switch and the code's id; the ballot), both in autocommit: no BEGIN or COMMIT round
    trip. A changed ballot needs a transaction and gets one."""
    vote = new_vote(room, voters="codes", opens_at=utcnow() - timedelta(minutes=1))
    code = api.create_codes(vote, 1)[0].code
    client.get(f"/votes/{vote.id}/code?c={code}")
    grades = {f"option-{i}": "3" for i in option_ids(vote)}
    token = csrf_token(client, f"/votes/{vote.id}/bulletin")
    client.post(f"/votes/{vote.id}/bulletin", data={"csrf_token": token, **grades})  # warm-up: ids kept
    other = api.create_codes(db.session.get(type(vote), vote.id), 1)[0].code
    client.get(f"/votes/{vote.id}/code?c={other}")
    first, receipt = _cast_statements(app, client, vote, {"csrf_token": token, **grades})
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        assert len(first) == 2 and all(autocommit for _s, autocommit in first), first
    else:
        assert len(first) <= 6, first
    # The same voter comes back with their code and receipt: a change.
    client.post(f"/votes/{vote.id}/code", data={"csrf_token": token, "code": other, "receipt": receipt})
    regraded = {name: "5" for name in grades}
    changed, same = _cast_statements(app, client, vote, {"csrf_token": token, "receipt": receipt, **regraded})
    assert same == receipt
    if postgres:
        # Reading the vote may be autocommitted; the lock and the writes are in a transaction.
        writes = [a for s, a in changed if "FOR UPDATE" in s or s.lstrip().startswith(("UPDATE", "INSERT"))]
        assert len(writes) >= 2 and not any(writes), changed
