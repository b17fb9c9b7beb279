"""The Method of Equal Shares (méthode des parts égales), exact, with the « add1 » completion.

Every voter gets an equal share ``b`` of the envelope. A project can be bought only by its
supporters, each paying ``min(her money left, ρ · her utility)``; the project with the
lowest price per unit of utility ``ρ`` is funded, and so on until no project can be paid
for. Utilities are costs for approval ballots (a project is worth its cost to those who
voted for it) and points for points ballots. « add1 » then raises every share by one unit
of currency and computes again, while the outcome stays within the envelope and is not yet
exhaustive (nothing more would fit), and keeps the last outcome within the envelope: this is
what Wieliczka, Świecie and Assen ran, and what pabutools' ``method_of_equal_shares`` does
with ``voter_budget_increment=1``.

Why it is fast although exact (``Fraction`` everywhere a decision is taken):

* Voters who cast the same ballot always pay the same: the engine works on **groups** of
  identical ballots, each with its number of voters (Wieliczka: 6,586 voters, 1,190 groups).
* A voter's money left is ``b - (what she paid)``, and what she paid depends only on which
  funded projects she supports (and with how many points): voters are grouped into
  **classes** with the same payments, and prices are computed over classes, not voters.
* Which voters share a class depends only on the sequence of projects funded so far, not on
  ``b``. The successive runs of « add1 » walk a tree of such sequences (``_Step``): the
  classes, and how many supporters of each project sit in each class, are computed once per
  step of the tree and reused by every run that funds the same projects in the same order;
  a run only recomputes the amounts, per class.
* Prices only rise during a run (money only goes down), so the price a project had at an
  earlier round is a lower bound: only the projects that might beat the best one are
  priced again (a heap of lower bounds).
"""

from __future__ import annotations

import heapq
from operator import itemgetter, mul
from collections import Counter
from math import gcd, lcm
from array import array
from dataclasses import dataclass
from fractions import Fraction

from .election import APPROVAL, Amount, Election
from .ties import TieOrder


@dataclass(frozen=True)
class Outcome:
    """The funded project indexes in the order they were funded, and the share ``b`` per
    voter of the run that gave them (the last feasible one, for « add1 »)."""

    funded: tuple[int, ...]
    share: Amount
    runs: int = 1


class _Step:
    """A set of funded projects, whatever the order they were funded in: which voters share
    a class (the same funded projects supported, with the same utilities) depends on that
    set only, so two runs funding the same projects in another order share the step.

    ``class_of[g]``: group ``g``'s class (built only when a run needs it, kept while runs go
    through the step). ``moves[w]``: funding ``w`` next — (the step
    reached, the classes born: (new classes, the classes they come from, their utilities for
    ``w``), and
    {(class it comes from, utility): new class}). ``counts[p]``: the supporters of ``p`` by
    class, what pricing ``p`` needs, computed the first time ``p`` is priced here."""

    __slots__ = ("funded", "moves", "class_of", "counts", "link")

    def __init__(self, funded: frozenset):
        self.funded = funded
        self.link = None  # (the step it was first reached from, the project funded then)
        self.moves = {}
        self.class_of = None
        self.counts = {}


class _Priced:
    """A project in the heap: its price per unit of utility ``n/d`` (exact: compared by
    cross-multiplying integers), then the tie order. In the heap it sits behind the float
    nearest to ``n/d`` (``_entry``): two different floats are already in the exact order,
    because rounding to the nearest float never inverts an order; only equal floats ask the
    exact comparison, so most comparisons stay in C."""

    __slots__ = ("n", "d", "key", "project")

    def __init__(self, n: int, d: int, key, project: int):
        self.n, self.d, self.key, self.project = n, d, key, project

    def __lt__(self, other: _Priced) -> bool:
        left, right = self.n * other.d, other.n * self.d
        return left < right if left != right else self.key < other.key


def _entry(n: int, d: int, key, project: int):
    try:
        approx = n / d  # correctly rounded, even for integers beyond a float's range
    except OverflowError:
        approx = float("inf")
    return approx, _Priced(n, d, key, project)


