"""Server time and SQL queries of a meeting's public declaration page with 200 articles and
1,000 amendments (tabled by 40 delegations, 3,000 supports), in PostgreSQL.

    .venv/bin/python bench/cdc_declaration.py [--database-url URL] [--runs 40]

Recreates ``convergence_cdc_declaration_bench`` on 127.0.0.1, builds the declaration with
the plug-in's own services (tabling.start, tabling.table, tabling.toggle_support), then
times ``/rencontres/<id>/declaration`` through the Flask test client (server time only)
for a visitor and for a delegation member (who sees the support buttons), and prints
p50/p95 and the number of SQL statements. Target: p95 < 150 ms, queries independent of size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, datetime, timedelta

import sys
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.databases import empty_database  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/convergence_cdc_declaration_bench"


def text_of(articles: int) -> str:
    parts = []
    for n in range(articles):
        if n % 20 == 0:
            parts.append(f"## Partie {n // 20 + 1}")
        parts.append(f"Les communes réunies affirment le principe numéro {n + 1} : l'eau, le logement et "
                     f"les lieux communs relèvent de la décision des habitantes et des habitants.")
    return "\n\n".join(parts)


def build(app, articles: int, amendments: int, delegations: int):
    from convergence.extensions import db
    from convergence.models import Assembly, Commune, User
    from convergence.models.base import utcnow
    from plugins.cdc import meetings, tabling
    from plugins.cdc.models import Delegation

    day = date.today() + timedelta(days=30)
    with app.test_request_context():
        commune = Commune(slug="commercy", name="Commercy", kind="commune")
        db.session.add(commune)
        db.session.flush()
        assembly = Assembly(commune_id=commune.id, title="Commune des Communes", starts_at=utcnow(), status="planned")
        db.session.add(assembly)
        db.session.flush()
        meeting = meetings.create(assembly, first_day=day, last_day=day + timedelta(days=1),
                                  deadline=datetime.combine(day, datetime.min.time()))
        committee = User(email="comite@bench.invalid", display_name="Comité", password_hash="x")
        people = [User(email=f"d{n}@bench.invalid", display_name=f"Délégué {n}", password_hash="x")
                  for n in range(delegations)]
        db.session.add_all([committee, *people])
        db.session.flush()
        rows = [Delegation(meeting_id=meeting.id, status="registered", kind="collective", people_count=3,
                           collective_name=f"Collectif {n}", checkin_token=f"bench{n:06d}", registered_by_id=p.id)
                for n, p in enumerate(people)]
        db.session.add_all(rows)
        declaration = tabling.start(meeting, committee, "Déclaration de Commercy", text_of(articles))
        tabling.open_to_amendments(declaration)
        rng = random.Random(1)
        tabled = []
        for n in range(amendments):
            i = rng.randrange(delegations)
            target = rng.randint(1, articles)
            if n % 4 == 3:
                tabled.append(tabling.table(declaration, rows[i], people[i], kind="add", article_number=target,
                                            text=f"Article ajouté {n} : les communes se fédèrent.", explanation=""))
            else:
                tabled.append(tabling.table(declaration, rows[i], people[i], kind="modify", article_number=target,
                                            text=f"Les communes réunies affirment, amendement {n}, que l'eau et "
                                                 f"le logement sont des communs.", explanation="Plus clair."))
        for amendment in tabled:
            for i in rng.sample(range(delegations), 3):
                if rows[i].id != amendment.delegation_id:
                    tabling.toggle_support(amendment, rows[i])
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        return meeting.id, people[0].id


def time_page(app, url: str, runs: int, user_id: int | None):
    from convergence.testing.fixtures import count_queries

    client = app.test_client()
    if user_id is not None:
        with client.session_transaction() as session:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
    assert client.get(url).status_code == 200  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with count_queries(app) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(queries), len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--amendments", type=int, default=1000)
    args = parser.parse_args()
    empty_database(args.database_url)

    from flask_migrate import upgrade

    from convergence.app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SERVER_NAME": "localhost",
                      "PLUGINS": ["cdc"], "LIVE_BACKEND": "memory", "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade(revision="heads")
        started = time.perf_counter()
        meeting_id, member_id = build(app, args.articles, args.amendments, 40)
        print(f"{args.articles} articles, {args.amendments} amendments tabled in "
              f"{time.perf_counter() - started:.1f} s; {args.runs} runs per page")
    url = f"/rencontres/{meeting_id}/declaration"
    # The text with each article's count, then one part with its amendments inline (the
    # tenth part of twenty articles: about a tenth of the amendments).
    for name, page, user in (("visitor", url, None), ("delegation member", url, member_id),
                             ("part, visitor", f"{url}?partie=1", None),
                             ("part, member", f"{url}?partie=1", member_id)):
        p50, p95, queries, size = time_page(app, page, args.runs, user)
        print(f"{name:18} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries} SQL statements  "
              f"{'OK' if p95 < 150 else 'OVER'}  ({size // 1024} KiB)")


if __name__ == "__main__":
    main()
