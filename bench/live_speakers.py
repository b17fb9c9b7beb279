#!/usr/bin/env python
"""Benchmark of the speaking list under a burst: 100 phones ask to speak within 10 s.

Target: none lost, none duplicated, and the order the console shows exactly the fair
order's rule (plugins/facilitation/order.py) — over 2 gunicorn workers on PostgreSQL.

What it does:

1. builds the database (default postgresql://postgres@127.0.0.1:5432/convergence_speakers_bench,
   or $BENCH_DATABASE_URL) with the demo; the demo's assembly runs its first item with
   alternation between two lists (« A », « B ») and new speakers first;
2. creates N (100) residents; a third of them already spoke on the item (done turns);
3. starts gunicorn (2 gevent workers, deploy/gunicorn.conf.py) on a free 127.0.0.1 port,
   logs every phone in and reads its form (not timed);
4. the burst: request i leaves at i × window / N seconds (load shaping: the schedule of
   the phones, not a synchronisation), each phone choosing list A or B; every fifth phone
   sends its form twice at the same instant (a double press on a slow network);
5. checks in the database: exactly one waiting request per phone, no more; no answer
   5xx; the second of each double press refused (409) or harmless;
6. reads the facilitator's console over HTTP and compares its order with
   ``fair_order`` of the rows the database holds, and with the rule restated here by
   its three properties (first-time speakers first; alternation; arrival);
7. prints latency p50/p95/max of the asks and a SUMMARY line, then stops gunicorn.

    .venv/bin/python bench/live_speakers.py                  # 100 phones, 10 s
    .venv/bin/python bench/live_speakers.py --phones 100 --window 2
    .venv/bin/python bench/live_speakers.py --followers 500    # the change of speaker, below

With ``--followers N``: N phones and one room display follow the assembly's live channel
(server-sent events, raw sockets, as bench/live_listeners.py); the facilitator gives the
floor over HTTP (``Donner la parole``, the console's button) to E people in turn, one every
--interval seconds; each follower records when the ``speaking.floor`` event naming that
person arrives. Latency = arrival − the moment just before the facilitator's POST left: the
request, its commit, the NOTIFY, both workers' fan-out. p50/p95/max and missed deliveries.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_listeners import Listener, Server, percentile, prepare_database, raise_fd_limit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/convergence_speakers_bench"
PASSWORD = "bench-password-speakers"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def app_for(url: str):
    os.environ.update(DATABASE_URL=url, SECRET_KEY="bench")
    from convergence.app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})


def seed(url: str, phones: int) -> dict:
    """The first item current, its list empty, N residents (a third already heard)."""
    from convergence.extensions import db
    from convergence.models import Assembly, Membership, User
    from convergence.models.base import utcnow
    from convergence.space_settings import write_settings
    from plugins.facilitation.models import SpeakingList, SpeakingRequest

    app = app_for(url)
    with app.app_context(), app.test_request_context():
        assembly = db.session.scalar(db.select(Assembly).order_by(Assembly.id))
        item = assembly.agenda[0]
        assembly.current_item_id, assembly.status = item.id, "open"
        write_settings(assembly, "facilitation", {"first_time": "item", "lists": "alternate", "list_names": "A, B"})
        db.session.execute(db.delete(SpeakingRequest).where(SpeakingRequest.assembly_id == assembly.id))
        db.session.execute(db.delete(SpeakingList).where(SpeakingList.assembly_id == assembly.id))
        emails = [f"phone-{n:03d}@bench.invalid" for n in range(phones)]
        known = {u.email: u for u in db.session.scalars(db.select(User).where(User.email.in_(emails)))}
        for n, email in enumerate(emails):
            if email not in known:
                user = User(email=email, display_name=f"Phone {n:03d}")
                user.set_password(PASSWORD)
                db.session.add(user)
                db.session.flush()
                db.session.add(Membership(user_id=user.id, space_id=assembly.commune.space_id, role="resident"))
                known[email] = user
        now = utcnow()
        heard = emails[::3]
        for email in heard:
            user = known[email]
            db.session.add(SpeakingRequest(assembly_id=assembly.id, item_id=item.id, user_id=user.id,
                                           person=f"u:{user.id}", name=user.display_name, state="done",
                                           group=random.Random(email).choice(["A", "B"]), started_at=now,
                                           ended_at=now, counted=30.0))
        db.session.commit()
        return {"assembly": assembly.id, "item": item.id, "emails": emails, "heard": set(heard)}


class Phone:
    def __init__(self, base: str, email: str):
        import requests

        self.base, self.email = base, email
        self.session = requests.Session()
        self.token = ""

    def log_in(self) -> None:
        page = self.session.get(self.base + "/compte/connexion", timeout=30)
        answer = self.session.post(self.base + "/compte/connexion", allow_redirects=False, timeout=30, data={
            "email": self.email, "password": PASSWORD, "csrf_token": CSRF.search(page.text).group(1)})
        if answer.status_code != 302:
            raise RuntimeError(f"{self.email} could not log in: {answer.status_code}")

    def read_form(self, path: str) -> None:
        self.token = CSRF.search(self.session.get(self.base + path, timeout=30).text).group(1)

    def ask(self, path: str, group: str) -> tuple[int, float]:
        started = time.perf_counter()
        answer = self.session.post(self.base + path + "/demander", allow_redirects=False, timeout=30,
                                   data={"csrf_token": self.token, "kind": "intervention", "group": group})
        return answer.status_code, time.perf_counter() - started


def console_order(base: str, facilitator_email: str, assembly: int) -> list[int]:
    from convergence.testing.browser import DEMO_PASSWORD  # the demo's accounts' password

    import requests

    session = requests.Session()
    page = session.get(base + "/compte/connexion", timeout=30)
    session.post(base + "/compte/connexion", timeout=30, data={
        "email": facilitator_email, "password": DEMO_PASSWORD, "csrf_token": CSRF.search(page.text).group(1)})
    console = session.get(f"{base}/assemblees/{assembly}/animation", timeout=30).text
    return [int(n) for n in re.findall(r'<li class="speaking-entry[^"]*" data-request="(\d+)"', html.unescape(console))]


def check_rule(rows, heard_persons: set[str], heard_groups: dict) -> list[str]:
    """The rule restated by its properties, independently of order.py: every new speaker
    before anyone heard; inside each of the two groups, the list heard the least so far
    speaks next (ties: earliest arrival)."""
    problems = []
    seen_heard = False
    for row in rows:
        if row["person"] in heard_persons:
            seen_heard = True
        elif seen_heard:
            problems.append(f"new speaker {row['id']} placed after someone already heard")
    counts = dict(heard_groups)
    for segment in ([r for r in rows if r["person"] not in heard_persons], [r for r in rows if r["person"] in heard_persons]):
        left = list(segment)
        for row in segment:
            least = min(counts.get(r["group"], 0) for r in left)
            first_of_least = min(r["id"] for r in left if counts.get(r["group"], 0) == least)
            if row["id"] != first_of_least:
                problems.append(f"{row['id']} placed where {first_of_least} (list heard least, earliest) belonged")
            counts[row["group"]] = counts.get(row["group"], 0) + 1
            left.remove(row)
    return problems


def run(args) -> int:
    prepare_database(args.database_url)
    info = seed(args.database_url, args.phones)
    path = f"/assemblees/{info['assembly']}/ordre-du-jour/{info['item']}/parole"
    log_dir = Path(tempfile.mkdtemp(prefix="bench-speakers-"))
    server = Server("postgres", args, log_dir)
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        phones = [Phone(base, email) for email in info["emails"]]
        started = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda p: (p.log_in(), p.read_form(path)), phones))
        print(f"{len(phones)} phones logged in and on the list page in {time.perf_counter() - started:.1f} s")

        choice = random.Random(7)
        plan = [(n, phone, choice.choice(["A", "B"]), n % 5 == 0) for n, phone in enumerate(phones)]
        answers: list[tuple[int, int, float]] = []
        lock = threading.Lock()
        t0 = time.perf_counter() + 0.5

        def send(entry):
            n, phone, group, twice = entry
            # The phones' schedule over the window (load shaping, not synchronisation).
            time.sleep(max(0.0, t0 + n * args.window / len(plan) - time.perf_counter()))
            if twice:  # both presses leave together
                with ThreadPoolExecutor(2) as double:
                    presses = list(double.map(lambda _: phone.ask(path, group), range(2)))
            else:
                presses = [phone.ask(path, group)]
            with lock:
                answers.extend((n, status, seconds) for status, seconds in presses)

        with ThreadPoolExecutor(len(plan) + 1) as pool:
            list(pool.map(send, plan))
        burst = time.perf_counter() - t0

        from convergence.extensions import db
        from plugins.facilitation import order
        from plugins.facilitation.models import SpeakingRequest

        app = app_for(args.database_url)
        with app.app_context():
            rows = db.session.scalars(db.select(SpeakingRequest).where(
                SpeakingRequest.item_id == info["item"], SpeakingRequest.state == "waiting")
                .order_by(SpeakingRequest.id)).all()
            done = db.session.scalars(db.select(SpeakingRequest).where(
                SpeakingRequest.item_id == info["item"], SpeakingRequest.state == "done")).all()
            heard_persons = {r.person for r in done}
            heard_groups: dict = {}
            for r in done:
                heard_groups[r.group] = heard_groups.get(r.group, 0) + 1
            expected = [p.request.id for p in order.fair_order(
                [order.Request(r.id, r.person, r.kind, r.id, r.group) for r in rows],
                [order.Turn(r.person, r.group, r.item_id) for r in done], info["item"],
                order.Rule(first_time="item", lists="alternate"))]
            by_id = {r.id: {"id": r.id, "person": r.person, "group": r.group} for r in rows}
            persons = [r.person for r in rows]
        shown = console_order(base, "camille.facilitatrice@demo.convergence.fr", info["assembly"])

        errors = [a for a in answers if a[1] >= 500]
        lost = args.phones - len(set(persons))
        duplicated = len(persons) - len(set(persons))
        seconds = [a[2] for a in answers]
        doubles = [a for a in answers if a[0] % 5 == 0]
        refused_doubles = sum(1 for a in doubles if a[1] == 409)
        # Each double press: one recorded (302), the other told it is already on the list (409).
        pairs_right = all(sorted(a[1] for a in doubles if a[0] == n) == [302, 409]
                          for n in {a[0] for a in doubles})
        problems = check_rule([by_id[i] for i in shown if i in by_id], heard_persons, heard_groups)
        same_order = shown == expected
        print(f"burst: {len(answers)} posts ({len(doubles)} of them double presses) in {burst:.2f} s "
              f"(window {args.window} s)")
        print(f"ask latency: p50 {percentile(seconds, 50) * 1000:.0f} ms, p95 {percentile(seconds, 95) * 1000:.0f} ms, "
              f"max {max(seconds) * 1000:.0f} ms; answers: "
              + ", ".join(f"{s}×{sum(1 for a in answers if a[1] == s)}" for s in sorted({a[1] for a in answers})))
        print(f"waiting rows: {len(rows)}; lost {lost}; duplicated {duplicated}; 5xx {len(errors)}; "
              f"second press refused (409) {refused_doubles} of {len(doubles) // 2}, "
              f"each pair one 302 + one 409: {pairs_right}")
        print(f"console order == fair_order(database rows): {same_order}; rule's properties: "
              f"{'kept' if not problems else problems[:3]}")
        ok = not lost and not duplicated and not errors and pairs_right and same_order and not problems and burst <= args.window + 2
        print(f"SUMMARY phones={args.phones} window={args.window}s lost={lost} duplicated={duplicated} "
              f"errors={len(errors)} order_exact={same_order} p95_ms={percentile(seconds, 95) * 1000:.0f} "
              f"{'PASS' if ok else 'FAIL'}")
        return 0 if ok else 1
    finally:
        server.stop()


class FollowStats:
    """What the followers received: (follower, speaker's name) → arrival time."""

    def __init__(self, count: int):
        import asyncio

        self.count = count
        self.connected_set: set[int] = set()
        self.all_connected = asyncio.Event()
        self.arrivals: dict[tuple[int, str], float] = {}

    def connected(self, index: int) -> None:
        self.connected_set.add(index)
        if len(self.connected_set) == self.count:
            self.all_connected.set()

    def received(self, index: int, event: str, data: str, now: float) -> None:
        import json

        if event == "speaking.floor":
            name = json.loads(data).get("name")
            if name:
                self.arrivals.setdefault((index, name), now)


def seed_waiting(url: str, info: dict, speakers: int) -> list[tuple[int, str]]:
    """``speakers`` names on the item's list (the facilitation's « Inscrire »), in order."""
    from convergence.extensions import db
    from convergence.models import Assembly, AgendaItem
    from plugins.facilitation import speakers as service

    app = app_for(url)
    with app.app_context(), app.test_request_context():
        assembly = db.session.get(Assembly, info["assembly"])
        item = db.session.get(AgendaItem, info["item"])
        rows = [service.add_name(assembly, item, f"Orateur {n:02d}", "intervention", None) for n in range(speakers)]
        db.session.commit()
        return [(r.id, r.name) for r in rows]


def follow(args) -> int:
    import asyncio

    import requests

    raise_fd_limit(args.followers + 200)
    prepare_database(args.database_url)
    info = seed(args.database_url, 0)
    queue = seed_waiting(args.database_url, info, args.events)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-followers-"))
    server = Server("postgres", args, log_dir)
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    from convergence.testing.browser import DEMO_PASSWORD

    facilitator = requests.Session()
    page = facilitator.get(base + "/compte/connexion", timeout=30)
    facilitator.post(base + "/compte/connexion", timeout=30, data={
        "email": "camille.facilitatrice@demo.convergence.fr", "password": DEMO_PASSWORD,
        "csrf_token": CSRF.search(page.text).group(1)})
    console = f"/assemblees/{info['assembly']}/animation"
    token = CSRF.search(facilitator.get(base + console, timeout=30).text).group(1)
    give = f"{base}/assemblees/{info['assembly']}/ordre-du-jour/{info['item']}/parole/donner"
    sent: dict[str, float] = {}

    def give_floor(request_id: int, name: str) -> int:
        sent[name] = time.time()
        return facilitator.post(give, data={"csrf_token": token, "request_id": str(request_id)},
                                allow_redirects=False, timeout=30).status_code

    async def run_followers() -> tuple[FollowStats, list[int]]:
        count = args.followers + 1  # the phones and the room display
        stats = FollowStats(count)
        listeners = [Listener(i, stats) for i in range(count)]
        path = f"/assemblees/{info['assembly']}/direct"
        tasks = []
        for start in range(0, count, 100):  # in waves: the accept queue never overflows
            tasks += [asyncio.ensure_future(one.run(server.port, path)) for one in listeners[start:start + 100]]
            await asyncio.sleep(0.05)
        statuses = []
        try:
            await asyncio.wait_for(stats.all_connected.wait(), 60)
            print(f"{count} followers connected (the room display among them)", flush=True)
            loop = asyncio.get_running_loop()
            start = time.monotonic()
            for n, (request_id, name) in enumerate(queue):
                # The facilitator's pace (load shaping): one change of speaker per interval.
                await asyncio.sleep(max(0.0, start + n * args.interval - time.monotonic()))
                statuses.append(await loop.run_in_executor(None, give_floor, request_id, name))
            deadline = time.monotonic() + 10
            while len(stats.arrivals) < count * len(queue) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        finally:
            for one in listeners:
                one.close()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return stats, statuses

    try:
        stats, statuses = asyncio.run(run_followers())
    finally:
        server.stop()
    latencies = [arrival - sent[name] for (_index, name), arrival in stats.arrivals.items()]
    expected = (args.followers + 1) * len(queue)
    missed = expected - len(latencies)
    room = [arrival - sent[name] for (index, name), arrival in stats.arrivals.items() if index == args.followers]
    p95 = percentile(latencies, 95) if latencies else float("inf")
    print(f"changes of speaker: {len(queue)} (answers {sorted(set(statuses))}), every {args.interval} s")
    print(f"deliveries: {len(latencies)} of {expected}; missed {missed}; latency p50 "
          f"{percentile(latencies, 50) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
          f"room display max {max(room) * 1000:.0f} ms")
    ok = not missed and p95 <= 1.0 and set(statuses) == {302}
    print(f"SUMMARY followers={args.followers} changes={len(queue)} missed={missed} p95_ms={p95 * 1000:.0f} "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-config", action="store_true", help="do not read deploy/gunicorn.conf.py")
    parser.add_argument("--followers", type=int, default=0, help="measure the change of speaker for N phones")
    parser.add_argument("--events", type=int, default=20, help="changes of speaker (with --followers)")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between changes (with --followers)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql://postgres@127.0.0.1"):
        sys.exit("the benchmark only runs against the local PostgreSQL (127.0.0.1)")
    return follow(args) if args.followers else run(args)


if __name__ == "__main__":
    sys.exit(main())
