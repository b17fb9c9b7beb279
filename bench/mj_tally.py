"""Benchmark: tally a majority-judgment vote of 1,000,000 ballots × 12 options on PostgreSQL.

    .venv/bin/python bench/mj_tally.py [--ballots 1000000] [--runs 50] [--no-naive]

Database: $TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1/convergence_bench (created
if missing, and emptied: do not point it at data you want to keep).

What is loaded (with COPY): the ballots (one row per ballot: random receipt + one grade digit
per option, as the plug-in stores them) and the counters the plug-in keeps in the ballot's
transaction (per option, grade and shard). With --naive (default) also the same judgments as
one row per (ballot, option, grade), the obvious alternative storage, for comparison.

What is timed (median of --runs, after a warm-up):
  tally      results.compute(vote): the plug-in's aggregate query + the ranking, end to end
  group-by   the bare SQL GROUP BY over the rows the tally reads (the counters)
  naive      a bare GROUP BY over 12,000,000 judgment rows (one row per judgment)
  recount    a full recount from the ballot rows (what checking the counters costs)
Targets: tally < 1 s, and tally within 2× of the bare GROUP BY over the same rows.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql://postgres@127.0.0.1/convergence_bench"
OPTIONS = 12
GRADES = 7


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def reset_schema(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def timed(function, runs: int) -> float:
    function()  # warm-up (plans, caches)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def timed_pair(first, second, runs: int) -> tuple[float, float]:
    """Medians of two functions run alternately, so that both meet the same machine load."""
    first(), second()
    a, b = [], []
    for _ in range(runs):
        for function, samples in ((first, a), (second, b)):
            start = time.perf_counter()
            function()
            samples.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def make_ballots(n: int, rng: random.Random) -> list[str]:
    """n ballots of OPTIONS digits; each option has its own grade distribution."""
    columns = []
    digits = [str(g) for g in range(GRADES)]
    for option in range(OPTIONS):
        weights = [rng.random() + (option % 4) * (g / GRADES) for g in range(GRADES)]
        columns.append(rng.choices(digits, weights=weights, k=n))
    return ["".join(row) for row in zip(*columns)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-naive", action="store_true", help="skip the 12M-row comparison table")
    args = parser.parse_args()

    url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        sys.exit("this benchmark needs PostgreSQL")
    url = url.replace("postgresql+psycopg://", "postgresql://")
    ensure_database(url)
    reset_schema(url)

    import psycopg
    from flask_migrate import upgrade

    from convergence.app import create_app
    from convergence.extensions import db
    from convergence.models import Assembly, Commune
    from convergence.models.base import utcnow
    from plugins.mj import api
    from plugins.mj.models import SHARDS, Vote
    from plugins.mj.results import compute

    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://" + url.split("://", 1)[1],
                      "PLUGINS": ["mj"], "LIVE_BACKEND": "memory", "SERVER_NAME": "localhost"})
    rng = random.Random(2007)
    with app.app_context(), app.test_request_context():
        upgrade(revision="heads")
        commune = Commune(slug="bench", name="Bench", kind="commune")
        db.session.add(commune)
        db.session.flush()
        assembly = Assembly(commune_id=commune.id, title="Bench", starts_at=utcnow())
        db.session.add(assembly)
        db.session.commit()
        vote = api.create_vote(assembly, "Bench", [f"Option {i + 1}" for i in range(OPTIONS)], opens_at=utcnow())
        vote_id, box_id, option_ids = vote.id, vote.box_id, [o.id for o in vote.options]

    print(f"generating {args.ballots:,} ballots × {OPTIONS} options …", flush=True)
    started = time.perf_counter()
    ballots = make_ballots(args.ballots, rng)
    counters: dict[tuple[int, int, int], int] = {}
    for k, text in enumerate(ballots):
        shard = k % SHARDS  # the plug-in picks at random; spread evenly here
        for option, digit in zip(option_ids, text):
            key = (option, int(digit), shard)
            counters[key] = counters.get(key, 0) + 1
    print(f"  {time.perf_counter() - started:.1f} s", flush=True)

    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            with cursor.copy("COPY ballots (box_id, receipt, content) FROM STDIN") as copy:
                for text in ballots:
                    receipt = secrets.token_hex(6).upper()
                    copy.write_row((box_id, f"{receipt[:4]}-{receipt[4:8]}-{receipt[8:]}", text))
            with cursor.copy("COPY mj_counts (vote_id, option_id, grade, shard, count) FROM STDIN") as copy:
                for (option, grade, shard), n in counters.items():
                    copy.write_row((vote_id, option, grade, shard, n))
        connection.commit()
        print(f"loaded ballots and counters with COPY in {time.perf_counter() - started:.1f} s", flush=True)
        if not args.no_naive:
            started = time.perf_counter()
            connection.execute("CREATE TABLE bench_judgments (ballot integer, option_id integer, grade smallint)")
            with connection.cursor() as cursor:
                with cursor.copy("COPY bench_judgments (ballot, option_id, grade) FROM STDIN") as copy:
                    for k, text in enumerate(ballots):
                        for option, digit in zip(option_ids, text):
                            copy.write_row((k, option, int(digit)))
            connection.commit()
            print(f"loaded {args.ballots * OPTIONS:,} judgment rows (naive storage) in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
    del ballots

    group_by = psycopg.connect(url, autocommit=True)

    from plugins.mj.results import _TALLY

    tally_sql = _TALLY.format(vote_id="%s")

    def bare_group_by():
        # Exactly the statement the tally sends, bare: psycopg, no SQLAlchemy, no ranking.
        group_by.execute(tally_sql, (vote_id,)).fetchall()

    def naive_group_by():
        group_by.execute("SELECT option_id, grade, count(*) FROM bench_judgments GROUP BY option_id, grade").fetchall()

    recount_sql = "SELECT " + ", ".join(
        f"count(*) FILTER (WHERE substr(content, {o + 1}, 1) = '{g}')" for o in range(OPTIONS) for g in range(GRADES)
    ) + " FROM ballots WHERE box_id = %s"

    def recount():
        return group_by.execute(recount_sql, (box_id,)).fetchone()

    with app.app_context(), app.test_request_context():
        vote = db.session.get(Vote, vote_id)
        vote.options  # loaded once, as a page does before computing the results
        outcome = compute(vote)
        assert outcome.online_ballots == args.ballots, outcome.online_ballots
        # The counters agree with a recount of the ballots themselves.
        flat = recount()
        for o, ranked in enumerate(sorted(outcome.ranking, key=lambda r: r.option.position)):
            assert list(ranked.online) == list(flat[o * GRADES:(o + 1) * GRADES])
        tally_time, bare_time = timed_pair(lambda: compute(vote), bare_group_by, args.runs)
        winner = outcome.ranking[0]
        print(f"winner: {winner.option.label}, majority grade {winner.majority_label}")

    naive_time = None if args.no_naive else timed(naive_group_by, max(3, args.runs // 10))
    recount_time = timed(recount, max(3, args.runs // 10))
    group_by.close()

    print()
    print(f"ballots                    {args.ballots:>12,} × {OPTIONS} options, {GRADES} grades")
    print(f"tally (end to end)         {tally_time * 1000:>10.2f} ms   target < 1000 ms: "
          f"{'OK' if tally_time < 1 else 'MISSED'}")
    print(f"bare GROUP BY, same rows   {bare_time * 1000:>10.2f} ms   tally / bare = {tally_time / bare_time:.2f} "
          f"(target ≤ 2: {'OK' if tally_time <= 2 * bare_time else 'MISSED'})")
    if naive_time is not None:
        print(f"bare GROUP BY, judgments   {naive_time * 1000:>10.2f} ms   ({args.ballots * OPTIONS:,} rows: one per "
              "judgment, the obvious storage, for comparison)")
    print(f"full recount from ballots  {recount_time * 1000:>10.2f} ms   (verification, not on any page)")


if __name__ == "__main__":
    main()
