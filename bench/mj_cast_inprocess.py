#!/usr/bin/env python
"""Benchmark: the CPU time of one ballot's POST inside one process, serially (no server, no
concurrency), to compare two trees on a machine too busy for ``mj_cast.py``'s figures.

    PYTHONPATH=TREE .venv/bin/python bench/mj_cast_inprocess.py TREE {codes|members} [VOTERS] [mj|budget]
    BENCH_PROFILE=FILE ...   # also writes a cProfile of the timed posts to FILE

The last argument casts participatory-budget ballots (``bench/pb_cast.py``'s process of 30
projects, 1 to 5 chosen) instead of majority-judgment ones.

Prepares the database like ``mj_cast.py`` ($BENCH_DATABASE_URL, emptied), then, untimed, gives
every voter a session (a code typed, or a login) and their ballot page; timed: each voter's
POST through Flask's test client, over PostgreSQL's Unix socket in /var/run/postgresql.
Prints the CPU time (``time.process_time``) per POST, median of batches of 50, and checks
that every answer showed a receipt.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import time


def main() -> None:
    tree, kind = os.path.abspath(sys.argv[1]), sys.argv[2]
    voters = int(sys.argv[3]) if len(sys.argv) > 3 else 600
    plugin = sys.argv[4] if len(sys.argv) > 4 else "mj"
    sys.path.insert(0, tree)
    from bench.mj_cast import DEFAULT_URL, GRADES, PASSWORD, SECRET, prepare_database

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    rng = random.Random(7)
    if plugin == "budget":
        from bench.pb_cast import MAX_CHOICES, PROJECTS, prepare_database as prepare_budget

        process_id, who = prepare_budget(url, voters, kind)
        base, marker = f"/budgets/{process_id}", b'class="budget-receipt"'

        def ballot() -> dict:
            return {"project": [str(n) for n in sorted(rng.sample(range(1, PROJECTS + 1),
                                                                   rng.randint(1, MAX_CHOICES)))]}
    else:
        vote_id, option_ids, who = prepare_database(url, voters, kind)
        base, marker = f"/votes/{vote_id}", b"mj-receipt"

        def ballot() -> dict:
            return {f"option-{option}": str(rng.randrange(GRADES)) for option in option_ids}
    name = url.rsplit("/", 1)[1]
    os.environ.update(DATABASE_URL=f"postgresql://postgres@/{name}?host=/var/run/postgresql", SECRET_KEY=SECRET,
                      CONVERGENCE_PLUGINS=plugin, LIVE_BACKEND="memory")
    import convergence
    from convergence.app import create_app

    if not convergence.__file__.startswith(tree):
        raise SystemExit(f"convergence comes from {convergence.__file__}: set PYTHONPATH={tree}")
    app = create_app()
    token = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')

    def csrf(page: str) -> str:
        found = token.search(page)
        return found.group(1) or found.group(2)

    prepared = []
    for someone in who:
        client = app.test_client()
        if kind == "codes":
            client.get(f"{base}/code?c={someone}")
        else:
            login = csrf(client.get("/compte/connexion").get_data(as_text=True))
            client.post("/compte/connexion", data={"email": someone, "password": PASSWORD, "csrf_token": login})
        data = ballot()
        data["csrf_token"] = csrf(client.get(f"{base}/bulletin").get_data(as_text=True))
        prepared.append((client, data))
    times, accepted = [], 0
    profiler = None
    if os.environ.get("BENCH_PROFILE"):  # a cProfile of the timed posts, written to that file
        import cProfile
        profiler = cProfile.Profile(time.process_time)  # CPU only: waits on the database are not counted
        profiler.enable()
    for client, data in prepared:
        started = time.process_time()
        answer = client.post(f"{base}/bulletin", data=data)
        times.append(time.process_time() - started)
        accepted += answer.status_code == 200 and marker in answer.data
    if profiler:
        profiler.disable()
        profiler.dump_stats(os.environ["BENCH_PROFILE"])
    batches = [statistics.mean(times[i:i + 50]) for i in range(0, len(times), 50)]
    print(f"SUMMARY mj_cast_inprocess plugin={plugin} tree={os.path.basename(tree)} kind={kind} accepted={accepted}/{len(prepared)} "
          f"cpu_per_post={1000 * statistics.median(batches):.2f}ms best_batch={1000 * min(batches):.2f}ms")


if __name__ == "__main__":
    main()
