"""Server time of the needs pages with 100,000 needs in PostgreSQL.

    .venv/bin/python bench/needs_pages.py [--database-url URL] [--needs 100000] [--runs 40]

Creates (if missing) and fills ``convergence_needs_bench`` on 127.0.0.1, then times the
list, a filtered list, the map data and the synthesis through the Flask test client
(server time only: no network, no browser) and prints p50/p95. Target: p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import sqlalchemy as sa

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/convergence_needs_bench"


def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    assert "@127.0.0.1" in base, "benchmarks only run against 127.0.0.1"
    engine = sa.create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    ensure_database(args.database_url)

    from flask_migrate import upgrade

    from convergence.app import create_app
    from convergence.extensions import db
    from convergence.models import Commune, Neighbourhood, User
    from plugins.needs import api as services
    from plugins.needs.models import Category, Community, Need

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SERVER_NAME": "localhost",
                      "PLUGINS": ["mj", "needs"], "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade(revision="heads")
        commune = db.session.scalar(db.select(Commune).where(Commune.slug == "bench-besoins"))
        if commune is None:
            commune = Commune(slug="bench-besoins", name="Bench", latitude=45.0, longitude=5.0)
            db.session.add(commune)
            db.session.flush()
            db.session.add_all([Neighbourhood(commune_id=commune.id, name=f"Quartier {i}") for i in range(12)])
            user = User(email="bench-besoins@example.org", display_name="Bench", password_hash="x")
            db.session.add(user)
            db.session.commit()
        with app.test_request_context():
            services.ensure_defaults(commune)
        have = db.session.scalar(db.select(db.func.count(Need.id)).where(Need.commune_id == commune.id))
        if have < args.needs:
            cats = db.session.scalars(db.select(Category.id).where(Category.commune_id == commune.id)).all()
            coms = db.session.scalars(db.select(Community.id).where(Community.commune_id == commune.id)).all()
            hoods = db.session.scalars(db.select(Neighbourhood.id).where(
                Neighbourhood.commune_id == commune.id)).all()
            author = db.session.scalar(db.select(User.id).where(User.email == "bench-besoins@example.org"))
            rng = random.Random(1)
            rows = [{
                "commune_id": commune.id, "category_id": rng.choice(cats), "community_id": rng.choice(coms + [None]),
                "neighbourhood_id": rng.choice(hoods + [None]), "title": f"Besoin {i}", "description": "Texte",
                "latitude": 45 + rng.uniform(-0.1, 0.1), "longitude": 5 + rng.uniform(-0.1, 0.1),
                "urgency": rng.choice(["low", "medium", "high"]), "author_id": author, "show_author": False,
                "status": rng.choice(["reported", "recognised", "in_progress", "satisfied"]), "status_reason": "",
                "supports_count": rng.randint(0, 20),
            } for i in range(args.needs - have)]
            for start in range(0, len(rows), 10_000):
                db.session.execute(sa.insert(Need), rows[start:start + 10_000])
            db.session.commit()
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        hood = db.session.scalar(db.select(Neighbourhood.id).where(Neighbourhood.commune_id == commune.id))
        total = db.session.scalar(db.select(db.func.count(Need.id)).where(Need.commune_id == commune.id))
    base = "/communes/bench-besoins/besoins"
    pages = {
        "list": base, "list page 100": base + "?page=100",
        "list filtered": f"{base}?category=eau&neighbourhood={hood}&status=recognised",
        "map data": base + "/carte.geojson", "map data filtered": base + "/carte.geojson?category=eau",
        "synthesis": base + "/synthese",
    }
    client = app.test_client()
    print(f"{total} needs in the commune; {args.runs} runs per page")
    for name, url in pages.items():
        client.get(url)  # warm-up
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"{name:18} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
              f"{'OK' if p95 < 150 else 'OVER'}  ({len(response.data) // 1024} KiB)")


if __name__ == "__main__":
    main()
