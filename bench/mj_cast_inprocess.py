#!/usr/bin/env python
"""Benchmark: the CPU time of one ballot's POST inside one process, serially (no server, no
concurrency), to compare two trees on a machine too busy for ``mj_cast.py``'s figures.

    PYTHONPATH=TREE .venv/bin/python bench/mj_cast_inprocess.py TREE {codes|members} [VOTERS]

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
    sys.path.insert(0, tree)
    from bench.mj_cast import DEFAULT_URL, GRADES, PASSWORD, SECRET, prepare_database

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    vote_id, option_ids, who = prepare_database(url, voters, kind)
    name = url.rsplit("/", 1)[1]
    os.environ.update(DATABASE_URL=f"postgresql://postgres@/{name}?host=/var/run/postgresql", SECRET_KEY=SECRET,
                      CONVERGENCE_PLUGINS="mj", LIVE_BACKEND="memory")
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
            client.get(f"/votes/{vote_id}/code?c={someone}")
        else:
            login = csrf(client.get("/compte/connexion").get_data(as_text=True))
            client.post("/compte/connexion", data={"email": someone, "password": PASSWORD, "csrf_token": login})
        data = {f"option-{option}": str(random.randrange(GRADES)) for option in option_ids}
        data["csrf_token"] = csrf(client.get(f"/votes/{vote_id}/bulletin").get_data(as_text=True))
        prepared.append((client, data))
    times, accepted = [], 0
    for client, data in prepared:
        started = time.process_time()
        answer = client.post(f"/votes/{vote_id}/bulletin", data=data)
        times.append(time.process_time() - started)
        accepted += answer.status_code == 200 and b"mj-receipt" in answer.data
    batches = [statistics.mean(times[i:i + 50]) for i in range(0, len(times), 50)]
    print(f"SUMMARY mj_cast_inprocess tree={os.path.basename(tree)} kind={kind} accepted={accepted}/{len(prepared)} "
          f"cpu_per_post={1000 * statistics.median(batches):.2f}ms")


if __name__ == "__main__":
    main()