def _tally(keys, weights) -> dict:
    """{key: how many voters}: ``weights`` the voters behind each key (None: one each)."""
    if weights is None:
        return dict(Counter(keys))
    counts = {}
    get = counts.get
    for key, number in zip(keys, weights):
        counts[key] = get(key, 0) + number
    return counts


class EqualShares:
    """The Method of Equal Shares on one election; ``run(b)`` for one share per voter.
    Keep the object to run it again with other shares: what does not depend on the share is
    computed once."""

    def __init__(self, election: Election, ties: TieOrder | None = None):
        self.election = election
        self.ties = ties or TieOrder(election)
        self.voters = len(election.ballots)
        projects = election.projects
        # Identical ballots (their projects with positive points, and those points) are one
        # group: its voters always sit in the same class.
        weight = {}
        for ballot in election.ballots:
            if ballot and min(ballot.values()) > 0:  # the usual case, without a Python loop
                signature = frozenset(ballot.items())
            else:
                signature = frozenset(item for item in ballot.items() if item[1] > 0)
            weight[signature] = weight.get(signature, 0) + 1
        self.groups = len(weight)
        supporters = [[] for _ in projects]
        points = [[] for _ in projects]
        weights = [[] for _ in projects]
        for group, (signature, number) in enumerate(weight.items()):
            for index, given in signature:
                supporters[index].append(group)
                points[index].append(given)
                weights[index].append(number)
        self.free = [i for i, p in enumerate(projects) if p.cost == 0 and supporters[i]]
        self.candidates = [i for i, p in enumerate(projects) if p.cost > 0 and supporters[i]]
        #: ``supporters[i]``: the groups supporting project ``i``, ``weights[i]`` their voters
        #: (None when every group is one voter: counted by ``Counter``, in C).
        self.supporters = {i: array("i", supporters[i]) for i in self.candidates}
        self.weights = {i: None if all(w == 1 for w in weights[i]) else weights[i] for i in self.candidates}
        self.votes = {i: sum(weights[i]) for i in self.candidates}
        # Integers: amounts in units of 1/unit (costs and envelope may have cents), utilities
        # times one common factor (which changes no decision: every price scales alike).
        self.unit = lcm(*(Fraction(a).denominator for a in (election.budget, *(p.cost for p in projects))))
        self.cost = [int(p.cost * self.unit) for p in projects]
        if election.kind == APPROVAL:
            # Cost utilities: every supporter values a project at its cost (in the same units).
            self.utilities = {i: [self.cost[i]] * len(supporters[i]) for i in self.candidates}
        else:
            raw = {i: [Fraction(u) for u in points[i]] for i in self.candidates}
            factor = lcm(1, *(u.denominator for us in raw.values() for u in us))
            self.utilities = {i: [int(u * factor) for u in us] for i, us in raw.items()}
        self.total_utility = {i: sum(map(mul, us, weights[i])) for i, us in self.utilities.items()}
        self.utility_gcd = {i: gcd(*us) for i, us in self.utilities.items()}
        # The utility of a project when all its supporters have the same (approval), else None
        # and the lcm that _price sorts with.
        self.uniform = {i: us[0] if len(set(us)) == 1 else None for i, us in self.utilities.items()}
        self.utility_lcm = {i: lcm(*set(us)) for i, us in self.utilities.items()}
        # The heap's first entries (see run): ρ = cost / (supporters · utility) whatever the
        # share, or the lower bound cost / Σ utilities.
        first = []
        for i in self.candidates:
            uniform = self.uniform[i]
            if uniform:
                rest = self.votes[i] * uniform
                first.append((_entry(self.cost[i], rest, self.ties.key(i), i), i, self.votes[i], self.cost[i], rest))
            else:
                first.append((_entry(self.cost[i], self.total_utility[i], self.ties.key(i), i), i, None, None, None))
        first.sort(key=itemgetter(0))
        self._round0 = first
        self.root = _Step(frozenset())
        self.root.class_of = array("i", bytes(4 * self.groups))
        self._steps = {self.root.funded: self.root}
        self._class_keys = [frozenset()]  # class 0: everybody, before anything is funded
        self._class_ids = {frozenset(): 0}
        self._left = [None]
        self._moved = {}
        self._with_array = {self.root}
        self._pairs = {}

    # -- the structure that does not depend on the share ---------------------------------
    def _class(self, old: int, winner: int, utility) -> int:
        """The class of a voter of class ``old`` who supports ``winner`` with ``utility``:
        named by its set of (project, utility), so the same whatever the funding order."""
        move = (old, winner, utility)
        new = self._moved.get(move)
        if new is None:
            key = self._class_keys[old] | {(winner, utility)}
            new = self._class_ids.get(key)
            if new is None:
                new = self._class_ids[key] = len(self._class_keys)
                self._class_keys.append(key)
            self._moved[move] = new
        return new

    def _move(self, step: _Step, winner: int):
        """Fund ``winner`` after ``step``: (next step, classes born, split)."""
        move = step.moves.get(winner)
        if move is None:
            class_of = self._array(step)
            funded = step.funded | {winner}
            child = self._steps.get(funded)
            if child is None:
                child = self._steps[funded] = _Step(funded)
                child.link = (step, winner)
            split, born = {}, []
            for old, utility in zip(map(class_of.__getitem__, self.supporters[winner]), self.utilities[winner]):
                if (old, utility) not in split:
                    new = split[(old, utility)] = self._class(old, winner, utility)
                    born.append((new, old, utility))
            # As columns: the runs' money update reads them in list comprehensions.
            born = ([n for n, _, _ in born], [o for _, o, _ in born], [u for _, _, u in born])
            move = step.moves[winner] = (child, born, split)
        return move

    def _array(self, step: _Step):
        """``step.class_of``, built when first needed from the step it was first reached
        from: once a run has seen the moves and counts it needs, it needs no array."""
        if step.class_of is None:
            parent, winner = step.link
            class_of = array("i", self._array(parent))
            split = parent.moves[winner][2]
            for group, utility in zip(self.supporters[winner], self.utilities[winner]):
                class_of[group] = split[(class_of[group], utility)]
            step.class_of = class_of
            self._with_array.add(step)
        return step.class_of

    def _counts(self, step: _Step, project: int, came_from=None):
        """{class: supporters of ``project``} after ``step`` — {(class, utility): …} when
        they do not all have the same utility for it (points). From the parent's,
        when it has them, by moving only the groups that also support the step's winner.
        (Groups of one voter are counted with Counter over map/zip: the loops run in C.)"""
        counts = step.counts.get(project)
        if counts is not None:
            return counts
        parent, winner, split = came_from if came_from else (None, None, None)
        base = parent.counts.get(project) if parent is not None else None
        uniform = self.uniform[project]
        if base is not None and parent.class_of is not None:
            groups, mine, theirs, weights = self._both(project, winner)
            old = list(map(parent.class_of.__getitem__, groups))
            new = map(split.__getitem__, zip(old, theirs))
            if not uniform:
                old, new = list(zip(old, mine)), zip(new, mine)
            if weights is None:
                counts = Counter(base)
                counts.subtract(old)
                counts.update(new)
            else:
                counts = dict(base)
                for before, after, number in zip(old, new, weights):
                    counts[before] -= number
                    counts[after] = counts.get(after, 0) + number
            counts = {key: number for key, number in counts.items() if number}
        else:
            classes = map(self._array(step).__getitem__, self.supporters[project])
            counts = _tally(classes if uniform else zip(classes, self.utilities[project]), self.weights[project])
        step.counts[project] = counts
        return counts

    def _both(self, project: int, winner: int):
        """The common supporters of ``project`` and ``winner``: (groups, their utilities for
        ``project``, their utilities for ``winner``, their voters or None if one each)."""
        pair = (project, winner)
        both = self._pairs.get(pair)
        if both is None:
            theirs = dict(zip(self.supporters[winner], self.utilities[winner]))
            weights = self.weights[project] or [1] * len(self.supporters[project])
            common = [(g, u, theirs[g], w) for g, u, w in zip(self.supporters[project], self.utilities[project], weights)
                      if g in theirs]
            numbers = [w for _, _, _, w in common]
            both = self._pairs[pair] = (array("i", [g for g, _, _, _ in common]), [u for _, u, _, _ in common],
                                        [w for _, _, w, _ in common],
                                        None if all(n == 1 for n in numbers) else numbers)
        return both

    # -- one run --------------------------------------------------------------------------
    def run(self, share: Amount) -> Outcome:
        """Money is counted in integers: in units of ``1/quantum`` of the smallest unit of
        the amounts, ``quantum`` growing as prices need; a class born at round ``r`` keeps
        its money in the units of that round, ``ratio[r]`` converts it to today's."""
        election, ties = self.election, self.ties
        scaled = Fraction(share) * self.unit
        quantum, start = scaled.denominator, scaled.numerator
        # left[class] = (money left per voter, round born): a list indexed by class, kept from
        # run to run; every class of a step the run reaches was born in this run, so what a
        # former run left there is never read.
        left = self._left
        left[0] = (start, 0)
        ratio = [1]  # ratio[r] = current quantum / quantum of round r
        step = self.root
        came_from = None
        path = {step}
        funded = list(self.free)
        heap = []
        priced_at = {}
        last = {}
        # Round 0, everyone has the same: a project everyone values alike costs the cost
        # shared equally, if its supporters have that much (what _price would find, without
        # the call); the others start at a lower bound. The entries are the engine's, in
        # heap order already: those kept stay in order, so the list is a heap.
        for entry, i, supporters, cost, rest in self._round0:
            if rest is None:
                heap.append(entry)
            elif start * supporters >= cost * quantum:
                priced_at[i] = 0
                last[i] = (cost * quantum, rest)
                heap.append(entry)
        round_ = 0
        pop, push, price_of, counts_of = heapq.heappop, heapq.heappush, self._price, self._counts
        cached = step.counts
        while heap:
            top = pop(heap)[1]
            project = top.project
            if priced_at.get(project) != round_:
                counts = cached.get(project)
                if counts is None:
                    counts = counts_of(step, project, came_from)
                price = price_of(counts, left, ratio, quantum, project)
                if price is not None:
                    priced_at[project] = round_
                    last[project] = price
                    push(heap, _entry(price[0], quantum * price[1], top.key, project))
                continue
            # Funded at ρ = due / (quantum · rest). With g = gcd(due · (gcd of the
            # utilities), rest), counting in units of 1/(quantum · rest/g) a voter of utility
            # u owes (due/g)·u, an integer. (g only for the winner: gcd of big integers is
            # not free.)
            due, rest = last[project]
            g = gcd(due * self.utility_gcd[project], rest)
            grow = rest // g
            child, born, split = self._move(step, project)
            if len(left) < len(self._class_keys):
                left.extend([None] * (len(self._class_keys) - len(left)))
            came_from = (step, project, split)
            step = child
            cached = step.counts
            path.add(step)
            round_ += 1
            if grow != 1:
                ratio = [r * grow for r in ratio]
                quantum *= grow
            ratio.append(1)
            uniform = self.uniform[project]
            news, olds, utilities = born
            if uniform:  # everyone owes the same: computed once
                owed = due * uniform // g
                monies = [money * ratio[when] - owed for money, when in map(left.__getitem__, olds)]
            else:
                monies = [money * ratio[when] - due * utility // g
                          for (money, when), utility in zip(map(left.__getitem__, olds), utilities)]
            for new, money in zip(news, monies):
                left[new] = (money if money > 0 else 0, round_)
            funded.append(project)
        # Only the arrays of the last path are kept: the next run most often follows it.
        for kept in self._with_array - path:
            if kept is not self.root:
                kept.class_of = None
        self._with_array &= path | {self.root}
        return Outcome(tuple(funded), share)

    def _price(self, counts, left, ratio, quantum, project):
        """(due, rest) with ρ = due / (quantum · rest) the lowest price per unit of
        utility with Σ min(money left, ρ·u) = cost over the supporters, or None when their
        money left does not reach the cost. Integers only (money in units of 1/quantum)."""
        cost = self.cost[project] * quantum
        uniform = self.uniform[project]
        if uniform:
            # Everyone values it alike (approval: its cost): find the payment α per voter
            # with Σ min(money, α) = cost, poorest first; ρ = α / u.
            # Those with nothing left pay nothing: left out at once (their money is 0 in
            # any unit, no need to convert it).
            haves, numbers = [], []
            for (money, when), number in zip(map(left.__getitem__, counts), counts.values()):
                if money:
                    haves.append(money * ratio[when])
                    numbers.append(number)
            if not haves or sum(map(mul, haves, numbers)) < cost:
                return None  # known before sorting
            rest = sum(numbers)
            if cost <= min(haves) * rest:  # nobody short of the equal part: no sorting
                return cost, rest * uniform
            paid = 0
            for have, number in sorted(zip(haves, numbers)):
                if cost - paid <= have * rest:
                    break
                paid += have * number
                rest -= number
            return cost - paid, rest * uniform
        items = []
        money = 0
        weight = 0
        for (cls, utility), number in counts.items():
            money_left, when = left[cls]
            have = money_left * ratio[when]
            items.append((have, utility, number))
            money += have * number
            weight += utility * number
        if money < cost:
            return None
        # Poorest first, by money per unit of utility: have/u, compared as the integers
        # have · (lcm of the project's utilities)/u.
        common = self.utility_lcm[project]
        items.sort(key=lambda item: item[0] * (common // item[1]))
        paid = 0
        rest = weight
        for have, utility, number in items:
            # ρ = (cost - paid) / rest: this class pays ρ·u if it has that much.
            if (cost - paid) * utility <= have * rest:
                break
            paid += have * number
            rest -= utility * number
        return cost - paid, rest


def equal_shares(election: Election, ties: TieOrder | None = None, *, share: Amount | None = None) -> Outcome:
    """One run with ``share`` per voter (default: the envelope divided equally)."""
    if not election.ballots:
        return Outcome((), 0)
    engine = EqualShares(election, ties)
    return engine.run(Fraction(election.budget, len(election.ballots)) if share is None else share)


def exhaustive(election: Election, funded, candidates) -> bool:
    """Whether no other supported project fits in what is left of the envelope."""
    left = election.budget - election.cost(funded)
    chosen = set(funded)
    return all(election.projects[i].cost > left for i in candidates if i not in chosen)


def equal_shares_add1(election: Election, ties: TieOrder | None = None, *, increment: Amount = 1,
                      stop_when_exhaustive: bool = False) -> Outcome:
    """« add1 »: from the equal share of the envelope, raise every share by ``increment``
    while the outcome stays within the envelope; keep the last outcome within it (or the
    first that funds every supported project: raising further would change nothing).

    ``stop_when_exhaustive``: stop as soon as nothing more would fit, as pabutools 1.2.3
    does. Wieliczka 2023 did not: at a share of 301.84 zł its outcome was exhaustive with 31
    projects, and the official 30 projects came at 305.84 zł (tests/plugins/budget)."""
    if not election.ballots:
        return Outcome((), 0)
    engine = EqualShares(election, ties)
    share = Fraction(election.budget, len(election.ballots))
    previous = Outcome(tuple(engine.free), share, 0)
    everything = len(engine.free) + len(engine.candidates)
    runs = 0
    while True:
        outcome = engine.run(share)
        runs += 1
        if election.cost(outcome.funded) > election.budget:
            return Outcome(previous.funded, previous.share, runs)
        if len(outcome.funded) == everything or (
                stop_when_exhaustive and exhaustive(election, outcome.funded, engine.candidates)):
            return Outcome(outcome.funded, share, runs)
        previous = outcome
        share += increment
