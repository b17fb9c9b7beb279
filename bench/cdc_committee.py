#!/usr/bin/env python
"""Benchmark: the drafting committee's page with 200 articles and 1000 amendments.

Target (issue 11; 2-core machine, PostgreSQL): p95 < 150 ms for
``/rencontres/<id>/declaration/comite`` (all stages, then one stage, then the last page),
and the same number of SQL queries with 1000 amendments as with 10.

    .venv/bin/python bench/cdc_committee.py [--articles 200] [--amendments 1000] [--requests 60]

What one run does:

1. empties $BENCH_DATABASE_URL (else postgresql://postgres@127.0.0.1/convergence_bench_cdc_committee),
   builds the schema, a host commune, its assembly, a meeting, an organiser, one
   registered delegation, and a declaration of ``--articles`` articles in 10 sections;
2. tables 10 amendments, counts the page's queries; then tables the rest (up to
   ``--amendments``, one in three adds an article, a quarter given a procedure, a tenth
   maintained, a tenth decided, pairs of one article grouped), counts again;
3. timed: ``--requests`` GETs of each page through the Flask test client, logged in as
   the organiser (in process: the figure is the application's and the database's, not
   a web server's), and prints p50/p95/max and a SUMMARY line.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import empty_database  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1/convergence_bench_cdc_committee"


def text_of(articles: int) -> str:
    lines = []
    for n in range(articles):
        if n % (articles // 10 or 1) == 0:
            lines.append(f"## Partie {n // (articles // 10 or 1) + 1}\n")
        lines.append(f"Les communes s'engagent, au point {n + 1}, à ouvrir leurs décisions à toutes et à tous.\n")
    return "\n".join(lines)


def table(declaration, delegation, user, articles, start: int, stop: int) -> None:
    from convergence.extensions import db
    from convergence.models.base import utcnow
    from convergence.models.drafting import Amendment
    from plugins.cdc.declaration_models import DeclarationAmendment

    for number in range(start, stop + 1):
        article = articles[(number * 7) % len(articles)]
        kind = "add" if number % 3 == 0 else "modify"
        core = Amendment(document_id=declaration.document_id, paragraph=None, base_version=1, author_id=user.id,
                         original_text=article.text if kind == "modify" else "",
                         new_text=f"{article.text} Et la variante {number} le précise.",
                         explanation="Pour préciser.")
        db.session.add(core)
        db.session.flush()
        row = DeclarationAmendment(declaration_id=declaration.id, amendment_id=core.id, number=number, kind=kind,
                                   article_id=article.id, delegation_id=delegation.id)
        if number % 4 == 0:
            row.procedure, row.procedure_at = "accept", utcnow()
        if number % 10 == 0:
            row.answer = "maintained"
        if number % 10 == 5:
            row.outcome, core.state = "rejected", "rejected"
        db.session.add(row)
    declaration.next_amendment_number = stop + 1
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--amendments", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    empty_database(args.database_url)

    from datetime import date, datetime, timedelta

    from flask_migrate import upgrade

    from convergence.app import create_app
    from convergence.extensions import db
    from convergence.models import User
    from convergence.refusal import Refused
    from convergence.testing.fixtures import Factory, count_queries, login
    from plugins.cdc import declarations, meetings
    from plugins.cdc.models import Delegation

    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://" + args.database_url.split("://", 1)[1],
                      "PLUGINS": ["cdc"], "LIVE_BACKEND": "memory", "WTF_CSRF_ENABLED": True})
    day = date.today() + timedelta(days=30)
    with app.app_context():
        upgrade(revision="heads")
        make = Factory(app)
        commune = make.commune("Commercy")
        assembly = make.assembly(commune, "Commune des Communes")
        organiser, delegate = make.user("Comité"), make.user("Déléguée")
        make.role(organiser, "facilitator", commune=commune)
        with app.test_request_context():
            meeting = meetings.create(assembly, first_day=day, last_day=day + timedelta(days=1),
                                      deadline=datetime.combine(day, datetime.min.time()))
            delegation = Delegation(meeting_id=meeting.id, kind="collective", collective_name="Collectif de Saillans",
                                    status="registered", registered_by_id=delegate.id, people_count=4,
                                    checkin_token="bench-delegation")
            db.session.add(delegation)
            declaration = declarations.create(meeting, organiser, "Déclaration de Commercy", text_of(args.articles))
            declaration.state = "amending"
            db.session.commit()
            table(declaration, delegation, delegate, declarations.articles(declaration), 1, 10)
            ids = meeting.id, declaration.id, delegation.id, delegate.id, organiser.id
        db.session.remove()
    # The requests run outside any app context of ours: each has its own session, as in a server.
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(User, ids[4]))
    base = f"/rencontres/{ids[0]}/declaration/comite"
    assert client.get(base).status_code == 200  # warm: the first request loads the app's caches
    with count_queries(app) as few:
        assert client.get(base).status_code == 200
    with app.app_context(), app.test_request_context():
        from plugins.cdc import procedure
        from plugins.cdc.declaration_models import Declaration

        declaration, delegation = db.session.get(Declaration, ids[1]), db.session.get(Delegation, ids[2])
        organiser, delegate = db.session.get(User, ids[4]), db.session.get(User, ids[3])
        table(declaration, delegation, delegate, declarations.articles(declaration), 11, args.amendments)
        for number in range(1, args.amendments, 50):
            try:
                procedure.group(declaration, [number, number + 1], organiser)
            except Refused:  # not the same article, or decided: not a pair
                db.session.rollback()
            else:
                db.session.commit()
        db.session.remove()
    assert client.get(base).status_code == 200
    with count_queries(app) as many:
        assert client.get(base).status_code == 200
    print(f"queries: {len(few)} with 10 amendments, {len(many)} with {args.amendments}")
    last = -(-args.amendments // 50)
    results = {}
    for label, url in (("all", base), ("stage proposed", base + "?etat=proposed"),
                       (f"page {last}", f"{base}?page={last}")):
        times = []
        for _ in range(args.requests):
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        results[label] = p95
        print(f"{label:16} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms")
    worst = max(results.values())
    bounded = len(few) == len(many)
    print(f"SUMMARY cdc_committee articles={args.articles} amendments={args.amendments} p95_worst={worst:.1f}ms "
          f"queries={len(many)} bounded={bounded} target(p95<150ms, bounded)="
          f"{'PASS' if worst < 150 and bounded else 'FAIL'}")
    return 0 if worst < 150 and bounded else 1


if __name__ == "__main__":
    sys.exit(main())
