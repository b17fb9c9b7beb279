"""Outages of the database and of the live broker, made small enough for the suite: one
request whose PostgreSQL connection is cut while it writes, one live listener whose
connection is cut (PostgreSQL LISTEN, Redis subscription). The whole restart under 200
voters is bench/faults.py."""

from __future__ import annotations

import logging
import socket
import time
import uuid

import pytest
import sqlalchemy as sa

from convergence.extensions import db
from convergence.live.backends import PostgresBackend, RedisBackend, listener_name
from convergence.models import AuditEntry, Commune
from tests.fixtures import _normalise, browser_fields, login, require_postgres, require_redis

DEADLINE = 20  # seconds for a listener to be back (its back-off starts at 0.5 s)


def _cut_at(engine, admin_url: str, statement_start: str) -> list[int]:
    """Terminate the server process of the connection that is about to run the first
    statement starting with ``statement_start``, from another connection (as a database
    restart would, at that very moment). Returns the list the cut pid is put in."""
    import psycopg

    cut: list[int] = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def before(connection, _cursor, statement, *_args):
        if cut or not statement.lstrip().upper().startswith(statement_start):
            return
        pid = connection.connection.dbapi_connection.info.backend_pid
        cut.append(pid)
        with psycopg.connect(admin_url, autocommit=True) as other:
            # With a timeout, it returns once the process has exited.
            assert other.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,)).fetchone()[0]

    return cut


@pytest.mark.postgres
def test_a_request_whose_database_connection_is_cut_gets_a_french_503_and_writes_nothing(
        app, client, make, test_database_url):
    require_postgres()
    login(client, make.user())
    # With its single-use token: the failed attempt did not use it up (nothing was written).
    form = {"name": "Saint-Martin", "kind": "commune", **browser_fields(client, "/communes/nouvelle")}
    cut = _cut_at(db.engine, test_database_url, "INSERT INTO AUDIT_ENTRIES")  # the commune is written by then

    response = client.post("/communes/nouvelle", data=form)

    assert cut, "the request never reached the journal"
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:800]
    assert response.headers["Retry-After"] == "5"
    assert "Content-Security-Policy" in response.headers and response.headers["X-Frame-Options"] == "DENY"
    assert '<html lang="fr">' in page and "Service momentanément indisponible" in page
    assert "Traceback" not in page and "terminat" not in page
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commune)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0

    # The same person sends the form again: the app recovered by itself.
    again = client.post("/communes/nouvelle", data=form)
    assert again.status_code == 302, again.get_data(as_text=True)[:800]
    db.session.remove()
    assert db.session.scalars(sa.select(Commune.name)).all() == ["Saint-Martin"]


@pytest.mark.postgres
def test_a_connection_lost_once_the_answer_is_ready_does_not_spoil_the_answer(app, client, test_database_url):
    """The health check's query is answered, then the server process goes away: the end of
    the request (closing the session rolls back) meets a dead connection. The answer still
    goes out, and the next request finds a live connection."""
    import psycopg

    require_postgres()
    cut: list[int] = []

    @sa.event.listens_for(db.engine, "after_cursor_execute")
    def after(connection, _cursor, statement, *_args):
        if not cut and statement.strip() == "SELECT 1":
            cut.append(connection.connection.dbapi_connection.info.backend_pid)
            with psycopg.connect(test_database_url, autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s, 10000)", (cut[0],))

    response = client.get("/healthz")
    assert cut
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert client.get("/communes/").status_code == 200


def _received(backend, subscription, channel: str) -> dict:
    """Publish until the subscription receives, or fail at the deadline: events published
    while the listener is reconnecting are lost (the channel does not replay)."""
    deadline = time.monotonic() + DEADLINE
    n = 0
    while time.monotonic() < deadline:
        n += 1
        backend.publish(channel, "ping", {"n": n})
        message = subscription.get(timeout=0.25)
        if message is not None:
            return message
    raise AssertionError(f"no event came through within {DEADLINE} s")


@pytest.mark.postgres
def test_the_postgres_listener_reconnects_by_itself(test_database_url):
    import psycopg

    url = require_postgres()
    engine = sa.create_engine(_normalise(url))
    backend = PostgresBackend(url, engine)
    channel = f"test:{uuid.uuid4().hex}"
    find = ("SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = current_database() "
            "AND query ILIKE 'LISTEN%%'")
    try:
        with backend.subscribe(channel) as subscription, psycopg.connect(url, autocommit=True) as admin:
            assert _received(backend, subscription, channel)["event"] == "ping"
            # Every listener of this process (an earlier test may have left one): all dropped.
            cut = [row[0] for row in admin.execute(find, (listener_name(),))]
            assert cut
            for pid in cut:
                assert admin.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,)).fetchone()[0]

            assert _received(backend, subscription, channel)["event"] == "ping"
            pids = [row[0] for row in admin.execute(find, (listener_name(),))]
            assert pids and not set(cut) & set(pids)
    finally:
        engine.dispose()


def test_the_redis_listener_reconnects_by_itself():
    import redis

    url = require_redis()
    backend = RedisBackend(url)
    admin = redis.Redis.from_url(url)
    channel = f"test:{uuid.uuid4().hex}"
    with backend.subscribe(channel) as subscription:
        assert _received(backend, subscription, channel)["event"] == "ping"
        # Every listener of this process (an earlier test may have left one): all dropped.
        cut = [c["id"] for c in admin.client_list() if c.get("name") == listener_name()]
        assert cut
        for client_id in cut:
            assert admin.client_kill_filter(_id=client_id) == 1

        assert _received(backend, subscription, channel)["event"] == "ping"
        now = [c["id"] for c in admin.client_list() if c.get("name") == listener_name()]
        assert now and not set(cut) & set(now)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_publishing_while_the_broker_is_down_loses_the_event_not_the_request(caplog):
    """An event is sent after the change is committed: a failure to send must not turn a
    recorded change into an error page (the person would send it again)."""
    port = _closed_port()
    engine = sa.create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/nothing")
    with caplog.at_level(logging.WARNING, logger="convergence.live.backends"):
        RedisBackend(f"redis://127.0.0.1:{port}/0").publish("assembly:1", "agenda.changed", {})
        PostgresBackend(f"postgresql://postgres@127.0.0.1:{port}/nothing", engine).publish(
            "assembly:1", "agenda.changed", {})
    engine.dispose()
    sent = [r.getMessage() for r in caplog.records]
    assert any("Redis unreachable" in m for m in sent) and any("PostgreSQL unreachable" in m for m in sent), sent
