#!/usr/bin/env python
"""Benchmark: casting majority-judgment ballots over HTTP, 200 voters at a time.

Targets (2-core machine, gunicorn with 2 gevent workers, PostgreSQL): at least 500 ballots/s,
p99 < 300 ms, and afterwards exactly as many ballots (and participations) as voters.

    .venv/bin/python bench/mj_cast.py [--voters 2000] [--concurrency 200] [--rate 0]

What one run does:

1. empties the database ($BENCH_DATABASE_URL, else
   postgresql://postgres@127.0.0.1/convergence_bench, created when missing), builds the
   schema with the migrations, creates a commune, an assembly, a vote with 12 options and
   7 grades, and VOTERS residents of the commune (a cheap password hash, as in the tests);
2. starts ``gunicorn -k gevent -w 2 --worker-connections 1000 -b 127.0.0.1:<free port>
   convergence.wsgi:app`` with DATABASE_URL pointing there;
3. prepares every voter like a browser would, untimed: login page, login, ballot page
   (session cookie and CSRF token), CONCURRENCY at a time;
4. timed: every voter posts one ballot (random grades) through one keep-alive connection per
   concurrent voter; with ``--rate 0`` (default) CONCURRENCY voters post back to back
   (closed loop: the highest throughput); with ``--rate R`` ballots start at R per second
   (open loop, at most CONCURRENCY in flight) and a latency counts from the planned start,
   so a server falling behind shows in the figures;
5. checks that every answer showed the receipt, stops gunicorn, closes the vote through the
   application (the sealed ballots are written out and counted: its time is printed), then
   counts ballots, participations and the tally's counters in the database.

The client is one asyncio process speaking HTTP/1.1 over raw sockets (no dependency). It only
connects to 127.0.0.1, and the run is bounded (timeouts everywhere, --budget overall).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql://postgres@127.0.0.1/convergence_bench"
PASSWORD = "mot-de-passe-solide"
OPTIONS, GRADES = 12, 7
CSRF = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
HOST = "127.0.0.1"
ACCEPTED = 0  # an answer that showed the receipt
SECRET = "bench-secret"  # the servers' and the closing process's: the same key seals and opens


# -- database ---------------------------------------------------------------------------

def prepare_database(url: str, voters: int, kind: str = "members") -> tuple[int, list[int], list[str]]:
    import psycopg
    from werkzeug.security import generate_password_hash

    from bench.databases import empty_database

    empty_database(url)

    from flask_migrate import upgrade

    from convergence.app import create_app
    from convergence.extensions import db
    from convergence.models import Assembly, Commune
    from convergence.models.base import utcnow
    from plugins.mj import api

    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://" + url.split("://", 1)[1],
                      "PLUGINS": ["mj"], "LIVE_BACKEND": "memory", "SERVER_NAME": "localhost"})
    with app.app_context(), app.test_request_context():
        upgrade(revision="heads")
        commune = Commune(slug="bench", name="Bench", kind="commune")
        db.session.add(commune)
        db.session.flush()
        assembly = Assembly(commune_id=commune.id, title="Bench", starts_at=utcnow(), status="open")
        db.session.add(assembly)
        db.session.commit()
        vote = api.create_vote(assembly, "Bench", [f"Option {i + 1}" for i in range(OPTIONS)],
                               opens_at=utcnow(), voters=kind)
        vote_id, option_ids, commune_id = vote.id, [o.id for o in vote.options], commune.id
        codes = []
        while kind == "codes" and len(codes) < voters:  # at most 1000 per call
            codes += [c.code for c in api.create_codes(vote, min(1000, voters - len(codes)))]
        db.session.remove()
        db.engine.dispose()
    if kind == "codes":
        return vote_id, option_ids, codes

    # The tests' cheap hash: the benchmark is about ballots, not about password hashing.
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    emails = [f"votant{n}@bench.invalid" for n in range(voters)]
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        with cursor.copy("COPY users (email, display_name, password_hash, locale, is_admin, created_at) "
                         "FROM STDIN") as copy:
            for n, email in enumerate(emails):
                copy.write_row((email, f"Votant {n}", password_hash, "fr", False, "2026-01-01"))
        cursor.execute(
            "INSERT INTO memberships (user_id, space_id, role, created_at) "
            "SELECT users.id, communes.space_id, 'resident', now() FROM users, communes "
            "WHERE users.email LIKE '%%@bench.invalid' AND communes.id = %s", (commune_id,))
        connection.commit()
    return vote_id, option_ids, emails


def close_vote(url: str, vote_id: int) -> float:
    """Close the vote through the application, as a facilitator's click does: the sealed
    ballots are written out and counted. Returns the seconds it took."""
    os.environ.update(DATABASE_URL=url, SECRET_KEY=SECRET, CONVERGENCE_PLUGINS="mj")
    from convergence.app import create_app
    from convergence.extensions import db
    from plugins.mj import api
    from plugins.mj.models import Vote

    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        api.close_vote(db.session.get(Vote, vote_id))
        return time.perf_counter() - started


def database_counts(url: str, vote_id: int) -> tuple[int, int, int]:
    import psycopg

    with psycopg.connect(url) as connection:
        participations = connection.execute(
            "SELECT count(*) FROM ballot_participations p JOIN mj_votes v ON v.box_id = p.box_id WHERE v.id = %s",
            (vote_id,)).fetchone()[0]
        ballots = connection.execute("SELECT count(*) FROM ballots b JOIN mj_votes v ON v.box_id = b.box_id "
                                     "WHERE v.id = %s", (vote_id,)).fetchone()[0]
        judgments = connection.execute(
            "SELECT coalesce(sum(count), 0) FROM mj_counts WHERE vote_id = %s", (vote_id,)).fetchone()[0]
    return participations, ballots, int(judgments)


# -- server -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, port: int, socket_dir: str | None = None, *, env: dict | None = None,
                   log=None) -> subprocess.Popen:
    """``env``: variables set for the server on top of the benchmark's (e.g. another
    LIVE_BACKEND); ``log``: a file for its output (default: this terminal)."""
    if socket_dir:
        # Same database through PostgreSQL's Unix socket: less work per query than TCP.
        url = f"{url.rsplit('@', 1)[0]}@/{url.rsplit('/', 1)[1]}?host={socket_dir}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "CONVERGENCE_PLUGINS": "mj",
           "LIVE_BACKEND": "postgres", **(env or {})}
    command = [str(ROOT / ".venv/bin/gunicorn"), "-k", "gevent", "-w", "2", "--worker-connections", "1000",
               "-b", f"{HOST}:{port}", "--log-level", "warning",
               *os.environ.get("MJ_BENCH_GUNICORN_ARGS", "").split(), "convergence.wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=log,
                              stderr=subprocess.STDOUT if log else None)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# -- a minimal HTTP/1.1 client -----------------------------------------------------------

class Connection:
    """One keep-alive connection to 127.0.0.1; the cookie jar is the voter's, passed in."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def close(self):
        if self.writer:
            self.writer.close()

    async def request(self, method: str, path: str, cookie: str | None, body: bytes = b""):
        if self.writer is None or self.writer.is_closing():
            await self.open()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", "Connection: keep-alive",
                 "Accept-Language: fr"]
        if cookie:
            lines.append(f"Cookie: session={cookie}")
        if method == "POST":
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed by the server")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        new_cookie = None
        while True:
            line = (await self.reader.readline()).decode("latin-1").rstrip("\r\n")
            if not line:
                break
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            headers[name] = value
            if name == "set-cookie" and value.startswith("session="):
                new_cookie = value.split(";", 1)[0][len("session="):]
        if headers.get("transfer-encoding") == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            payload = b"".join(chunks)
        else:
            payload = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
            self.writer = None
        return status, headers, payload, new_cookie


