#!/usr/bin/env python
"""Benchmark of what a change of speaker costs when every phone re-fetches the page.

On each live event ``live.js`` re-fetches the page it shows to redraw its regions
(``data-live-region``). After « Donner la parole », N phones on the speaking list page and
one room display all do it at once. This measures that wave over 2 gunicorn workers on
PostgreSQL, the server-sent events themselves being bench/live_speakers.py --followers'.

What it does:

1. builds the database as bench/live_speakers.py does (demo loaded, first item current,
   E people waiting on it, named by the facilitator);
2. starts gunicorn (2 gevent workers, deploy/gunicorn.conf.py) on a free port; the
   facilitator logs in (not timed);
3. E times: the facilitator posts « Donner la parole » (the console's button), then, the
   moment its answer is back, N anonymous phones GET the item's speaking list page and one
   GET the room display, all at once (threads of this process: as live.js does on the
   event, without the SSE hop); the wave lasts from the POST to the last page received;
4. counts the SQL statements one phone page and the room display issue (in-process, Flask
   test client: the figure the tests bound) and prints p50/p95/max of the page times,
   of the waves, the non-200 answers, and a SUMMARY line; stops gunicorn.

    .venv/bin/python bench/live_refetch.py                     # 100 phones, 10 changes
    .venv/bin/python bench/live_refetch.py --phones 500 --events 5
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_listeners import Server, percentile, prepare_database, raise_fd_limit  # noqa: E402
from live_speakers import CSRF, DEFAULT_DB, app_for, seed, seed_waiting  # noqa: E402


def queries_per_page(url: str, paths: list[str]) -> list[int]:
    """SQL statements each page issues, read in-process as an anonymous phone would."""
    from convergence.extensions import db
    from convergence.testing import count_queries

    app = app_for(url)
    counts = []
    with app.app_context():
        client = app.test_client()
        for path in paths:
            with count_queries(app) as statements:
                assert client.get(path).status_code == 200, path
            counts.append(len(statements))
        db.session.remove()
    return counts


def run(args) -> int:
    import requests

    raise_fd_limit(args.phones + 200)
    prepare_database(args.database_url)
    info = seed(args.database_url, 0)
    queue = seed_waiting(args.database_url, info, args.events)
    page = f"/assemblees/{info['assembly']}/ordre-du-jour/{info['item']}/parole"
    room = f"/assemblees/{info['assembly']}/salle"
    server = Server("postgres", args, Path(tempfile.mkdtemp(prefix="bench-refetch-")))
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    from convergence.testing.browser import DEMO_PASSWORD

    try:
        facilitator = requests.Session()
        login = facilitator.get(base + "/compte/connexion", timeout=30)
        facilitator.post(base + "/compte/connexion", timeout=30, data={
            "email": "camille.facilitatrice@demo.convergence.fr", "password": DEMO_PASSWORD,
            "csrf_token": CSRF.search(login.text).group(1)})
        console = facilitator.get(f"{base}/assemblees/{info['assembly']}/animation", timeout=30)
        token = CSRF.search(console.text).group(1)
        give = f"{base}/assemblees/{info['assembly']}/ordre-du-jour/{info['item']}/parole/donner"
        phones = [requests.Session() for _ in range(args.phones)] + [requests.Session()]
        targets = [base + page] * args.phones + [base + room]
        for session, target in zip(phones, targets):  # connections open, as phones already on the page
            session.get(target, timeout=30)

        speaker = re.compile(r'data-speaker data-item="\d+">([^<]*)<')

        def fetch(pair, name):
            session, target = pair
            started = time.perf_counter()
            answer = session.get(target, timeout=60)
            shown = speaker.search(answer.text)
            return answer.status_code, time.perf_counter() - started, bool(shown) and shown.group(1) == name

        pages: list[float] = []
        waves: list[float] = []
        failures = stale = 0
        with ThreadPoolExecutor(args.threads) as pool:
            for request_id, name in queue:
                started = time.perf_counter()
                status = facilitator.post(give, data={"csrf_token": token, "request_id": str(request_id)},
                                          allow_redirects=False, timeout=30).status_code
                if status != 302:
                    failures += 1
                results = list(pool.map(lambda pair: fetch(pair, name), zip(phones, targets)))
                waves.append(time.perf_counter() - started)
                for code, seconds, named in results:
                    pages.append(seconds)
                    failures += code != 200
                    stale += not named
                time.sleep(args.interval)  # the facilitator's pace (load shaping)
    finally:
        server.stop()
    phone_queries, room_queries = queries_per_page(args.database_url, [page, room])

    def ms(values, q):
        return percentile(values, q) * 1000

    print(f"pages re-fetched: {len(pages)} ({args.phones} phones + 1 room display × {len(waves)} changes)")
    print(f"page  p50 {ms(pages, 50):.0f} ms  p95 {ms(pages, 95):.0f} ms  max {max(pages) * 1000:.0f} ms")
    print(f"wave  p50 {ms(waves, 50):.0f} ms  p95 {ms(waves, 95):.0f} ms  max {max(waves) * 1000:.0f} ms")
    print(f"SQL statements: phone page {phone_queries}, room display {room_queries}")
    print(f"SUMMARY phones={args.phones} changes={len(waves)} page_p95_ms={ms(pages, 95):.0f} "
          f"wave_p95_ms={ms(waves, 95):.0f} non_200={failures} without_speaker={stale} "
          f"sql_phone={phone_queries} sql_room={room_queries}")
    return 0 if failures == 0 and stale == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between changes of speaker")
    parser.add_argument("--threads", type=int, default=64, help="client threads fetching at once")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-config", action="store_true", help="do not read deploy/gunicorn.conf.py")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
