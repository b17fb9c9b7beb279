"""Benchmark: the Method of Equal Shares with « add1 » on a generated budget of 100,000
voters and 150 projects (bench/pb_generate.py: seeded, the same every run).

    .venv/bin/python bench/pb_large.py [--voters 100000] [--projects 150]

Timed: ``equal_shares_add1`` from the Election (generating the ballots is not timed), wall
clock and CPU time; memory: the peak resident size of the process (ballots included).
Target: under 5 s, under 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pb_generate import generate  # noqa: E402

from plugins.budget.allocation import equal_shares_add1  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=150)
    args = parser.parse_args()
    election = generate(args.voters, args.projects)
    approvals = sum(len(b) for b in election.ballots)
    wall, cpu = time.perf_counter(), time.process_time()
    outcome = equal_shares_add1(election)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.voters} voters, {args.projects} projects, {approvals} approvals, envelope {election.budget}")
    print(f"funded {len(outcome.funded)} projects, cost {election.cost(outcome.funded)}, "
          f"{outcome.runs} add1 runs, final share {float(outcome.share):.2f}")
    passed = cpu < 5 and peak < 1024
    print(f"SUMMARY large voters={args.voters} projects={args.projects} wall={wall:.2f}s cpu={cpu:.2f}s "
          f"peak_rss={peak:.0f}MB target(<5s, <1GB)={'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