def csrf_of(page: bytes) -> str:
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("no CSRF token in the page")
    return (match.group(1) or match.group(2)).decode()


# -- the voters -------------------------------------------------------------------------

async def prepare_code_voter(connection: Connection, code: str, vote_id: int) -> tuple[str, str]:
    """Follow the QR code of a voting code, open the ballot; returns (session cookie, CSRF token)."""
    status, _h, _p, cookie = await connection.request("GET", f"/votes/{vote_id}/code?c={code}", None)
    if status != 302:
        raise RuntimeError(f"code {code} answered {status}")
    status, _h, page, new = await connection.request("GET", f"/votes/{vote_id}/bulletin", cookie)
    if status != 200:
        raise RuntimeError(f"ballot page answered {status} for code {code}")
    return new or cookie, csrf_of(page)


async def prepare_voter(connection: Connection, email: str, vote_id: int) -> tuple[str, str]:
    """Log in and open the ballot like a browser; returns (session cookie, CSRF token)."""
    _s, _h, page, cookie = await connection.request("GET", "/compte/connexion", None)
    body = urlencode({"email": email, "password": PASSWORD, "csrf_token": csrf_of(page)}).encode()
    status, _h, _p, new = await connection.request("POST", "/compte/connexion", cookie, body)
    if status != 302:
        raise RuntimeError(f"login of {email} answered {status}")
    cookie = new or cookie
    status, _h, page, new = await connection.request("GET", f"/votes/{vote_id}/bulletin", cookie)
    if status != 200:
        raise RuntimeError(f"ballot page answered {status} for {email}")
    return new or cookie, csrf_of(page)


