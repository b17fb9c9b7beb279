#!/usr/bin/env python
"""Benchmark of a change of speaker when the event carries the shared regions.

Issue 12's target: 500 phones and a room display following an item; a change of speaker
reaches them within 1 s at p95 over 2 gunicorn workers. Since the event carries the parts
every viewer sees alike, rendered once by the facilitator's request
(plugins/facilitation/live_regions.py), a phone has the new state when the event arrives:
that arrival is what is measured here, not a page fetch. The phones that are on the list
read their « Your place » from the same event (``places``: each waiting request's position
and why, live_regions.py) and fetch it (…/parole/ma-place) only when the event carries
none for them, as facilitation.js does: both are measured.

What it does:

1. builds the database as bench/live_speakers.py does (demo loaded, first item current),
   E names on the item's list (the facilitator's « Inscrire ») and K residents who ask to
   speak from their phone (they stay on the list: the « personal » phones);
2. starts gunicorn (2 gevent workers, deploy/gunicorn.conf.py) on a free port; the
   facilitator and the K phones log in (not timed);
3. opens N − K anonymous phones and one room display on the assembly's stream (server-sent
   events, raw sockets as bench/live_listeners.py), in waves of 100;
4. E times, one every --interval seconds: the facilitator posts « Donner la parole » (the
   console's button); each follower records when the ``speaking.floor`` event arrives
   whose regions name the new speaker — in the ``speaker`` part for a phone, in
   ``room-speaker`` for the room display — and whether the event carried every part of
   its page (a part left out means that page fetches itself: counted as a fallback);
   the K personal phones follow the stream too: a delivery for one of them is that event
   carrying its own place (request id, position); when it does not, that phone GETs its
   fragment at once, as facilitation.js does;
5. prints p50/p95/max of the arrivals (from just before the POST left), of the personal
   fragments, the missed deliveries, the fallbacks, the event's size, and a SUMMARY line.

    .venv/bin/python bench/live_wave.py                          # 500 phones (20 on the list), 20 changes
    .venv/bin/python bench/live_wave.py --phones 500 --on-list 0 --events 20
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gzip
import html
import json
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_listeners import Listener, Server, percentile, prepare_database, raise_fd_limit  # noqa: E402
from live_speakers import CSRF, DEFAULT_DB, Phone, seed, seed_waiting  # noqa: E402

PHONE_PARTS, ROOM_PARTS = ("speaker", "waiting"), ("room-speaker", "room-next")


class WaveStats:
    """(follower, speaker's name) → arrival of the event whose regions name that speaker."""

    def __init__(self, count: int, room: int, places: dict[int, int], missing=None):
        self.count, self.room = count, room
        #: follower index → the request id of a phone on the list (it reads its place)
        self.places = places
        self.missing = missing  # (index, name): that phone fetches its place
        self.fetched = 0
        self.connected_set: set[int] = set()
        self.all_connected = asyncio.Event()
        self.arrivals: dict[tuple[int, str], float] = {}
        self.fallbacks = 0  # events a follower would have had to fetch its page for
        self.sizes: list[int] = []

    def connected(self, index: int) -> None:
        self.connected_set.add(index)
        if len(self.connected_set) == self.count:
            self.all_connected.set()

    def received(self, index: int, event: str, data: str, now: float) -> None:
        if event != "speaking.floor":
            return
        message = json.loads(data)
        name = message.get("name")
        if not name:
            return
        regions = message.get("regions") or {}
        parts = {**regions.get("html", {}), **regions.get("packed", {})}  # packed: gzipped, opened by live.js
        wanted = ROOM_PARTS if index == self.room else PHONE_PARTS
        if index == self.room:
            self.sizes.append(len(data.encode()))
        if any(part not in parts for part in wanted):
            self.fallbacks += 1
            return
        shown = parts["room-speaker" if index == self.room else "speaker"]
        if html.escape(name, quote=False) not in shown:
            return
        if index in self.places:
            places = regions.get("html", {}).get("places")
            if places is None and "places" in regions.get("packed", {}):
                places = gzip.decompress(base64.b64decode(regions["packed"]["places"])).decode()
            if places is None or f'data-place="{self.places[index]}"' not in places:
                self.fetched += 1
                self.missing(index, name)
                return
        self.arrivals.setdefault((index, name), now)


def ask_from_phones(base: str, emails: list[str], page: str) -> list[Phone]:
    """The residents on the list: logged in, each asks to speak from the phone's form."""
    phones = [Phone(base, email) for email in emails]
    for one in phones:
        one.log_in()
        one.read_form(page)
        status, _seconds = one.ask(page, "A")
        if status != 302:
            raise RuntimeError(f"{one.email} could not ask to speak: {status}")
        one.request_id = int(re.search(r'data-mine="(\d+)"', one.session.get(one.base + page + "/ma-place").text)[1])
    return phones


def run(args) -> int:
    import requests

    raise_fd_limit(args.phones + 200)
    prepare_database(args.database_url)
    info = seed(args.database_url, args.on_list)
    queue = seed_waiting(args.database_url, info, args.events)
    server = Server("postgres", args, Path(tempfile.mkdtemp(prefix="bench-wave-")))
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    page = f"/assemblees/{info['assembly']}/ordre-du-jour/{info['item']}/parole"
    from convergence.testing.browser import DEMO_PASSWORD

    facilitator = requests.Session()
    login = facilitator.get(base + "/compte/connexion", timeout=30)
    facilitator.post(base + "/compte/connexion", timeout=30, data={
        "email": "camille.facilitatrice@demo.convergence.fr", "password": DEMO_PASSWORD,
        "csrf_token": CSRF.search(login.text).group(1)})
    token = CSRF.search(facilitator.get(f"{base}/assemblees/{info['assembly']}/animation", timeout=30).text).group(1)
    give = f"{base}{page}/donner"
    sent: dict[str, float] = {}
    personal: list[float] = []
    personal_failures = 0

    try:
        on_list = ask_from_phones(base, info["emails"], page)

        def fragment(one: Phone, started: float) -> tuple[int, float]:
            answer = one.session.get(base + page + "/ma-place", timeout=30)
            return answer.status_code, time.time() - started

        def give_floor(request_id: int, name: str):
            sent[name] = time.time()
            return facilitator.post(give, data={"csrf_token": token, "request_id": str(request_id)},
                                    allow_redirects=False, timeout=30).status_code

        async def follow() -> tuple[WaveStats, list[int]]:
            room = args.phones - args.on_list  # the anonymous phones, the room display, the phones on the list
            count = args.phones + 1
            pool = ThreadPoolExecutor(max(4, len(on_list)))
            fetches = []

            def missing(index: int, name: str) -> None:  # the event has no place for it: as facilitation.js
                fetches.append(pool.submit(fragment, on_list[index - room - 1], sent[name]))

            stats = WaveStats(count, room, {room + 1 + n: one.request_id for n, one in enumerate(on_list)}, missing)
            listeners = [Listener(i, stats) for i in range(count)]
            stream = f"/assemblees/{info['assembly']}/direct"
            tasks = []
            for start in range(0, count, 100):  # in waves: the accept queue never overflows
                tasks += [asyncio.ensure_future(one.run(server.port, stream)) for one in listeners[start:start + 100]]
                await asyncio.sleep(0.05)
            statuses = []
            try:
                await asyncio.wait_for(stats.all_connected.wait(), 60)
                print(f"{count} followers connected (the room display among them), "
                      f"{len(on_list)} phones on the list", flush=True)
                loop = asyncio.get_running_loop()
                start = time.monotonic()
                for n, (request_id, name) in enumerate(queue):
                    # The facilitator's pace (load shaping): one change of speaker per interval.
                    await asyncio.sleep(max(0.0, start + n * args.interval - time.monotonic()))
                    statuses.append(await loop.run_in_executor(None, give_floor, request_id, name))
                deadline = time.monotonic() + 10
                while len(stats.arrivals) + stats.fetched < count * len(queue) and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                results = [f.result() for f in fetches]
            finally:
                pool.shutdown()
                for one in listeners:
                    one.close()
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            return stats, statuses, results

        stats, statuses, results = asyncio.run(follow())
    finally:
        server.stop()
    for code, seconds in results:
        personal.append(seconds)
        personal_failures += code != 200
    latencies = [arrival - sent[name] for (_index, name), arrival in stats.arrivals.items()]
    expected = stats.count * len(queue)
    missed = expected - len(latencies) - stats.fetched  # a fetched place was delivered, by its fetch
    in_event = [arrival - sent[name] for (index, name), arrival in stats.arrivals.items() if index in stats.places]
    room = [arrival - sent[name] for (index, name), arrival in stats.arrivals.items() if index == stats.room]
    p95 = percentile(latencies, 95) if latencies else float("inf")

    def ms(values, q):
        return percentile(values, q) * 1000 if values else float("nan")

    print(f"changes of speaker: {len(queue)} (answers {sorted(set(statuses))}), every {args.interval} s; "
          f"event size {min(stats.sizes, default=0)}–{max(stats.sizes, default=0)} bytes")
    print(f"state delivered in the event: {len(latencies)} of {expected}; missed {missed}; fallbacks "
          f"{stats.fallbacks}; p50 {ms(latencies, 50):.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"max {max(latencies, default=0) * 1000:.0f} ms; room display max {max(room, default=0) * 1000:.0f} ms")
    if on_list:
        print(f"« Your place » in the event: {len(in_event)} of {len(on_list)} phones × {len(queue)}; "
              f"p50 {ms(in_event, 50):.0f} ms, p95 {ms(in_event, 95):.0f} ms; "
              f"fetched (no place in the event): {len(personal)}, non-200 {personal_failures}, "
              f"p50 {ms(personal, 50):.0f} ms, p95 {ms(personal, 95):.0f} ms")
    personal += in_event  # every phone on the list: its place, from the event or from its fetch
    ok = not missed and not stats.fallbacks and p95 <= 1.0 and set(statuses) == {302} and not personal_failures \
        and (not personal or percentile(personal, 95) <= 1.0)
    print(f"SUMMARY phones={args.phones} on_list={len(on_list)} changes={len(queue)} missed={missed} "
          f"fallbacks={stats.fallbacks} p50_ms={ms(latencies, 50):.0f} p95_ms={p95 * 1000:.0f} "
          f"personal_p95_ms={ms(personal, 95):.0f} place_fetches={stats.fetched} {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--phones", type=int, default=500, help="phones following the item (the room display apart)")
    parser.add_argument("--on-list", type=int, default=20, help="of those, phones on the speaking list")
    parser.add_argument("--events", type=int, default=20, help="changes of speaker")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between changes of speaker")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-config", action="store_true", help="do not read deploy/gunicorn.conf.py")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql://postgres@127.0.0.1"):
        sys.exit("the benchmark only runs against the local PostgreSQL (127.0.0.1)")
    if not 0 <= args.on_list <= args.phones:
        sys.exit("--on-list counts phones among --phones")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
