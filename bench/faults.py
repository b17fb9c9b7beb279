#!/usr/bin/env python
"""Faults: PostgreSQL restarted, then Redis restarted, while 200 voters cast ballots.

What must hold (issue 13, item 12): requests caught by the outage fail cleanly with the
French 503 page (« Service momentanément indisponible », Retry-After); nothing is
half-written; no ballot is lost or doubled — every voter who got a success has exactly one
participation and one ballot, every voter who got a 503 can vote again and succeeds once;
the app and its live channel recover by themselves, within seconds, without a restart.

    .venv/bin/python bench/faults.py                      # both faults
    .venv/bin/python bench/faults.py --fault postgres     # or redis

For each fault:

1. empties a scratch database ($BENCH_DATABASE_URL, else
   postgresql://postgres@127.0.0.1/convergence_faults; created when missing) and builds a
   vote of 12 options for VOTERS residents (``bench/mj_cast.py``'s helpers);
2. starts gunicorn with 2 gevent workers (live backend: PostgreSQL LISTEN for the
   PostgreSQL fault, Redis for the Redis one), logs in every voter and opens their ballot
   (untimed), and opens LISTENERS server-sent-event streams on the vote's assembly;
3. publishes a tick on the live channel every 100 ms from this process (straight to
   PostgreSQL NOTIFY or Redis PUBLISH, as another app server would), and polls
   ``/healthz`` every 50 ms;
4. casts every ballot at RATE per second, at most CONCURRENCY in flight; FAULT_AT seconds
   in, restarts the server: ``pg_ctlcluster <version> main restart`` (the version found in
   /etc/postgresql), or ``redis-cli shutdown nosave`` then ``redis-server --daemonize yes
   --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no`` (as in .ci/run);
5. once the casting is over, every voter whose ballot failed votes again (after the
   Retry-After wait) until it succeeds;
6. checks the answers (302 to the receipt or the French 503, nothing else), the database
   (per voter: one participation; in all: as many ballots as participations as voters, 12
   judgments each) and prints the recovery times: the app healthy again, the first ballot
   accepted, and the ticks reaching every stream again, each counted from the moment the
   restarted server accepts connections again.

PostgreSQL and Redis serve other work on this machine (CI, other test runs): each restart
is a single quick restart, and the script makes sure both are running when it ends.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live_listeners import Listener  # noqa: E402  (after the path is set)
from bench.mj_cast import (  # noqa: E402
    OPTIONS, Connection, ballot_body, database_counts, free_port, prepare_database, prepare_voter, run_pool,
    start_gunicorn, stop,
)
from convergence.live.backends import PG_CHANNEL, REDIS_CHANNEL, encode  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1/convergence_faults"
REDIS_URL = "redis://127.0.0.1:6379/0"
TICK = "bench.tick"
UNAVAILABLE = "Service momentanément indisponible".encode()
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
               "--save", "", "--appendonly", "no"]


# -- the servers under test ---------------------------------------------------------------

def postgres_version() -> str:
    return sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]


def postgres_up() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-t", "1"],
                          capture_output=True).returncode == 0


def redis_up() -> bool:
    return subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True,
                          text=True).stdout.strip() == "PONG"


def restart_postgres() -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", postgres_version(), "main", "restart"],
                   check=True, timeout=120, capture_output=True)


def restart_redis() -> None:
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], timeout=30, capture_output=True)
    start_redis()


def start_redis() -> None:
    # Its own session, no pipe of ours: the daemon outlives this script.
    subprocess.run(REDIS_START, check=True, timeout=30, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, start_new_session=True)


def ensure_services() -> None:
    """Whatever happened, leave PostgreSQL and Redis running."""
    if not postgres_up():
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", postgres_version(), "main", "start"],
                       timeout=120)
    if not redis_up():
        start_redis()


# -- what the run sees --------------------------------------------------------------------

class Timeline:
    """Moments of the run, on the monotonic clock (seconds)."""

    def __init__(self):
        self.fault_started = self.server_back = self.command_done = None
        self.healthy: list[tuple[float, bool]] = []
        self.answers: list[tuple[float, int]] = []  # (time of the answer, status) while casting

    def first_after(self, moments, start) -> float | None:
        later = [t for t in moments if t >= start]
        return min(later) if later else None


class TickStats:
    """What the SSE listeners receive (the ``Listener`` of bench/live_listeners.py calls
    ``connected`` and ``received``)."""

    def __init__(self, listeners: int):
        self.listeners = listeners
        self.connected_set: set[int] = set()
        self.all_connected = asyncio.Event()
        self.arrivals: dict[int, list[float]] = {i: [] for i in range(listeners)}

    def connected(self, index: int) -> None:
        self.connected_set.add(index)
        if len(self.connected_set) == self.listeners:
            self.all_connected.set()

    def received(self, index: int, event: str, _data: str, _now: float) -> None:
        if event == TICK:
            self.arrivals[index].append(time.monotonic())

    def flowing_again(self, after: float) -> float | None:
        """When every listener had received a tick published after ``after``."""
        firsts = [min((t for t in times if t > after), default=None) for times in self.arrivals.values()]
        return None if None in firsts else max(firsts)


def tick_forever(fault: str, assembly_id: int, url: str, stop_at: list[float]) -> None:
    """Thread: a tick every 100 ms on the assembly's live channel, reconnecting as needed."""
    import psycopg
    import redis

    n, sender = 0, None
    while not stop_at:
        n += 1
        payload = encode(f"assembly:{assembly_id}", TICK, {"n": n})
        try:
            if fault == "postgres":
                sender = sender or psycopg.connect(url, autocommit=True, connect_timeout=2)
                sender.execute("SELECT pg_notify(%s, %s)", (PG_CHANNEL, payload))
            else:
                sender = sender or redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
                sender.publish(REDIS_CHANNEL, payload)
        except (psycopg.Error, redis.RedisError, OSError):
            sender = None  # down or restarting: a new connection next time
        time.sleep(0.1)