async def run_pool(items, concurrency: int, port: int, work):
    queue: asyncio.Queue = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    results = []

    async def worker():
        connection = Connection(port)
        try:
            while not queue.empty():
                results.append(await work(connection, queue.get_nowait()))
        finally:
            await connection.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


def ballot_body(option_ids: list[int], csrf: str, rng: random.Random) -> bytes:
    fields = {f"option-{o}": str(rng.randrange(GRADES)) for o in option_ids}
    fields["csrf_token"] = csrf
    return urlencode(fields).encode()


async def cast_all(prepared, option_ids, vote_id, port, concurrency, rate, rng, master_pid=None, follow=False):
    """Post every ballot; returns [(status, latency seconds, worker pid)], the wall time and
    the number of connections each gunicorn worker holds."""
    bodies = [(cookie, ballot_body(option_ids, csrf, rng)) for cookie, csrf in prepared]
    connections = [Connection(port) for _ in range(concurrency)]
    for connection in connections:
        await connection.open()
    # Which worker holds each keep-alive connection: a worker holding more connections
    # than the other serves each of them more slowly (they share one CPU each).
    owner: dict[int, int] = {}
    if master_pid:
        from bench.live_listeners import worker_of_client_port

        owner, _workers = worker_of_client_port(master_pid, port)
    free: asyncio.Queue = asyncio.Queue()
    for connection in connections:
        free.put_nowait(connection)
    outcomes: list[tuple[int, float, int | None]] = []
    path = f"/votes/{vote_id}/bulletin"

    async def cast(cookie: str, body: bytes, planned: float):
        connection = await free.get()
        worker = owner.get(connection.writer.get_extra_info("sockname")[1]) if connection.writer else None
        try:
            status, headers, page, new_cookie = await connection.request("POST", path, cookie, body)
            location = headers.get("location", "")
            if follow and status == 302 and location.endswith("/recu"):
                # Before sealing the answer was a redirect to the receipt page, which every
                # browser then loads: with --follow that request counts as part of the ballot.
                status, headers, page, _c = await connection.request(
                    "GET", urlsplit(location).path, new_cookie or cookie)
            # Accepted: the receipt page itself (before sealing, without --follow: a redirect to it).
            if status == 200 and b'class="mj-receipt"' in page or \
                    status == 302 and location.endswith("/recu"):
                status = ACCEPTED
        except (OSError, ConnectionError, asyncio.IncompleteReadError):
            status = -1
            connection.writer = None
        finally:
            free.put_nowait(connection)
        outcomes.append((status, time.perf_counter() - planned, worker))

    start = time.perf_counter()
    if rate > 0:
        tasks = []
        for n, (cookie, body) in enumerate(bodies):
            planned = start + n / rate
            delay = planned - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(cast(cookie, body, planned)))
        await asyncio.gather(*tasks)
    else:
        queue = list(reversed(bodies))

        async def voter():
            while queue:
                cookie, body = queue.pop()
                await cast(cookie, body, time.perf_counter())

        await asyncio.gather(*(voter() for _ in range(concurrency)))
    wall = time.perf_counter() - start
    for connection in connections:
        await connection.close()
    split: dict[int, int] = {}
    for pid in owner.values():
        split[pid] = split.get(pid, 0) + 1
    return outcomes, wall, split


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / tick, sum(fields) / tick


