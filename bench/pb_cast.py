#!/usr/bin/env python
"""Benchmark: casting participatory-budget ballots over HTTP, 200 voters at a time.

Targets (issue 10; 2-core machine, gunicorn with 2 gevent workers, PostgreSQL): at least 500
ballots/s, p99 < 300 ms, and afterwards exactly as many ballots (and participations) as
voters, each ballot the one its voter cast. Casting must not cost more per ballot than
majority judgment's (``bench/mj_cast.py``): run both in the same session, compare as ratios.

    .venv/bin/python bench/pb_cast.py [--voters 2000] [--concurrency 200] [--rate 0] [--kind codes]

What one run does (the server, the HTTP client and the measures are mj_cast's own):

1. empties the database ($BENCH_DATABASE_URL, else
   postgresql://postgres@127.0.0.1/convergence_bench), builds the schema with the migrations,
   creates a commune, a budget process of 30 feasible projects (approval, 1 to 5 projects)
   whose vote is open, and VOTERS residents (or VOTERS voting codes);
2. starts gunicorn as mj_cast does, prepares every voter like a browser (login or code, the
   ballot page: cookie and CSRF token), untimed;
3. timed: every voter posts one ballot of 1 to 5 random projects (closed loop by default,
   ``--rate R`` for an open loop);
4. checks every answer showed the receipt, stops gunicorn, closes the vote through the
   application (the sealed ballots written out shuffled: its time is printed), then compares
   the ballots in the database with those posted (as multisets of texts).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import mj_cast  # noqa: E402  (the server, the client, the measures)
from bench.mj_cast import (ACCEPTED, DEFAULT_URL, PASSWORD, SECRET, Connection, csrf_of,  # noqa: E402
                           free_port, machine_busy, own_cpu_seconds, percentile, run_pool, stop)

PROJECTS, MAX_CHOICES = 30, 5


def prepare_database(url: str, voters: int, kind: str) -> tuple[int, list[str]]:
    import psycopg
    from werkzeug.security import generate_password_hash

    from bench.databases import empty_database

    empty_database(url)

    from datetime import timedelta

    from flask_migrate import upgrade

    from convergence.app import create_app
    from convergence.extensions import db
    from convergence.models import Commune, SpaceFeature
    from convergence.models.base import utcnow
    from plugins.budget import casting, status
    from plugins.budget.models import FEASIBLE, VOTE, Phase, Process, Project

    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://" + url.split("://", 1)[1],
                      "PLUGINS": ["budget"], "LIVE_BACKEND": "memory", "SERVER_NAME": "localhost",
                      "SECRET_KEY": SECRET})
    with app.app_context(), app.test_request_context():
        upgrade(revision="heads")
        commune = Commune(slug="bench", name="Bench", kind="commune")
        db.session.add(commune)
        db.session.flush()
        db.session.add(SpaceFeature(space_id=commune.space_id, plugin_name="budget", active=True))
        process = Process(space_id=commune.space_id, title="Bench", envelope=1_000_000, min_choices=1,
                          max_choices=MAX_CHOICES, voters="codes" if kind == "codes" else "members")
        process.phases = [Phase(name=VOTE, position=2, starts_at=utcnow() - timedelta(seconds=1),
                                ends_at=utcnow() + timedelta(hours=2))]
        db.session.add(process)
        db.session.flush()
        db.session.add_all([Project(process_id=process.id, number=n, title=f"Projet {n}", cost=10_000 * n,
                                    status=FEASIBLE) for n in range(1, PROJECTS + 1)])
        db.session.commit()
        process_id, commune_id = process.id, commune.id
        status.advance(process_id)  # opened: the rules frozen, the ballot fixed
        codes: list[str] = []
        while kind == "codes" and len(codes) < voters:
            made = casting.create_codes(db.session.get(Process, process_id), min(1000, voters - len(codes)))
            db.session.commit()
            codes += [code.code for code in made]
        db.session.remove()
        db.engine.dispose()
    if kind == "codes":
        return process_id, codes
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
    return process_id, emails


async def prepare_voter(connection: Connection, who: str, process_id: int, kind: str) -> tuple[str, str]:
    """Log in (or follow a code's QR link) and open the ballot: (session cookie, CSRF token)."""
    if kind == "codes":
        status, _h, _p, cookie = await connection.request("GET", f"/budgets/{process_id}/code?c={who}", None)
        if status != 302:
            raise RuntimeError(f"code {who} answered {status}")
    else:
        _s, _h, page, cookie = await connection.request("GET", "/compte/connexion", None)
        body = urlencode({"email": who, "password": PASSWORD, "csrf_token": csrf_of(page)}).encode()
        status, _h, _p, new = await connection.request("POST", "/compte/connexion", cookie, body)
        if status != 302:
            raise RuntimeError(f"login of {who} answered {status}")
        cookie = new or cookie
    status, _h, page, new = await connection.request("GET", f"/budgets/{process_id}/bulletin", cookie)
    if status != 200:
        raise RuntimeError(f"ballot page answered {status} for {who}")
    return new or cookie, csrf_of(page)


async def cast_all(prepared, process_id: int, port: int, concurrency: int, rate: float, rng: random.Random):
    """Post every ballot; returns [(accepted?, latency s)], the texts posted, the wall time."""
    ballots = []
    for cookie, csrf in prepared:
        chosen = sorted(rng.sample(range(1, PROJECTS + 1), rng.randint(1, MAX_CHOICES)))
        body = urlencode([("csrf_token", csrf), *(("project", str(n)) for n in chosen)]).encode()
        ballots.append((cookie, body, ".".join(map(str, chosen))))
    free: asyncio.Queue = asyncio.Queue()
    for _ in range(concurrency):
        connection = Connection(port)
        await connection.open()
        free.put_nowait(connection)
    outcomes: list[tuple[int, float]] = []
    path = f"/budgets/{process_id}/bulletin"

    async def cast(cookie: str, body: bytes, planned: float):
        connection = await free.get()
        try:
            status, _headers, page, _cookie = await connection.request("POST", path, cookie, body)
            if status == 200 and b'class="budget-receipt"' in page:
                status = ACCEPTED
        except (OSError, ConnectionError, asyncio.IncompleteReadError):
            status = -1
            connection.writer = None
        finally:
            free.put_nowait(connection)
        outcomes.append((status, time.perf_counter() - planned))

    start = time.perf_counter()
    if rate > 0:
        tasks = []
        for n, (cookie, body, _text) in enumerate(ballots):
            planned = start + n / rate
            delay = planned - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(cast(cookie, body, planned)))
        await asyncio.gather(*tasks)
    else:
        queue = list(reversed(ballots))

        async def voter():
            while queue:
                cookie, body, _text = queue.pop()
                await cast(cookie, body, time.perf_counter())

        await asyncio.gather(*(voter() for _ in range(concurrency)))
    wall = time.perf_counter() - start
    while not free.empty():
        await free.get_nowait().close()
    return outcomes, [text for _c, _b, text in ballots], wall