async def poll_health(port: int, timeline: Timeline, done: asyncio.Event) -> None:
    connection = Connection(port)
    while not done.is_set():
        try:
            status, *_rest = await asyncio.wait_for(connection.request("GET", "/healthz", None), 5)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError):
            status, connection.writer = -1, None
        timeline.healthy.append((time.monotonic(), status == 200))
        await asyncio.sleep(0.05)
    await connection.close()


# -- casting ------------------------------------------------------------------------------

class Voter:
    def __init__(self, email: str, cookie: str, csrf: str):
        self.email, self.cookie, self.csrf = email, cookie, csrf
        self.answers: list[int] = []  # status of each attempt (-1: no answer)
        self.unclean: list[str] = []


async def cast_once(connection: Connection, voter: Voter, path: str, option_ids, rng, timeline=None) -> int:
    body = ballot_body(option_ids, voter.csrf, rng)
    try:
        status, headers, page, cookie = await asyncio.wait_for(
            connection.request("POST", path, voter.cookie, body), 30)
    except (OSError, ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError):
        status, headers, page, cookie = -1, {}, b"", None
        connection.writer = None
    voter.cookie = cookie or voter.cookie
    if status == 302 and not headers.get("location", "").endswith("/recu"):
        voter.unclean.append(f"302 to {headers.get('location')}")
    elif status == 503 and (UNAVAILABLE not in page or headers.get("retry-after") != "5"):
        voter.unclean.append("a 503 that is not the French page with Retry-After")
    elif status not in (302, 503, 409):
        voter.unclean.append(f"answer {status}: {page[:200]!r}")
    voter.answers.append(status)
    if timeline is not None:
        timeline.answers.append((time.monotonic(), status))
    return status


async def cast_all(voters, path, option_ids, port, args, timeline: Timeline, fault) -> float:
    """Every voter's first ballot, at args.rate per second; the fault starts at args.fault_at."""
    rng = random.Random(13)
    free: asyncio.Queue = asyncio.Queue()
    for _ in range(args.concurrency):
        free.put_nowait(Connection(port))

    async def one(voter: Voter, planned: float):
        delay = planned - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        connection = await free.get()
        try:
            await cast_once(connection, voter, path, option_ids, rng, timeline)
        finally:
            free.put_nowait(connection)

    async def run_fault():
        await asyncio.sleep(args.fault_at)
        timeline.fault_started = time.monotonic()
        command = asyncio.create_task(asyncio.to_thread(fault))
        # The server accepts connections again before the restart command returns (which
        # waits for the start to be confirmed): watch it while the command runs.
        up, seen_down = (postgres_up if args.current == "postgres" else redis_up), False
        while True:
            if not await asyncio.to_thread(up):
                seen_down = True
            elif seen_down or command.done():
                timeline.server_back = time.monotonic()
                break
            await asyncio.sleep(0.05)
        await command
        timeline.command_done = time.monotonic()

    start = time.monotonic()
    await asyncio.gather(run_fault(), *(one(v, start + n / args.rate) for n, v in enumerate(voters)))
    while not free.empty():
        await free.get_nowait().close()
    return time.monotonic() - start


