"""Measurement: could « add1 » skip the shares that cannot change the outcome? (Wieliczka 2023)

    .venv/bin/python bench/pb_add1_horizon.py [--limit 166]     # ~2 min

For each share b that « add1 » computes, this replays the Method of Equal Shares (plain,
exact fractions, every project priced at every round) carrying with every amount its
derivative with respect to b: within a run, money left, prices and what each supporter
pays are affine in b as long as no decision of the run changes — which project is bought,
which projects are affordable, which supporters give all they have left. The smallest
increase of b at which one of those decisions changes (``T``) is where the next run would
have to be computed; every share in [b, b + T) gives the same outcome. The script prints T
for each run and how many runs « add1 » would still need if it jumped by ``ceil(T)``.

Finding (2026-12-01): T < 1 zł for 164 of the 166 runs (it is set by a project becoming
affordable or a supporter starting to give all she has, decisions that change the outcome
only rarely), so jumping saves 2 runs. Certifying only the order of the projects bought
(prices are monotone in b when the order is fixed: a run at b₁ and one at b₂ with the same
order, where every round's winner at b₁ is cheaper than every rival's lower bound at b₂,
prove every share in between) would save 33 of the 166 runs at best (measured with all
prices, an oracle): the order changes at 73 of the 165 steps although the set funded
changes at only 20.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from fractions import Fraction
from math import ceil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plugins.budget import pabulib  # noqa: E402
from plugins.budget.allocation import EqualShares, TieOrder  # noqa: E402

FILE = ROOT / "tests/plugins/budget/data/Poland_Wieliczka_2023_Green_Budget.pb"


def horizon(election, ties, share, groups, supporters):
    """(funded, T, the decision that sets T): one run at ``share`` with derivatives."""
    money = [(Fraction(share), Fraction(1)) for _ in groups]  # (value, d/db)
    alive = [i for i in range(len(election.projects)) if supporters[i] and election.projects[i].cost > 0]
    funded = []
    limit = [Fraction(10**9), None]

    def keep_sign(value, slope, why):
        """``value + slope·t`` (value ≥ 0) must not cross zero: limits t."""
        if slope < 0 and value / -slope < limit[0]:
            limit[0], limit[1] = value / -slope, why

    while True:
        prices = {}
        for i in alive:
            cost = election.projects[i].cost
            total = sum(money[g][0] * groups[g][1] for g in supporters[i])
            if total < cost:
                keep_sign(cost - total, -sum(money[g][1] * groups[g][1] for g in supporters[i]), "affordable")
                continue
            paid = slope_paid = Fraction(0)
            rest = sum(groups[g][1] for g in supporters[i])
            for value, g in sorted((money[g][0], g) for g in supporters[i]):
                if cost - paid <= value * rest:
                    break
                paid += value * groups[g][1]
                slope_paid += money[g][1] * groups[g][1]
                rest -= groups[g][1]
            alpha, slope_alpha = (cost - paid) / rest, -slope_paid / rest
            prices[i] = (alpha / cost, slope_alpha / cost, alpha, slope_alpha)
        if not prices:
            return funded, limit[0], limit[1]
        w = min(prices, key=lambda i: (prices[i][0], ties.key(i)))
        rho, slope_rho, alpha, slope_alpha = prices[w]
        for q, (other, slope_other, _, _) in prices.items():
            if q != w:
                if other == rho and slope_other < slope_rho:
                    keep_sign(Fraction(0), Fraction(-1), "bought")
                elif other > rho:
                    keep_sign(other - rho, slope_other - slope_rho, "bought")
        for g in supporters[w]:
            value, slope = money[g]
            if value < alpha:  # gives all she has
                keep_sign(alpha - value, slope_alpha - slope, "gives all")
                money[g] = (Fraction(0), Fraction(0))
            else:
                keep_sign(value - alpha, slope - slope_alpha, "gives all")
                money[g] = (value - alpha, slope - slope_alpha)
        funded.append(w)
        alive.remove(w)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=166)
    args = parser.parse_args()
    pb = pabulib.load(FILE)
    election = pabulib.election(pb)
    ties = TieOrder(election)
    engine = EqualShares(election, ties)
    groups = list(Counter(frozenset(i for i, p in b.items() if p > 0) for b in election.ballots).items())
    supporters = {i: [g for g, (ballot, _) in enumerate(groups) if i in ballot] for i in range(len(election.projects))}
    share = Fraction(election.budget, len(election.ballots))
    runs = jumps = 0
    below_one = 0
    start = time.perf_counter()
    next_needed = share
    while runs < args.limit:
        funded, limit, why = horizon(election, ties, share, groups, supporters)
        assert tuple(funded) == engine.run(share).funded  # the same run as the engine's
        runs += 1
        below_one += limit < 1
        if share >= next_needed:
            jumps += 1
            next_needed = share + max(1, ceil(limit))
        print(f"share {float(share):8.2f}: {len(funded)} projects, cost {election.cost(funded)}, "
              f"T = {float(limit):.3f} ({why})", flush=True)
        if election.cost(funded) > election.budget:
            break
        share += 1
    print(f"SUMMARY add1_horizon runs={runs} T<1={below_one} runs_if_jumping={jumps} "
          f"time={time.perf_counter() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