def close_and_count(url: str, process_id: int) -> tuple[float, int, Counter]:
    """Close the vote through the application (the box written out); (seconds,
    participations, the ballots' texts)."""
    os.environ.update(DATABASE_URL=url, SECRET_KEY=SECRET, CONVERGENCE_PLUGINS="budget")
    from convergence.app import create_app
    from convergence.balloting.models import Ballot, Participation
    from convergence.extensions import db
    from plugins.budget import status
    from plugins.budget.models import Process

    app = create_app()
    with app.app_context(), app.test_request_context():
        started = time.perf_counter()
        process = db.session.get(Process, process_id)
        status.close_now(process)
        db.session.commit()
        closing = time.perf_counter() - started
        box_id = db.session.get(Process, process_id).box_id
        participations = db.session.scalar(db.select(db.func.count()).select_from(Participation)
                                           .where(Participation.box_id == box_id))
        texts = Counter(db.session.scalars(db.select(Ballot.content).where(Ballot.box_id == box_id)))
    return closing, participations, texts


async def main_async(args, url: str) -> int:
    print(f"preparing the database: {args.voters:,} voters ({args.kind}), {PROJECTS} projects …", flush=True)
    process_id, voters = prepare_database(url, args.voters, args.kind)
    port = free_port()
    server = mj_cast.start_gunicorn(url, port, args.socket, env={"CONVERGENCE_PLUGINS": "budget"})
    try:
        started = time.perf_counter()
        prepared = await asyncio.wait_for(run_pool(
            voters, args.concurrency, port, lambda c, v: prepare_voter(c, v, process_id, args.kind)), args.budget)
        print(f"{len(prepared):,} voters with their ballot page open ({time.perf_counter() - started:.1f} s, "
              f"untimed)", flush=True)
        mode = f"open loop at {args.rate:g}/s" if args.rate else "closed loop"
        print(f"casting: {args.concurrency} concurrent voters, {mode} …", flush=True)
        busy_before = machine_busy()
        before = (*own_cpu_seconds(server, url), time.process_time())
        outcomes, posted, wall = await asyncio.wait_for(
            cast_all(prepared, process_id, port, args.concurrency, args.rate, random.Random(42)), args.budget)
        after = (*own_cpu_seconds(server, url), time.process_time())
        busy_after = machine_busy()
    finally:
        stop(server)
    used = [b - a for a, b in zip(before, after)]
    statuses = [s for s, _l in outcomes]
    latencies = [l * 1000 for _s, l in outcomes]
    ok = statuses.count(ACCEPTED)
    closing, participations, stored = close_and_count(url, process_id)
    throughput = len(outcomes) / wall
    p50, p95, p99 = (percentile(latencies, p) for p in (50, 95, 99))
    per = [1000 * u / max(len(outcomes), 1) for u in used]
    busy = (busy_after[0] - busy_before[0]) / max(busy_after[1] - busy_before[1], 1e-9)
    exact = participations == sum(stored.values()) == args.voters == ok and stored == Counter(posted)
    print()
    print(f"ballots posted        {len(outcomes):>8,}   accepted (the receipt) {ok:,}   other answers "
          f"{dict((s, statuses.count(s)) for s in set(statuses) if s != ACCEPTED) or 'none'}")
    print(f"close                 {closing:>8.2f} s (ballots written out shuffled)")
    print(f"throughput            {throughput:>8.0f} ballots/s   target ≥ 500: {'OK' if throughput >= 500 else 'MISSED'}")
    print(f"latency p50 / p95     {p50:>8.0f} / {p95:.0f} ms")
    print(f"latency p99 / max     {p99:>8.0f} / {max(latencies):.0f} ms   target p99 < 300 ms: "
          f"{'OK' if p99 < 300 else 'MISSED'}")
    print(f"CPU per ballot        {per[0]:>8.2f} ms gunicorn, {per[1]:.2f} ms PostgreSQL, {per[2]:.2f} ms client; "
          f"machine busy {busy * 100:.0f} %")
    print(f"in the database       {sum(stored.values()):,} ballots, {participations:,} participations for "
          f"{args.voters:,} voters, each as posted: {'exact' if exact else 'MISMATCH'}")
    good = exact and throughput >= 500 and p99 < 300
    print(f"SUMMARY pb_cast kind={args.kind} voters={args.voters} concurrency={args.concurrency} "
          f"mode={'rate=' + str(args.rate) if args.rate else 'closed'} throughput={throughput:.0f}/s "
          f"p50={p50:.0f}ms p95={p95:.0f}ms p99={p99:.0f}ms gunicorn_cpu={per[0]:.2f}ms pg_cpu={per[1]:.2f}ms "
          f"exact={exact} {'PASS' if good else 'FAIL'}")
    return 0 if good else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rate", type=float, default=0, help="ballots started per second (0: closed loop)")
    parser.add_argument("--socket", metavar="DIR", default=None,
                        help="gunicorn reaches PostgreSQL through its Unix socket in DIR (e.g. /var/run/postgresql)")
    parser.add_argument("--kind", choices=("members", "codes"), default="members")
    parser.add_argument("--budget", type=float, default=300, help="seconds before a phase is abandoned")
    args = parser.parse_args()
    url = (os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL).replace("postgresql+psycopg://", "postgresql://")
    if not url.startswith("postgresql://") or "@127.0.0.1" not in url and "@localhost" not in url:
        raise SystemExit("this benchmark needs a local PostgreSQL URL (postgresql://…@127.0.0.1/…)")
    sys.exit(asyncio.run(main_async(args, url)))


if __name__ == "__main__":
    main()