async def vote_again(voters, path, option_ids, port, concurrency: int, timeline: Timeline) -> None:
    """Those whose ballot failed vote again, as people would once the page says to retry."""
    rng = random.Random(31)
    free: asyncio.Queue = asyncio.Queue()
    for _ in range(max(1, min(concurrency, len(voters)))):
        free.put_nowait(Connection(port))

    async def again(voter: Voter):
        for attempt in range(10):
            if voter.answers[-1] in (302, 409):
                return
            if attempt:
                await asyncio.sleep(0.5 * attempt)
            connection = await free.get()
            try:
                await cast_once(connection, voter, path, option_ids, rng, timeline)
            finally:
                free.put_nowait(connection)

    await asyncio.gather(*(again(voter) for voter in voters))
    while not free.empty():
        await free.get_nowait().close()


# -- checks ---------------------------------------------------------------------------------

def participations_per_voter(url: str, vote_id: int) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT u.email, count(p.id) FROM users u LEFT JOIN ballot_participations p "
            "ON p.user_id = u.id AND p.box_id = (SELECT box_id FROM mj_votes WHERE id = %s) WHERE u.email LIKE '%%@bench.invalid' GROUP BY u.email",
            (vote_id,)).fetchall()
    return dict(rows)


def assembly_of(url: str, vote_id: int) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SELECT assembly_id FROM mj_votes WHERE id = %s", (vote_id,)).fetchone()[0]


def after(moment: float | None, since: float | None) -> str:
    return "never" if moment is None or since is None else f"{moment - since:.2f} s"


