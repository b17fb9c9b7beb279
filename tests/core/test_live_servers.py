"""The live channel through real servers: gunicorn with two gevent workers, several
server-sent-events streams spread over both, and an event published from another process
(the ``convergence live-publish`` CLI) reaching every stream — with PostgreSQL
LISTEN/NOTIFY and with Redis pub/sub.

The server test needs PostgreSQL (TEST_DATABASE_URL) and, for the Redis case, Redis on
127.0.0.1:6379 (or TEST_REDIS_URL): skipped without them, failed in CI. It builds its own
database next to the test database (``<name>_live``), or a schema when it may not create
one. A unit test also covers the listener's reconnection back-off.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import pytest

import requests

from tests.fixtures import require_postgres, require_redis, wait_until

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
WORKERS = 2
FIRST_STREAMS = 8
MAX_STREAMS = 40
LIVE_SCHEMA = "convergence_live"
DROP_DATABASE = "DROP DATABASE IF EXISTS {} WITH (FORCE)"  # PostgreSQL >= 13
DROP_SCHEMA = "DROP SCHEMA IF EXISTS {} CASCADE"


def _tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(env: dict, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    result = subprocess.run([_tool("convergence"), *args], env=env, cwd=ROOT, timeout=timeout,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"convergence {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


# --- a database of our own -------------------------------------------------------------

def _own_database(url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database ``<name>_live`` on the test server (or, without the right to create
    one, a fresh schema in the test database). Returns its URL and a clean-up function."""
    import psycopg
    from psycopg import errors, sql
    from sqlalchemy.engine import make_url

    base = make_url(url).set(drivername="postgresql")
    name = f"{base.database}_live"
    admin = base.set(database="postgres").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL(DROP_DATABASE).format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except (errors.InsufficientPrivilege, psycopg.OperationalError):
        # Fall back on a schema of the test database, first on the search path.
        plain = base.render_as_string(hide_password=False)
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(sql.SQL(DROP_SCHEMA).format(sql.Identifier(LIVE_SCHEMA)))
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(LIVE_SCHEMA)))
        own = base.update_query_dict({"options": f"-csearch_path={LIVE_SCHEMA}"})

        def drop_schema():
            with psycopg.connect(plain, autocommit=True) as conn:
                conn.execute(sql.SQL(DROP_SCHEMA).format(sql.Identifier(LIVE_SCHEMA)))

        return own.render_as_string(hide_password=False), drop_schema

    def drop_database():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL(DROP_DATABASE).format(sql.Identifier(name)))

    return base.set(database=name).render_as_string(hide_password=False), drop_database


@pytest.fixture(scope="module")
def live_database_url():
    url, clean_up = _own_database(require_postgres())
    try:
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="tests")
        _cli(env, "db-upgrade")
        _cli(env, "load-demo")  # the French demo: assembly 1
        yield url
    finally:
        clean_up()


# --- gunicorn --------------------------------------------------------------------------

@contextmanager
def gunicorn(env: dict, log_path: Path):
    """gunicorn with two gevent workers on a free port; yields (base URL, port, master pid)."""
    port = _free_port()
    command = [_tool("gunicorn")]
    if CONFIG.exists():  # the deployment settings, with the essentials forced below
        command += ["-c", str(CONFIG)]
    command += ["-k", "gevent", "-w", str(WORKERS), "--worker-connections", "1000",
                "-b", f"127.0.0.1:{port}", "--max-requests", "0", "--graceful-timeout", "2",
                "convergence.wsgi:app"]
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            def healthy() -> bool:
                assert proc.poll() is None, f"gunicorn exited:\n{log_path.read_text()[-3000:]}"
                try:
                    return requests.get(f"{base}/healthz", timeout=2).status_code == 200 \
                        and len(_workers(proc.pid)) == WORKERS
                except requests.RequestException:
                    return False

            wait_until(healthy, timeout=20, interval=0.1,
                       message=lambda: f"not healthy:\n{log_path.read_text()[-3000:]}")
            yield base, port, proc.pid
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)  # quick shutdown: open streams never end
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)


