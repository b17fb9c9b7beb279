"""Ways of carrying a published event to every process.

- ``memory``: in-process only (SQLite, development server, tests).
- ``postgres``: PostgreSQL ``NOTIFY``; each process keeps one ``LISTEN`` connection.
- ``redis``: Redis publish/subscribe; each process keeps one subscription.

An event tells pages to refresh a part; it is sent after the change is committed. So a
broker that is down (PostgreSQL or Redis restarting) costs the events of that moment,
never the request that made the change: publishing logs and gives up. The listener of
each process reconnects by itself, and names its connection ``convergence-live-<pid>``
(``application_name`` in PostgreSQL, ``CLIENT SETNAME`` in Redis) so it can be found.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time

from .hub import Hub

log = logging.getLogger(__name__)
PG_CHANNEL = "convergence_live"
REDIS_CHANNEL = "convergence:live"
# NOTIFY payloads are limited to 8000 bytes by PostgreSQL.
MAX_PAYLOAD = 7900
CONNECT_TIMEOUT = 5  # seconds; a broker that does not answer is retried later


def listener_name() -> str:
    return f"convergence-live-{os.getpid()}"


def encode(channel: str, event: str, data: dict) -> str:
    payload = json.dumps({"c": channel, "e": event, "d": data}, separators=(",", ":"))
    if len(payload.encode()) > MAX_PAYLOAD:
        raise ValueError("live event too large: publish an id and let pages fetch the rest")
    return payload


def decode(payload: str) -> tuple[str, dict]:
    message = json.loads(payload)
    return message["c"], {"event": message["e"], "data": message["d"]}


class MemoryBackend:
    name = "memory"

    def __init__(self):
        self.hub = Hub()

    def publish(self, channel: str, event: str, data: dict) -> None:
        ch, message = decode(encode(channel, event, data))
        self.hub.deliver(ch, message)

    def subscribe(self, channel: str):
        return self.hub.add(channel)


class _ListeningBackend:
    """Starts one listener per process, lazily, on the first subscription."""

    def __init__(self):
        self.hub = Hub()
        self._started = False
        self._lock = threading.Lock()
        self.ready = threading.Event()

    def subscribe(self, channel: str):
        self._ensure_listener()
        # Every subscriber waits (briefly) for a live listener, so an event published
        # right after subscribing is not missed, even during a reconnection.
        self.ready.wait(5)
        return self.hub.add(channel)

    def _ensure_listener(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run_forever, name=f"live-{self.name}", daemon=True).start()

    def _run_forever(self) -> None:
        delay = 0.5
        while True:
            try:
                self._listen()
            except Exception:  # the connection dropped: reconnect, never crash the worker
                log.exception("live listener (%s) lost its connection; reconnecting", self.name)
            if self.ready.is_set():  # it was connected: a new outage starts the back-off again
                delay = 0.5
            self.ready.clear()
            time.sleep(delay)
            delay = min(delay * 2, 10)

    def _dispatch(self, payload: str) -> None:
        try:
            channel, message = decode(payload)
        except (ValueError, KeyError):
            log.warning("ignored a malformed live payload")
            return
        self.hub.deliver(channel, message)


class PostgresBackend(_ListeningBackend):
    name = "postgres"

    def __init__(self, conninfo: str, engine):
        super().__init__()
        self.conninfo = conninfo
        self.engine = engine

    def publish(self, channel: str, event: str, data: dict) -> None:
        from sqlalchemy import exc, text

        payload = encode(channel, event, data)
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT pg_notify(:channel, :payload)"),
                                   {"channel": PG_CHANNEL, "payload": payload})
                connection.commit()
        except (exc.DBAPIError, exc.TimeoutError) as error:
            log.warning("live event %s on %s not sent, PostgreSQL unreachable: %s", event, channel, error)

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                             application_name=listener_name()) as connection:
            connection.execute(f"LISTEN {PG_CHANNEL}")
            self.ready.set()
            for notify in connection.notifies():
                self._dispatch(notify.payload)


class RedisBackend(_ListeningBackend):
    name = "redis"

    def __init__(self, url: str):
        super().__init__()
        import redis
        from redis.backoff import ExponentialBackoff
        from redis.retry import Retry

        self.url = url
        # Publishing runs in a request: one quick retry (a pooled connection left dead by a
        # restart is replaced), never redis-py's default of seconds of back-off.
        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2,
                                           retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 1))

    def publish(self, channel: str, event: str, data: dict) -> None:
        import redis

        payload = encode(channel, event, data)
        try:
            self.client.publish(REDIS_CHANNEL, payload)
        except redis.RedisError as error:
            log.warning("live event %s on %s not sent, Redis unreachable: %s", event, channel, error)

    def _listen(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=CONNECT_TIMEOUT, socket_keepalive=True,
                                      client_name=listener_name())
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(REDIS_CHANNEL)
        self.ready.set()
        try:
            for message in pubsub.listen():
                if message.get("type") == "message":
                    self._dispatch(message["data"].decode())
        finally:
            pubsub.close()