async def one_fault(fault_name: str, url: str, args) -> bool:
    args.current = fault_name
    print(f"\n=== {fault_name}: {args.voters} voters, {args.concurrency} at most in flight, "
          f"{args.rate:g} ballots/s, restart at {args.fault_at:g} s", flush=True)
    vote_id, option_ids, emails = prepare_database(url, args.voters)
    assembly_id = assembly_of(url, vote_id)
    port = free_port()
    env = {"LIVE_BACKEND": fault_name}
    if fault_name == "redis":
        env["REDIS_URL"] = REDIS_URL
    log_path = Path(tempfile.gettempdir()) / f"faults-gunicorn-{fault_name}.log"
    with open(log_path, "wb") as log:
        server = start_gunicorn(url, port, env=env, log=log)
        listeners: list[Listener] = []
        tasks: list[asyncio.Task] = []
        ticking_stop: list[float] = []
        done = asyncio.Event()
        try:
            prepared = await asyncio.wait_for(run_pool(
                emails, args.concurrency, port, lambda c, e: prepare_voter(c, e, vote_id)), args.budget)
            voters = [Voter(e, cookie, csrf) for e, (cookie, csrf) in zip(emails, prepared)]
            stats = TickStats(args.listeners)
            listeners = [Listener(i, stats) for i in range(args.listeners)]
            tasks += [asyncio.create_task(l.run(port, f"/assemblees/{assembly_id}/direct")) for l in listeners]
            await asyncio.wait_for(stats.all_connected.wait(), 30)
            tasks.append(asyncio.create_task(asyncio.to_thread(tick_forever, fault_name, assembly_id, url,
                                                               ticking_stop)))
            timeline = Timeline()
            tasks.append(asyncio.create_task(poll_health(port, timeline, done)))
            await asyncio.sleep(1)  # ticks flowing before the fault: the baseline
            flowing_before = stats.flowing_again(time.monotonic() - 1)
            fault = {"postgres": restart_postgres, "redis": restart_redis}[fault_name]
            if args.rehearse:
                fault = lambda: None  # noqa: E731  (the whole run, without the restart)
            wall = await asyncio.wait_for(cast_all(voters, f"/votes/{vote_id}/bulletin", option_ids, port,
                                                   args, timeline, fault), args.budget)
            # Let the live channel and the app show they are back, then the second chance.
            deadline = time.monotonic() + 30
            while (stats.flowing_again(timeline.server_back) is None
                   or not any(ok for t, ok in timeline.healthy if t > timeline.server_back)):
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.1)
            failed = [v for v in voters if v.answers[-1] not in (302, 409)]
            await asyncio.wait_for(vote_again(failed, f"/votes/{vote_id}/bulletin", option_ids, port,
                                              args.concurrency, timeline), args.budget)
        finally:
            done.set()
            ticking_stop.append(time.monotonic())
            for listener in listeners:
                listener.close()
            stop(server)
            ensure_services()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # -- figures ---------------------------------------------------------------------------
    firsts = [v.answers[0] for v in voters]
    by_status = {s: firsts.count(s) for s in sorted(set(firsts))}
    again = [v for v in voters if len(v.answers) > 1]
    unclean = [(v.email, u) for v in voters for u in v.unclean]
    recorded_despite = sum(1 for v in voters if v.answers[-1] == 409 and v.answers[0] != 302)
    per_voter = participations_per_voter(url, vote_id)
    participations, ballots, judgments = database_counts(url, vote_id)
    succeeded = [v for v in voters if 302 in v.answers or v.answers[-1] == 409]
    one_each = all(per_voter.get(v.email) == 1 for v in voters)
    exact = (one_each and len(succeeded) == args.voters and participations == ballots == args.voters
             and judgments == args.voters * OPTIONS)
    failures = [t for t, s in timeline.answers if s != 302]
    first_ok_after = timeline.first_after([t for t, s in timeline.answers if s == 302], timeline.server_back)
    # A ballot's recovery is measured only if ballots were sent after the server came back.
    sent_after = any(t >= timeline.server_back for t, _s in timeline.answers)
    ballot_back = after(first_ok_after, timeline.server_back) if sent_after else "none sent after"
    healthy_after = timeline.first_after([t for t, ok in timeline.healthy if ok], timeline.server_back)
    events_after = stats.flowing_again(timeline.server_back)
    restart = timeline.server_back - timeline.fault_started
    print(f"casting wall time       {wall:.1f} s; the server accepted connections again {restart:.2f} s after "
          f"the restart began (the command returned after {timeline.command_done - timeline.fault_started:.2f} s)")
    print(f"first answers           {by_status}   (302: accepted, 503: the French page)")
    if failures:
        print(f"failed answers          from {after(min(failures), timeline.fault_started)} to "
              f"{after(max(failures), timeline.fault_started)} after the restart began")
    print(f"voted again             {len(again)} voters; accepted then: "
          f"{sum(1 for v in again if v.answers[-1] == 302)}; already recorded (409, the 503 came after "
          f"the commit): {recorded_despite}; still failing: {sum(1 for v in again if v.answers[-1] not in (302, 409))}")
    print(f"unclean answers         {len(unclean)}" + (f": {unclean[:5]}" if unclean else ""))
    print(f"in the database         {ballots} ballots, {participations} participations, {judgments} judgments "
          f"for {args.voters} voters; one participation per voter: {one_each}: {'exact' if exact else 'MISMATCH'}")
    print(f"recovery, from the server accepting connections again: /healthz 200 after "
          f"{after(healthy_after, timeline.server_back)}, first ballot accepted after "
          f"{ballot_back}, ticks on all {args.listeners} streams after "
          f"{after(events_after, timeline.server_back)} (ticks every 0.1 s; before the fault: "
          f"{'flowing' if flowing_before else 'NOT flowing'})")
    recovered = all(x is not None and x - timeline.server_back < args.recovery
                    for x in (healthy_after, events_after, *((first_ok_after,) if sent_after else ())))
    good = exact and not unclean and recovered and flowing_before is not None
    if fault_name == "redis":
        good = good and by_status.get(302) == args.voters  # the database never left
    print(f"SUMMARY faults fault={fault_name} voters={args.voters} rate={args.rate:g} restart={restart:.2f}s "
          f"answers={json.dumps(by_status, separators=(',', ':'))} again={len(again)} unclean={len(unclean)} "
          f"exact={exact} healthy={after(healthy_after, timeline.server_back)} "
          f"ballot={ballot_back.replace(' ', '')} events={after(events_after, timeline.server_back)} "
          f"{'PASS' if good else 'FAIL'}   (server log: {log_path})", flush=True)
    return good


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fault", choices=("postgres", "redis", "both"), default="both")
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rate", type=float, default=200, help="ballots started per second")
    parser.add_argument("--fault-at", type=float, default=3, help="seconds into the casting")
    parser.add_argument("--listeners", type=int, default=50, help="server-sent-event streams")
    parser.add_argument("--recovery", type=float, default=10, help="seconds allowed to recover")
    parser.add_argument("--budget", type=float, default=180, help="seconds before a phase is abandoned")
    parser.add_argument("--rehearse", action="store_true", help="everything but the restart (checks the harness)")
    args = parser.parse_args()
    url = (os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL).replace("postgresql+psycopg://", "postgresql://")
    if not url.startswith("postgresql://") or "@127.0.0.1" not in url and "@localhost" not in url:
        raise SystemExit("this benchmark needs a local PostgreSQL URL (postgresql://…@127.0.0.1/…)")
    faults = ["postgres", "redis"] if args.fault == "both" else [args.fault]
    try:
        results = [asyncio.run(one_fault(fault, url, args)) for fault in faults]
    finally:
        ensure_services()
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
