"""The live channel: in-process fan-out, and across processes through PostgreSQL and Redis."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from convergence.live.backends import PostgresBackend, RedisBackend, decode, encode
from convergence.live.hub import Hub
from tests.fixtures import make_test_app, require_postgres, unavailable

ROOT = Path(__file__).resolve().parents[2]


def test_hub_delivers_to_every_subscriber_of_a_channel_only():
    hub = Hub()
    a1, a2, b = hub.add("assembly:1"), hub.add("assembly:1"), hub.add("assembly:2")
    hub.deliver("assembly:1", {"event": "x", "data": {}})
    assert a1.get(0.1) == a2.get(0.1) == {"event": "x", "data": {}}
    assert b.get(0.01) is None
    a1.close()
    a2.close()
    b.close()
    assert hub.listener_count() == 0


def test_payload_round_trip_and_size_limit():
    assert decode(encode("assembly:3", "vote.opened", {"id": 4})) == ("assembly:3", {"event": "vote.opened",
                                                                                     "data": {"id": 4}})
    with pytest.raises(ValueError):
        encode("assembly:3", "big", {"text": "x" * 9000})


def test_stream_sends_events_as_server_sent_events(app, make):
    commune = make.commune()
    assembly = make.assembly(commune)
    client = app.test_client()
    response = client.get(f"/assemblees/{assembly.id}/direct", buffered=False)
    assert response.mimetype == "text/event-stream"
    chunks = response.response
    assert next(chunks).startswith(b"retry:")
    from convergence.live import publish

    publish(assembly, "agenda.moved", {"item_id": 7})
    assert next(chunks) == b'event: agenda.moved\ndata: {"item_id": 7}\n\n'
    response.close()


def _circle(commune):
    from convergence.extensions import db
    from convergence.models import Circle

    circle = Circle(commune_id=commune.id, name="Eau", purpose="L'eau de la commune")
    db.session.add(circle)
    db.session.commit()
    return circle


def test_circle_stream_gets_the_circles_events_only(app, make):
    commune = make.commune()
    circle, other = _circle(commune), _circle(commune)
    client = app.test_client()
    response = client.get(f"/cercles/{circle.id}/direct", buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    chunks = response.response
    assert next(chunks).startswith(b"retry:")
    from convergence.live import publish

    # The commune's channel, or another circle's: not for this stream.
    publish(commune, "agenda.moved", {})
    publish(other, "vote.opened", {"vote_id": 1})
    publish(circle, "vote.opened", {"vote_id": 2})
    assert next(chunks) == b'event: vote.opened\ndata: {"vote_id": 2}\n\n'
    response.close()


def test_circle_stream_of_a_missing_circle_is_404(app):
    assert app.test_client().get("/cercles/999999/direct").status_code == 404


def test_every_space_has_its_own_channel_whatever_its_kind(app, make):
    from convergence.live import channel

    commune = make.commune()
    assembly = make.assembly(commune)
    circle = _circle(commune)
    names = {channel(commune), channel(assembly), channel(circle), channel(circle.space)}
    assert names == {f"space:{commune.space_id}", f"space:{assembly.space_id}", f"space:{circle.space_id}"}


def test_a_commune_has_a_live_stream(app, make):
    commune = make.commune()
    client = app.test_client()
    response = client.get(f"/communes/{commune.slug}/direct", buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    chunks = response.response
    assert next(chunks).startswith(b"retry:")
    from convergence.live import publish

    publish(make.assembly(commune), "agenda.moved", {})  # the assembly's channel, not the commune's
    publish(commune, "needs.reported", {"need_id": 3})
    assert next(chunks) == b'event: needs.reported\ndata: {"need_id": 3}\n\n'
    response.close()


def _wait_for(subscription, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = subscription.get(timeout=0.2)
        if message:
            return message
    return None


@pytest.mark.postgres
def test_postgres_notify_reaches_another_process(test_database_url):
    url = require_postgres()
    app = make_test_app(url, LIVE_BACKEND="postgres")
    with app.app_context():
        from convergence.live.broker import backend, subscribe
        from tests.fixtures import Factory, _empty_all_tables

        assert isinstance(backend(), PostgresBackend)
        make = Factory(app)
        try:
            assembly = make.assembly(make.commune())
            with subscribe(assembly) as subscription:
                env = {"DATABASE_URL": url, "LIVE_BACKEND": "postgres", "SECRET_KEY": "tests", "PATH": ""}
                run = subprocess.run([sys.executable, "-m", "convergence.cli", "live-publish", f"assembly:{assembly.id}",
                                      "vote.closed", '{"vote": 1}'], capture_output=True, text=True, env=env, cwd=ROOT,
                                     timeout=60)
                assert run.returncode == 0, run.stderr
                assert _wait_for(subscription) == {"event": "vote.closed", "data": {"vote": 1}}
        finally:
            _empty_all_tables(app)


@pytest.mark.postgres
def test_postgres_notify_carries_circle_channels(test_database_url):
    url = require_postgres()
    app = make_test_app(url, LIVE_BACKEND="postgres")
    with app.app_context():
        from convergence.live import publish, subscribe
        from convergence.spaces import SpaceRef

        with subscribe(SpaceRef(7, "circle", 1)) as subscription:
            publish(SpaceRef(7, "circle", 1), "mj.vote.closed", {"vote_id": 3})
            assert _wait_for(subscription) == {"event": "mj.vote.closed", "data": {"vote_id": 3}}


def test_redis_pubsub_reaches_subscribers(test_database_url):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.ConnectionError:
        unavailable("needs Redis on 127.0.0.1:6379 (CI has it)")
    live = RedisBackend("redis://127.0.0.1:6379/0")
    with live.subscribe("assembly:9") as subscription:
        live.publish("assembly:9", "agenda.changed", {})
        assert _wait_for(subscription) == {"event": "agenda.changed", "data": {}}