def _workers(master: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == master:
                found.append(int(entry))
    return found


def _connections_per_worker(master: int, port: int) -> dict[int, int]:
    """Established connections to ``port`` held by each worker (from /proc, Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if os.path.exists(table):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])
    counts = {}
    for pid in _workers(master):
        held = 0
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            held += link.startswith("socket:[") and link[8:-1] in inodes
        counts[pid] = held
    return counts


# --- server-sent events ----------------------------------------------------------------

class Stream:
    def __init__(self, session, url: str):
        self.response = session.get(url, stream=True, timeout=(3, 5),
                                    headers={"Accept": "text/event-stream"})
        assert self.response.status_code == 200
        assert self.response.headers["Content-Type"].startswith("text/event-stream")
        self.lines = self.response.iter_lines(decode_unicode=True)

    def read_until(self, wanted, deadline: float) -> list[str]:
        """Lines up to the one for which ``wanted(line)`` is true; fails at ``deadline``."""
        seen = []
        for line in self.lines:
            seen.append(line)
            if wanted(line):
                return seen
            assert time.monotonic() < deadline, f"not found in time; read {seen}"
        raise AssertionError(f"stream ended; read {seen}")

    def close(self):
        self.response.close()


def _open_stream(base: str) -> Stream:
    stream = Stream(requests.Session(), f"{base}/assemblees/1/direct")
    stream.read_until(lambda line: line == ": connected", time.monotonic() + 5)
    return stream


@pytest.mark.server
@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres", "redis"])
def test_event_from_another_process_reaches_streams_on_both_workers(
        backend, live_database_url, tmp_path):
    env = dict(os.environ, DATABASE_URL=live_database_url, SECRET_KEY="tests",
               LIVE_BACKEND=backend, WEB_CONCURRENCY=str(WORKERS))
    env.pop("REDIS_URL", None)
    if backend == "redis":
        env["REDIS_URL"] = require_redis()

    with gunicorn(env, tmp_path / "gunicorn.log") as (base, port, master):
        page = requests.get(f"{base}/", timeout=10, headers={"Connection": "close"})
        assert page.status_code == 200
        assert 'lang="fr"' in page.text

        streams: list[Stream] = []
        try:
            # Open streams, several at once, until both workers hold some: each new
            # connection goes to whichever worker accepts it first, one at a time they tend
            # to pile up on the same one, and a worker still booting on a busy machine
            # accepts none. Past MAX_STREAMS the streams are closed and the race starts
            # again, until the deadline. Each stream must send ": connected".
            seen = {}

            def both_workers_hold_streams():
                streams.extend(pool.map(_open_stream, [base] * FIRST_STREAMS))
                seen.update(distribution=_connections_per_worker(master, port))
                distribution = seen["distribution"]
                if len(distribution) == WORKERS and all(distribution.values()):
                    return distribution
                if len(streams) >= MAX_STREAMS:
                    for stream in streams:
                        stream.close()
                    streams.clear()
                return None

            with ThreadPoolExecutor(max_workers=FIRST_STREAMS) as pool:
                distribution = wait_until(both_workers_hold_streams, timeout=60, interval=0,
                                          message=lambda: f"a worker holds no stream: {seen.get('distribution')}")
            assert sum(distribution.values()) >= len(streams), distribution

            published = _cli(env, "live-publish", "1", "test.event", '{"n": 1}', timeout=30)
            assert "Publié." in published.stdout

            deadline = time.monotonic() + 5
            for stream in streams:
                lines = stream.read_until(lambda line: line.startswith("data:"), deadline)
                assert "event: test.event" in lines, lines
                assert json.loads(lines[-1][len("data:"):]) == {"n": 1}
        finally:
            for stream in streams:
                stream.close()


def test_listener_reconnects_quickly_after_each_drop(monkeypatch):
    """The back-off between reconnections grows while the broker is unreachable, and
    starts again from 0.5 s once a connection has worked: a worker that has lived through
    a few drops must not lose 10 s of events at every later one."""
    from convergence.live import backends

    class Stop(BaseException):
        pass

    class Flaky(backends._ListeningBackend):
        name = "flaky"
        calls = 0

        def _listen(self):
            self.calls += 1
            if self.calls > 6:
                raise Stop
            if self.calls in (2, 3):
                raise ConnectionError("refused")  # the broker is still down
            self.ready.set()  # connected and listening...
            raise ConnectionError("dropped")  # ...until the connection drops

    sleeps = []
    monkeypatch.setattr(backends.time, "sleep", sleeps.append)
    with pytest.raises(Stop):
        Flaky()._run_forever()
    assert sleeps == [0.5, 1, 2, 0.5, 0.5, 0.5]