def cpu_seconds(names: tuple[str, ...], session: int | None = None, database: str | None = None) -> float:
    """CPU time (user + system) used so far by the processes with these command names,
    their exited children included (PostgreSQL backends of closed connections). On a
    machine shared with other runs, ``session`` keeps only the processes of that session
    (our gunicorn), ``database`` only the PostgreSQL backends serving that database (their
    process title names it; the postmaster's exited children are then left out)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            title = (entry / "cmdline").read_bytes().decode(errors="replace") if database else ""
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        if name.startswith(names):
            fields = stat[stat.rindex(")") + 2:].split()
            if session is not None and int(fields[3]) != session:
                continue
            if database and f" {database} " not in title:
                continue
            total += sum(int(f) for f in fields[11:15]) / tick
    return total


def own_cpu_seconds(server: subprocess.Popen, url: str) -> tuple[float, float]:
    """(our gunicorn, the backends of our database): what this run itself used."""
    return (cpu_seconds(("gunicorn",), session=server.pid),
            cpu_seconds(("postgres",), database=url.rsplit("/", 1)[1].split("?", 1)[0]))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def main_async(args, url: str) -> int:
    print(f"preparing the database: {args.voters:,} voters, a vote of {OPTIONS} options …", flush=True)
    vote_id, option_ids, voters = prepare_database(url, args.voters, args.kind)
    port = free_port()
    server = start_gunicorn(url, port, args.socket)
    prepare = prepare_code_voter if args.kind == "codes" else prepare_voter
    try:
        started = time.perf_counter()
        prepared = await asyncio.wait_for(
            run_pool(voters, args.concurrency, port, lambda c, v: prepare(c, v, vote_id)), args.budget)
        print(f"{len(prepared):,} voters ({args.kind}) with their ballot page open "
              f"({time.perf_counter() - started:.1f} s, untimed)", flush=True)
        rng = random.Random(42)
        mode = f"open loop at {args.rate:g}/s" if args.rate else "closed loop"
        print(f"casting: {args.concurrency} concurrent voters, {mode} …", flush=True)
        busy_before = machine_busy()
        before = (*own_cpu_seconds(server, url), time.process_time())
        outcomes, wall, split = await asyncio.wait_for(
            cast_all(prepared, option_ids, vote_id, port, args.concurrency, args.rate, rng, server.pid,
                     follow=args.follow),
            args.budget)
        after = (*own_cpu_seconds(server, url), time.process_time())
        busy_after = machine_busy()
    finally:
        stop(server)
    used = [b - a for a, b in zip(before, after)]

    statuses = [s for s, _l, _w in outcomes]
    latencies = [l * 1000 for _s, l, _w in outcomes]
    ok = statuses.count(ACCEPTED)
    closing = close_vote(url, vote_id)
    participations, ballots, judgments = database_counts(url, vote_id)
    throughput = len(outcomes) / wall
    p50, p95, p99 = (percentile(latencies, p) for p in (50, 95, 99))
    print()
    print(f"ballots posted        {len(outcomes):>8,}   accepted (the receipt) {ok:,}   "
          f"other answers {dict((s, statuses.count(s)) for s in set(statuses) if s != ACCEPTED) or 'none'}")
    print(f"close                 {closing:>8.2f} s (ballots written out and counted)")
    print(f"wall time             {wall:>8.2f} s")
    print(f"throughput            {throughput:>8.0f} ballots/s   target ≥ 500: {'OK' if throughput >= 500 else 'MISSED'}")
    print(f"latency p50 / p95     {p50:>8.0f} / {p95:.0f} ms")
    print(f"latency p99 / max     {p99:>8.0f} / {max(latencies):.0f} ms   target p99 < 300 ms: "
          f"{'OK' if p99 < 300 else 'MISSED'}")
    for pid, held in sorted(split.items(), key=lambda item: -item[1]):
        mine = [l * 1000 for _s, l, w in outcomes if w == pid]
        if mine:
            print(f"  worker {pid:>7}       {held:>4} connections, {len(mine):,} ballots, "
                  f"p50 {percentile(mine, 50):.0f} ms, p99 {percentile(mine, 99):.0f} ms")
    per = [1000 * u / max(len(outcomes), 1) for u in used]
    busy_seconds = busy_after[0] - busy_before[0]
    busy = busy_seconds / max(busy_after[1] - busy_before[1], 1e-9)
    # What is left of the machine's busy time: the kernel's own work, and other processes
    # (a noisy neighbour shows here, not in the figures above).
    rest = 1000 * (busy_seconds - sum(used)) / max(len(outcomes), 1)
    print(f"CPU per ballot        {per[0]:>8.2f} ms gunicorn, {per[1]:.2f} ms PostgreSQL, {per[2]:.2f} ms client, "
          f"{rest:.2f} ms rest; machine busy {busy * 100:.0f} %")
    exact = participations == ballots == args.voters == ok and judgments == args.voters * OPTIONS
    print(f"in the database       {ballots:,} ballots, {participations:,} participations, {judgments:,} judgments "
          f"for {args.voters:,} voters: {'exact' if exact else 'MISMATCH'}")
    good = exact and throughput >= 500 and p99 < 300
    print(f"SUMMARY mj_cast kind={args.kind} voters={args.voters} concurrency={args.concurrency} mode={'rate=' + str(args.rate) if args.rate else 'closed'} "
          f"throughput={throughput:.0f}/s p50={p50:.0f}ms p95={p95:.0f}ms p99={p99:.0f}ms exact={exact} "
          f"split={'/'.join(str(n) for n in sorted(split.values(), reverse=True)) or '?'} "
          f"{'PASS' if good else 'FAIL'}")
    return 0 if good else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rate", type=float, default=0, help="ballots started per second (0: closed loop)")
    parser.add_argument("--socket", metavar="DIR", default=None,
                        help="let gunicorn reach PostgreSQL through its Unix socket in DIR "
                             "(e.g. /var/run/postgresql) instead of TCP")
    parser.add_argument("--kind", choices=("members", "codes"), default="members",
                        help="members log in with an account; codes vote with single-use codes, no account")
    parser.add_argument("--follow", action="store_true",
                        help="follow a redirect after the ballot, as a browser does (the receipt page before sealing)")
    parser.add_argument("--budget", type=float, default=300, help="seconds before a phase is abandoned")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    url = url.replace("postgresql+psycopg://", "postgresql://")
    if not url.startswith("postgresql://") or "@127.0.0.1" not in url and "@localhost" not in url:
        raise SystemExit("this benchmark needs a local PostgreSQL URL (postgresql://…@127.0.0.1/…)")
    sys.exit(asyncio.run(main_async(args, url)))


if __name__ == "__main__":
    main()
