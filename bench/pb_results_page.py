"""Server time of a budget's results pages with 100,000 ballots in PostgreSQL.

    .venv/bin/python bench/pb_results_page.py [--database-url URL] [--ballots 100000] [--projects 150] [--runs 40]

Creates (if missing) and fills ``convergence_pb_results_bench`` on 127.0.0.1: a commune, a
budget of 150 feasible projects (a third of them with a place), 100,000 approval ballots
written out in its ballot box and 500 paper sheets; computes the result once through
``results.request`` (the deferred task runs in-process: no TASK_QUEUE_URL) and publishes it.
Then times the results page, the projector view, the JSON and CSV files and the map data
through the Flask test client (server time only) and prints p50/p95 and the number of SQL
statements of each. Target: results page p95 < 150 ms. The .pb export (which lists every
ballot) and the computation are timed once, for information.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import sqlalchemy as sa

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/convergence_pb_results_bench"
TITLE = "Budget participatif (banc d'essai)"


def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    assert "@127.0.0.1" in base, "benchmarks only run against 127.0.0.1"
    engine = sa.create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def fill(db, args):
    from convergence.balloting.models import Ballot
    from convergence.models import Commune, SpaceFeature, User
    from plugins.budget.models import FEASIBLE, PaperSheet, Process, Project

    commune = db.session.scalar(db.select(Commune).where(Commune.slug == "bench-budget"))
    if commune is None:
        commune = Commune(slug="bench-budget", name="Bench budget", latitude=45.0, longitude=5.0)
        db.session.add(commune)
        db.session.add(User(email="bench-budget@example.org", display_name="Bench", password_hash="x"))
        db.session.commit()
    # The plug-in is off by default in a commune (active_by_default = False): without its
    # switch every budget page answers 404. Also for a database filled by an older bench.
    switch = db.session.get(SpaceFeature, (commune.space_id, "budget"))
    if switch is None or not switch.active:
        db.session.merge(SpaceFeature(space_id=commune.space_id, plugin_name="budget", active=True))
        db.session.commit()
    process = db.session.scalar(db.select(Process).where(Process.space_id == commune.space_id,
                                                         Process.title == TITLE))
    if process is not None:
        return process
    rng = random.Random(1)
    process = Process(space_id=commune.space_id, title=TITLE, envelope=3_000_000, min_choices=0,
                      rule="equalshares/add1", vote_state="closed", tie_seed="bench")
    db.session.add(process)
    db.session.flush()
    db.session.add_all(
        Project(process_id=process.id, number=n, title=f"Projet {n}", cost=rng.randrange(20_000, 400_000, 1_000),
                status=FEASIBLE, latitude=45 + rng.uniform(-0.05, 0.05) if n % 3 == 0 else None,
                longitude=5 + rng.uniform(-0.05, 0.05) if n % 3 == 0 else None)
        for n in range(1, args.projects + 1))
    # Ballots with a taste: each voter leans to one of 6 groups of projects.
    popularity = [rng.random() ** 2 for _ in range(args.projects)]
    rows = []
    for k in range(args.ballots):
        group = k % 6
        chosen = {n for n in range(1, args.projects + 1)
                  if (n % 6 == group and rng.random() < 0.15) or rng.random() < 0.03 * popularity[n - 1]}
        rows.append({"box_id": process.box_id, "receipt": f"{k:012d}",
                     "content": ".".join(map(str, sorted(chosen))) or "-"})
    for start in range(0, len(rows), 10_000):
        db.session.execute(sa.insert(Ballot), rows[start:start + 10_000])
    db.session.execute(sa.insert(PaperSheet), [
        {"process_id": process.id, "place": "Mairie", "sheet": k + 1, "entry": 1,
         "content": ".".join(map(str, sorted(rng.sample(range(1, args.projects + 1), 5))))}
        for k in range(500)])
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    return process


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=150)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    ensure_database(args.database_url)

    from flask_migrate import upgrade

    from convergence.app import create_app
    from convergence.extensions import db
    from convergence.models import User
    from plugins.budget import results
    from plugins.budget.models import Result
    from convergence.testing.fixtures import count_queries

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SERVER_NAME": "localhost",
                      "PLUGINS": ["budget"], "SECRET_KEY": "bench", "TASK_QUEUE_URL": ""})
    with app.app_context():
        upgrade(revision="heads")
        process = fill(db, args)
        process_id = process.id
        result = db.session.get(Result, process_id)
        if result is None or result.state != "published":
            if result is not None:
                db.session.delete(result)
                db.session.commit()
            started = time.perf_counter()
            results.request(process)
            db.session.commit()
            computing = time.perf_counter() - started
            db.session.expire_all()
            result = db.session.get(Result, process_id)
            assert result.state == "computed", (result.state, result.error)
            print(f"computation (read {result.ballots_count} ballots, equal shares + add1, greedy beside): "
                  f"{computing:.1f} s")
            results.publish(db.session.get(type(process), process_id),
                            db.session.scalar(db.select(User).where(User.email == "bench-budget@example.org")))
            db.session.commit()
            result = db.session.get(Result, process_id)
        print(f"{result.ballots_count} ballots, {len(result.funded)} projects funded; {args.runs} runs per page")
    base = f"/budgets/{process_id}"
    pages = {"results page": base + "/resultats", "projector": base + "/resultats/projection",
             "JSON": base + "/resultats.json", "CSV": base + "/resultats.csv",
             "map data": base + "/resultats/carte.geojson"}
    client = app.test_client()
    for name, url in pages.items():
        client.get(url)  # warm-up
        with count_queries(app) as seen:
            client.get(url)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"{name:14} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  {len(seen):2d} statements  "
              f"{'OK' if p95 < 150 else 'OVER'}  ({len(response.data) // 1024} KiB)")
    started = time.perf_counter()
    response = client.get(base + "/resultats.pb")
    assert response.status_code == 200
    print(f".pb export (every ballot): {(time.perf_counter() - started) * 1000:.0f} ms, "
          f"{len(response.data) // 1024} KiB (once)")


if __name__ == "__main__":
    main()
