#!/usr/bin/env python
"""Benchmark: 60 delegations of 8 people registering to a Commune des Communes at once.

Target (issue 11; 2-core machine, gunicorn with 2 gevent workers, PostgreSQL): no
registration lost or duplicated, p99 < 500 ms.

    .venv/bin/python bench/cdc_register.py [--delegations 60] [--concurrency 60] [--spread 0]

What one run does (the HTTP client, the server's start and stop are bench/mj_cast.py's):

1. empties $BENCH_DATABASE_URL (else postgresql://postgres@127.0.0.1/convergence_bench),
   builds the schema, creates a host commune, its assembly and a two-day meeting with two
   parallel workshops and three meals (caps: none), and one account per delegation;
2. starts gunicorn (cdc only);
3. untimed, like a browser: each person logs in and opens the registration page (session
   cookie, CSRF token and the form's single-use token);
4. timed: every person posts the registration of a delegation of 8 (a head and 7 names,
   lodging two nights, three meals, a workshop, the shuttle) — all at once with
   ``--spread 0``, or starting evenly over ``--spread`` seconds; then each posts its form
   a second time (a double press), which must create nothing;
5. counts in the database: delegations, members, lodging rows, and duplicates.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from mj_cast import (DEFAULT_URL, PASSWORD, Connection, csrf_of, free_port, percentile, run_pool,  # noqa: E402
                     start_gunicorn, stop)

FORM_TOKEN = __import__("re").compile(rb'name="form_token" value="([^"]+)"')


def prepare_database(url: str, delegations: int) -> tuple[int, dict, list[str]]:
    import psycopg
    from werkzeug.security import generate_password_hash

    from bench.databases import empty_database

    empty_database(url)

    from flask_migrate import upgrade

    from convergence.app import create_app
    from convergence.extensions import db
    from convergence.models import Assembly, Commune
    from convergence.models.base import utcnow
    from plugins.cdc import meetings

    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://" + url.split("://", 1)[1],
                      "PLUGINS": ["cdc"], "LIVE_BACKEND": "memory", "SERVER_NAME": "localhost"})
    day = date.today() + timedelta(days=30)
    with app.app_context(), app.test_request_context():
        upgrade(revision="heads")
        commune = Commune(slug="commercy", name="Commercy", kind="commune")
        db.session.add(commune)
        db.session.flush()
        assembly = Assembly(commune_id=commune.id, title="Commune des Communes", starts_at=utcnow(), status="planned")
        db.session.add(assembly)
        db.session.flush()
        meeting = meetings.create(assembly, first_day=day, last_day=day + timedelta(days=1),
                                  deadline=datetime.combine(day, datetime.min.time()))
        sessions = {}
        for offset, hour, kind, title, room in ((0, 12, "repas", "Samedi midi", "Cantine"),
                                                (0, 16, "atelier", "Outils", "Salle A"),
                                                (0, 16, "atelier", "Lieux communs", "Salle B"),
                                                (0, 19, "repas", "Samedi soir", "Cantine"),
                                                (1, 12, "repas", "Dimanche midi", "Cantine")):
            start = datetime.combine(day + timedelta(days=offset), datetime.min.time()) + timedelta(hours=hour)
            sessions[title] = meetings.add_session(meeting, kind=kind, title=title, room=room, starts_at=start,
                                                   ends_at=start + timedelta(hours=1)).id
        db.session.commit()
        meeting_id = meeting.id
        db.session.remove()
        db.engine.dispose()
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    emails = [f"delegation{n}@bench.invalid" for n in range(delegations)]
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        with cursor.copy("COPY users (email, display_name, password_hash, locale, is_admin, created_at) "
                         "FROM STDIN") as copy:
            for n, email in enumerate(emails):
                copy.write_row((email, f"Tête {n}", password_hash, "fr", False, "2026-01-01"))
        connection.commit()
    nights = [day - timedelta(days=1), day]
    return meeting_id, {"sessions": sessions, "nights": nights}, emails


def body(n: int, layout: dict, csrf: str, form_token: str) -> bytes:
    s = layout["sessions"]
    first, second = layout["nights"]
    return urlencode({
        "csrf_token": csrf, "form_token": form_token, "kind": "collective", "commune": "",
        "collective_name": f"Collectif {n}", "home_town": f"Ville {n}", "head_name": f"Tête {n}", "head_is_me": "y",
        "contact_email": f"delegation{n}@example.org", "people_count": "8",
        "members": "\n".join(f"Membre {n}-{i}" for i in range(7)), "mandate_kind": "semi_imperatif",
        "mandate_text": "Voter la déclaration si elle reprend l'assemblée souveraine.", "lodging_mode": "host",
        f"night_{first:%Y%m%d}": "3", f"night_{second:%Y%m%d}": "8", f"meal_{s['Samedi midi']}": "8",
        f"meal_{s['Samedi soir']}": "8", f"meal_{s['Dimanche midi']}": "6", f"workshop_{s['Outils']}": "4",
        f"workshop_{s['Lieux communs']}": "4", "by_train": "y", "arrival": "Gare, 8 h 42", "shuttle_people": "5",
    }).encode()


async def prepare(connection: Connection, email: str, meeting_id: int):
    _s, _h, page, cookie = await connection.request("GET", "/compte/connexion", None)
    login = urlencode({"email": email, "password": PASSWORD, "csrf_token": csrf_of(page)}).encode()
    status, _h, _p, new = await connection.request("POST", "/compte/connexion", cookie, login)
    if status != 302:
        raise RuntimeError(f"login of {email} answered {status}")
    cookie = new or cookie
    status, _h, page, new = await connection.request("GET", f"/rencontres/{meeting_id}/inscription", cookie)
    if status != 200:
        raise RuntimeError(f"registration page answered {status}")
    return new or cookie, csrf_of(page), FORM_TOKEN.search(page).group(1).decode()


async def main_async(args, url: str) -> int:
    meeting_id, layout, emails = prepare_database(url, args.delegations)
    port = free_port()
    server = start_gunicorn(url, port, env={"CONVERGENCE_PLUGINS": "cdc"})
    try:
        prepared = await run_pool(list(enumerate(emails)), min(args.concurrency, 20), port,
                                  lambda c, item: _prepared(c, item, meeting_id))
        started = time.perf_counter()
        latencies, statuses = [], []

        async def post(index_cookie):
            n, cookie, csrf, token = index_cookie
            if args.spread:
                await asyncio.sleep(args.spread * n / len(prepared) - (time.perf_counter() - started))
            connection = Connection(port)
            try:
                begin = time.perf_counter()
                status, _h, _p, _c = await connection.request("POST", f"/rencontres/{meeting_id}/inscription",
                                                              cookie, body(n, layout, csrf, token))
                latencies.append(time.perf_counter() - begin)
                statuses.append(status)
                if status != 303 and args.verbose:
                    import re as _re
                    print(status, _re.findall(r"<li><a href=\"#[^\"]*\">[^<]*", _p.decode(errors="replace")))
                # A double press: the same form again must create nothing.
                again, _h, _p, _c = await connection.request("POST", f"/rencontres/{meeting_id}/inscription",
                                                             cookie, body(n, layout, csrf, token))
                statuses.append(("again", again))
            finally:
                await connection.close()

        await asyncio.gather(*(post(p) for p in prepared))
        wall = time.perf_counter() - started
    finally:
        stop(server)
    import psycopg

    with psycopg.connect(url) as connection:
        delegations, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT registered_by_id) FROM cdc_delegations").fetchone()
        members = connection.execute("SELECT count(*) FROM cdc_members").fetchone()[0]
        nights = connection.execute("SELECT coalesce(sum(people), 0) FROM cdc_lodging_needs").fetchone()[0]
    from collections import Counter

    print("answers:", dict(Counter(map(str, statuses))))
    ok = sum(1 for s in statuses if s == 303)
    replays = sum(1 for s in statuses if isinstance(s, tuple) and s[1] in (302, 303))
    print(f"{len(prepared)} delegations of 8 posted in {wall:.2f} s: {ok} answered 303, {replays} replays sent back")
    print(f"latency p50 {percentile(latencies, 50) * 1000:.0f} ms, p95 {percentile(latencies, 95) * 1000:.0f} ms, "
          f"p99 {percentile(latencies, 99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    print(f"database: {delegations} delegations ({distinct} distinct people), {members} members, "
          f"{nights} beds asked")
    good = (delegations == distinct == len(prepared) and members == 8 * len(prepared)
            and nights == 11 * len(prepared) and percentile(latencies, 99) < 0.5)
    print("target met" if good else "TARGET MISSED")
    return 0 if good else 1


async def _prepared(connection, item, meeting_id):
    n, email = item
    cookie, csrf, token = await prepare(connection, email, meeting_id)
    return n, cookie, csrf, token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--delegations", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=60)
    parser.add_argument("--verbose", action="store_true", help="print the first refusals")
    parser.add_argument("--spread", type=float, default=0.0, help="seconds over which the posts start")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    raise SystemExit(asyncio.run(main_async(args, url)))


if __name__ == "__main__":
    main()
