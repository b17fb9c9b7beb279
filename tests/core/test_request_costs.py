"""What keeps a request cheap under load: requests admitted in arrival order, the session
serializer built once, connections pinged only after being idle, the plug-in switch read
with the object it guards."""

from __future__ import annotations

import threading
import time

import pytest

from convergence.web.admission import AdmissionMiddleware, Gate
from tests.fixtures import make_test_app, require_postgres, wait_until


def test_gate_lets_waiters_in_by_order_of_arrival():
    gate = Gate(1)
    gate.enter()
    order, started = [], []

    def wait(n):
        started.append(n)
        gate.enter()
        order.append(n)
        gate.leave()

    threads = []
    for n in range(4):
        thread = threading.Thread(target=wait, args=(n,))
        thread.start()
        threads.append(thread)
        # The next one starts only once this one waits: n+1 waiting, in this order.
        wait_until(lambda: len(started) > n and len(gate._waiting) > n, message=f"waiter {n} is not waiting")
    gate.leave()
    for thread in threads:
        thread.join(5)
    assert order == [0, 1, 2, 3]
    gate.enter()  # every place was given back
    gate.leave()
    assert gate._free == 1


def test_gate_gives_back_a_place_handed_to_a_waiter_that_died():
    class Killed(Exception):
        pass

    waiting = threading.Event()

    class DyingGate(Gate):
        @staticmethod
        def _wait(turn):
            waiting.set()
            turn.wait(5)
            raise Killed  # e.g. its greenlet killed just after the place was handed over

    gate = DyingGate(1)
    gate.enter()
    outcome = []

    def doomed():
        try:
            gate.enter()
        except Killed:
            outcome.append("killed")

    thread = threading.Thread(target=doomed)
    thread.start()
    waiting.wait(5)
    gate.leave()  # hands the place to the doomed waiter, which gives it back
    thread.join(5)
    assert outcome == ["killed"] and gate._free == 1 and not gate._waiting


def test_admission_middleware_counts_requests_but_not_live_streams():
    inside = []

    def app(environ, start_response):
        inside.append(middleware.gate._free)
        start_response("200 OK", [])
        return [b"ok"]

    middleware = AdmissionMiddleware(app, 2)
    assert middleware({"PATH_INFO": "/votes/1/bulletin"}, lambda *a: None) == [b"ok"]
    assert middleware({"PATH_INFO": "/cercles/1/direct"}, lambda *a: None) == [b"ok"]
    assert inside == [1, 2] and middleware.gate._free == 2


def test_admission_places_follow_the_pool_size(test_database_url, monkeypatch):
    monkeypatch.delenv("WEB_ACTIVE_REQUESTS", raising=False)
    app = make_test_app(test_database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 3} if
                        test_database_url.startswith("postgres") else {})
    if test_database_url.startswith("postgres"):
        assert isinstance(app.wsgi_app, AdmissionMiddleware) and app.wsgi_app.gate._free == 3
    else:
        assert not isinstance(app.wsgi_app, AdmissionMiddleware)
    monkeypatch.setenv("WEB_ACTIVE_REQUESTS", "0")
    assert not isinstance(make_test_app(test_database_url).wsgi_app, AdmissionMiddleware)
    monkeypatch.setenv("WEB_ACTIVE_REQUESTS", "5")
    app = make_test_app(test_database_url)
    assert app.wsgi_app.gate._free == 5
    assert app.test_client().get("/healthz").status_code == 200


def test_session_serializer_is_built_once_per_key(app):
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    app.secret_key = "another key"
    try:
        assert interface.get_signing_serializer(app) is not first
    finally:
        app.secret_key = "tests"
    client = app.test_client()
    with client.session_transaction() as session:
        session["x"] = 1
    with client.session_transaction() as session:
        assert session["x"] == 1


@pytest.mark.postgres
def test_idle_connections_are_pinged_and_replaced_when_dead(test_database_url, monkeypatch):
    import sqlalchemy as sa

    url = require_postgres()
    monkeypatch.setenv("DB_POOL_PING_IDLE", "0.2")
    app = make_test_app(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_pre_ping": True})
    with app.app_context():
        from convergence.extensions import db

        engine = db.engine
        assert engine.pool._pre_ping is False  # no round trip on every checkout
        pings = []
        original = engine.dialect.do_ping
        monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(1) or original(c))

        def backend_pid():
            with engine.connect() as connection:
                return connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()

        first = backend_pid()
        assert backend_pid() == first and pings == []  # just used: not pinged
        other = sa.create_engine(engine.url, poolclass=sa.pool.NullPool)

        def backend_gone():
            with other.connect() as connection:
                return connection.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                                          {"pid": first}).scalar() == 0

        with other.connect() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        wait_until(backend_gone, message=f"backend {first} still runs after pg_terminate_backend")
        other.dispose()
        # The clock moves on past the idle limit (rather than the test waiting for it).
        now = time.monotonic
        monkeypatch.setattr(time, "monotonic", lambda: now() + 1.0)
        # Idle long enough: pinged, found dead, replaced before the query.
        assert backend_pid() != first and len(pings) == 1


def test_roles_are_read_with_the_person(app, client, make):
    from tests.fixtures import count_queries, login

    commune = make.commune()
    assembly = make.assembly(commune)
    person = make.user("Dana")
    make.role(person, "facilitator", assembly=assembly)
    make.role(person, "resident", commune=commune)
    login(client, person)
    client.get(f"/assemblees/{assembly.id}")  # warm-up
    with count_queries(app) as seen:
        page = client.get(f"/assemblees/{assembly.id}")
    assert page.status_code == 200
    loads = [s for s in seen if "FROM users" in s]
    assert len(loads) == 1 and "memberships" in loads[0]
    # No separate query for the roles: the facilitator's page was decided from the same rows.
    assert not [s for s in seen if s.lstrip().startswith("SELECT memberships.commune_id")]
