"""Why each project is funded or not, as data: the results page words it (in French).

For every project of an election and an outcome computed by a rule of ``rules.RULES``:

* **greedy** (the outcome of a greedy rule, or of a comparison step that kept greedy's):
  its score and votes, its place in the order, the money left in the envelope when its turn
  came; for an unfunded project, how many more supporters it would have needed and up to
  what cost it would have been funded.
* **Method of Equal Shares** (at the share per voter ``b`` of the run that gave the outcome —
  for « add1 », the last run within the envelope): for a funded project, the round it was
  bought in, its price, what each supporter who could was asked to pay, how many supporters
  paid and how many gave all they had left; for an unfunded one, how many more supporters
  or how much lower a cost it would have needed, what its supporters had left at the end,
  and which funded projects their money went to.

How the numbers are found — **exactly, from the run, not by trying**:

Changing one project that is not funded changes nothing in the run until the round where it
would be chosen: the other projects' prices do not depend on it. So the changed project is
funded if and only if, at some round ``r`` of the original run (or after the last one), it
would beat the project funded at ``r``: its price per unit of utility is lower, or equal
and it comes first in the tie order (lowest cost, most votes, the lot) — the tie order
moves with the changed cost or number of votes, and this is taken into account. At each
round the condition is monotone (more supporters, or a lower cost, only lower its price and
move it up the tie order), so the smallest number of supporters is the smallest over the
rounds, and the highest cost the highest over them. Each is solved in closed form on the
supporters' money at that round (exact fractions). « More supporters » are new voters who
support only this project (approval: with their full share ``b``; points ballots: giving it
``points`` points, by default the most any voter gave it). Under « add1 » the numbers are
those of the published share ``b``: adding voters or changing a cost could also move the
share « add1 » stops at, which no explanation can foresee without computing everything
again. The tests check every number by running the rule again on the changed election
(the Method of Equal Shares at share ``b``): funded with the number of supporters given and
not with one fewer, funded at the cost given (just below it when ``reached`` is false) and
not above it. Cost: a pass over its supporters per unfunded project and round (Wieliczka,
64 projects and 30 rounds: about 0.3 s).

For greedy the same reasoning is exact without any share: the projects before the changed
one in the order are decided as before, so it is funded if and only if what is left when
its new turn comes covers its cost.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction
from math import ceil, lcm

from .election import APPROVAL, Amount, Election
from .equal_shares import EqualShares
from .greedy import ranking
from .rules import Allocation
from .ties import TieOrder

GREEDY = "greedy"
EQUAL_SHARES = "equal-shares"


@dataclass(frozen=True)
class CostBound:
    """The project would have been funded at every cost below ``value``, and at ``value``
    itself when ``reached`` (it is not when it would then only tie and lose the tie)."""

    value: Fraction
    reached: bool


@dataclass(frozen=True)
class Explanation:
    project: int
    funded: bool
    method: str  # GREEDY or EQUAL_SHARES: which fields below are filled
    cost: Amount
    votes: int
    score: Amount
    # -- greedy --------------------------------------------------------------------------
    #: Place in the greedy order (1 = first), None for a project the rule never considers
    #: (nobody voted for it, or under the score threshold).
    position: int | None = None
    #: Greedy: what was left of the envelope when its turn came. Equal shares, unfunded: what
    #: its supporters had left in all at the end of the run.
    money_left: Fraction | None = None
    # -- Method of Equal Shares, funded ----------------------------------------------------
    #: The round it was bought in (1 = first; 0 for a project that costs nothing).
    round: int | None = None
    #: Its price per unit of utility (what the rule compares: the lowest is bought first).
    price: Fraction | None = None
    #: What a supporter with enough money left paid (approval ballots; for points ballots
    #: it is ``price`` times her points, so None here).
    full_share: Fraction | None = None
    #: Supporters who paid something, and among them those who gave all they had left.
    payers: int | None = None
    paid_all: int | None = None
    # -- unfunded ------------------------------------------------------------------------
    #: How many more supporters it needed (new voters supporting only it); None if no
    #: number would do (greedy: its cost is above the whole envelope, or its rule stops
    #: before any turn it could get).
    more_supporters: int | None = None
    #: Up to what cost it would have been funded; None if at no cost above zero.
    max_cost: CostBound | None = None
    #: Equal shares: {funded project: what the supporters of this project paid for it}.
    spent_on: dict[int, Fraction] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain data (fractions as ``"n/d"`` strings), e.g. to store as JSON."""
        def plain(value):
            if isinstance(value, Fraction):
                return str(value)
            if isinstance(value, dict):
                return {str(k): plain(v) for k, v in value.items()}
            return value
        data = asdict(self)
        data["max_cost"] = None if self.max_cost is None else {"value": str(self.max_cost.value),
                                                               "reached": self.max_cost.reached}
        return {key: plain(value) for key, value in data.items()}


def explain(election: Election, allocation: Allocation, ties: TieOrder | None = None, *,
            points: Amount | None = None) -> dict[int, Explanation]:
    """{project index: Explanation} for ``allocation`` (from ``rules.allocate`` with the same
    ``ties``). ``points``: what a new supporter gives a project on points ballots (default:
    the most any voter gave it)."""
    ties = ties or TieOrder(election)
    if allocation.by_greedy:
        skip = allocation.rule != "greedy-no-skip"
        return explain_greedy(election, ties, skip=skip, threshold=allocation.threshold, points=points)
    return explain_equal_shares(election, allocation.share, ties, points=points)


def _new_points(election: Election, index: int, points) -> Amount:
    if election.kind == APPROVAL:
        return 1
    if points is not None:
        return points
    given = [b.get(index, 0) for b in election.ballots if b.get(index, 0) > 0]
    return max(given, default=1)


def _better(upper: CostBound | None, other: CostBound | None) -> CostBound | None:
    if other is None:
        return upper
    if upper is None or other.value > upper.value:
        return other
    if other.value == upper.value and other.reached and not upper.reached:
        return other
    return upper


# -- greedy ----------------------------------------------------------------------------------
def explain_greedy(election: Election, ties: TieOrder, *, skip: bool = True, threshold=None,
                   points=None) -> dict[int, Explanation]:
    scores = [election.score(i) for i in range(len(election.projects))]

    def eligible(index, score=None, votes=None):
        score = scores[index] if score is None else score
        votes = election.votes(index) if votes is None else votes
        return votes > 0 and score > 0 and (threshold is None or score >= threshold)

    order = [i for i in ranking(election, ties) if eligible(i)]
    place = {i: n for n, i in enumerate(order)}
    # The run: money left before each project's turn, and whether it was funded.
    left = Fraction(election.budget)
    before, funded = {}, set()
    for n, i in enumerate(order):
        before[i] = left
        cost = election.projects[i].cost
        if cost <= left:
            funded.add(i)
            left -= cost
        elif not skip:
            break
    result = {}
    for i, project in enumerate(election.projects):
        common = dict(project=i, method=GREEDY, cost=project.cost, votes=election.votes(i), score=scores[i])
        if i in funded:
            result[i] = Explanation(funded=True, position=place[i] + 1, money_left=before[i], **common)
            continue
        more, max_cost = _greedy_changes(election, ties, i, order, skip, eligible, scores, points)
        result[i] = Explanation(funded=False, position=place[i] + 1 if i in place else None,
                                money_left=before.get(i), more_supporters=more, max_cost=max_cost, **common)
    return result


def _greedy_changes(election, ties, index, order, skip, eligible, scores, points):
    """(more supporters, max cost) for an unfunded project ``index`` under greedy."""
    others = [i for i in order if i != index]
    # left[j]: the money left before others[j]'s turn in a run without ``index`` (the
    # decisions before the place ``index`` would take are those of this run); alive[j]:
    # the rule has not stopped before others[j] (greedy-no-skip stops at the first misfit).
    left, alive = [], []
    money, going = Fraction(election.budget), True
    for i in others:
        left.append(money)
        alive.append(going)
        cost = election.projects[i].cost
        if going and cost <= money:
            money -= cost
        elif going and not skip:
            going = False
    left.append(money)
    alive.append(going)
    cost = election.projects[index].cost
    score, votes = scores[index], election.votes(index)
    key = ties.key(index)

    def rank(i):
        return -scores[i], ties.key(i)

    # More supporters: each adds ``gain`` to the score and one vote. The latest place where
    # what is left covers the cost is the one that needs the fewest.
    gain = _new_points(election, index, points)
    fits = [j for j in range(len(others) + 1) if alive[j] and left[j] >= cost]
    more = None
    if fits:
        j = fits[-1]
        need = 0
        if j < len(others):
            target = others[j]
            need = max(0, ceil((scores[target] - score) / gain))
            while (-(score + need * gain), ties.key_if(index, votes=votes + need)) >= rank(target):
                need += 1
        while not eligible(index, score + need * gain, votes + need):
            need += 1
        more = need
    # Max cost: the project's score is fixed; its place among the projects with the same
    # score depends on its cost (the first tie criterion).
    if not eligible(index):
        return more, None
    ahead = sum(1 for i in others if scores[i] > score)
    level = [i for i in others if scores[i] == score]  # in tie order, right after ``ahead``
    tail = key[1:]
    best = None
    for t in range(len(level) + 1):
        j = ahead + t
        if not alive[j]:
            continue
        value, reached = left[j], True  # at most what is left
        if t < len(level):  # before level[t]: cheaper, or as cheap and first on the rest
            upper = ties.key(level[t])
            if upper[0] < value or (upper[0] == value and not tail < upper[1:]):
                value, reached = Fraction(upper[0]), tail < upper[1:]
        if t > 0:  # after level[t - 1]: dearer, or as dear and after it on the rest
            lower = ties.key(level[t - 1])
            if value < lower[0] or (value == lower[0] and not (reached and lower[1:] < tail)):
                continue
        if value >= 0:
            best = _better(best, CostBound(Fraction(value), reached))
    return more, best


# -- Method of Equal Shares -----------------------------------------------------------------
def _price(items, cost) -> Fraction | None:
    """The lowest ρ with Σ n·min(m, ρ·u) ≥ cost over ``items`` (money, utility, voters), or
    None when their money does not reach the cost."""
    items = sorted((m / u, m, u, n) for m, u, n in items if m > 0)
    if sum(m * n for _, m, _, n in items) < cost:
        return None
    paid, weight = Fraction(0), sum(u * n for _, _, u, n in items)
    for ratio, m, u, n in items:
        if (cost - paid) <= ratio * weight:
            break
        paid += m * n
        weight -= u * n
    return (cost - paid) / weight


def explain_equal_shares(election: Election, share: Amount, ties: TieOrder,
                         points=None) -> dict[int, Explanation]:
    """At share ``share`` per voter (the outcome's: ``Allocation.share``)."""
    share = Fraction(share)
    groups = {}
    for ballot in election.ballots:
        signature = frozenset(item for item in ballot.items() if item[1] > 0)
        groups[signature] = groups.get(signature, 0) + 1
    weights = list(groups.values())
    projects = election.projects
    supporters = [[] for _ in projects]  # (group, points)
    for g, signature in enumerate(groups):
        for i, given in signature:
            supporters[i].append((g, given))

    def utility(i, given):
        return projects[i].cost * given if election.kind == APPROVAL else given

    engine = EqualShares(election, ties)
    order = engine.run(share).funded if election.ballots else ()
    chosen = set(order)
    # A project that costs nothing and is not funded has no supporter: one would do.
    unfunded = [i for i in range(len(projects)) if i not in chosen and projects[i].cost > 0]
    money = [share] * len(weights)
    bound = {i: None for i in unfunded}
    more = {i: None for i in unfunded}
    spent = {i: {} for i in unfunded}
    # Of each group, the unfunded projects it supports: where its payments are told.
    waiting = set(unfunded)
    backs = [[i for i, _given in signature if i in waiting] for signature in groups]
    # Of each unfunded project, its supporters as (group, utility, voters): read every round.
    rated = {q: [(g, utility(q, given), weights[g]) for g, given in supporters[q]] for q in unfunded}
    result = {}
    round_ = 0
    for w in order:
        cost_w = projects[w].cost
        if cost_w == 0:
            rho = Fraction(0)
            result[w] = dict(round=0, price=rho, full_share=Fraction(0) if election.kind == APPROVAL else None,
                             payers=0, paid_all=0)
            continue
        round_ += 1
        items = [(money[g], utility(w, given), weights[g]) for g, given in supporters[w]]
        rho = _price(items, cost_w)
        key_w = ties.key(w)
        # The money as integers over one denominator for this round: the per-project passes
        # below then add and compare integers (a city's 100,000 ballots: minutes → seconds).
        common = lcm(*{m.denominator for m in money})
        whole = [m.numerator * (common // m.denominator) for m in money]
        for q in unfunded:
            _round_changes(election, ties, q, rated[q], (money, whole, common), utility, share, rho,
                           key_w, bound, more, points)
        pays = {}
        payers = paid_all = 0
        for g, given in supporters[w]:
            due = rho * utility(w, given)
            pay = min(money[g], due)
            if pay > 0:
                payers += weights[g]
                if pay < due:
                    paid_all += weights[g]
            pays[g] = pay
            money[g] -= pay
        _tell_spent(w, pays, weights, backs, spent)
        result[w] = dict(round=round_, price=rho,
                         full_share=rho * cost_w if election.kind == APPROVAL else None,
                         payers=payers, paid_all=paid_all)
    explained = {}
    common_left = lcm(*{m.denominator for m in money})
    for i, project in enumerate(projects):
        common = dict(project=i, method=EQUAL_SHARES, cost=project.cost, votes=election.votes(i),
                      score=election.score(i))
        if i in chosen:
            explained[i] = Explanation(funded=True, **common, **result[i])
            continue
        if project.cost == 0:
            explained[i] = Explanation(funded=False, **common, money_left=Fraction(0), more_supporters=1)
            continue
        # After the last round nothing else is affordable: the project is funded as soon
        # as its supporters' money covers its cost.
        total = _money_of(supporters[i], money, weights, common_left)
        cost = project.cost
        end_more = max(0, ceil((cost - total) / share)) if share > 0 else None
        if end_more is not None and (more[i] is None or end_more < more[i]):
            more[i] = end_more
        if total > 0 and supporters[i]:
            bound[i] = _better(bound[i], CostBound(total, True))
        explained[i] = Explanation(funded=False, **common, money_left=total, more_supporters=more[i],
                                   max_cost=bound[i], spent_on=spent[i])
    return explained


def _tell_spent(w, pays, weights, backs, spent) -> None:
    """Add what the groups paid for the funded project ``w`` to ``spent`` of each unfunded
    project they support. One pass over the payers (not one per unfunded project over all
    its supporters), in integers over one denominator: with 100,000 ballots this pass was
    most of the explanations' time when done in fractions."""
    paid = [(g, pay) for g, pay in pays.items() if pay > 0]
    if not paid:
        return
    denominator = lcm(*{pay.denominator for _g, pay in paid})
    sums = {}
    for g, pay in paid:
        amount = pay.numerator * (denominator // pay.denominator) * weights[g]
        for i in backs[g]:
            sums[i] = sums.get(i, 0) + amount
    for i, amount in sums.items():
        spent[i][w] = Fraction(amount, denominator)


def _money_of(supporters, money, weights, common):
    """What ``supporters`` (group, points) have left in all, exact; ``common``: a multiple
    of every money's denominator. 0 (an int, as ``sum`` gives) when there are none."""
    if not supporters:
        return 0
    return Fraction(sum(money[g].numerator * (common // money[g].denominator) * weights[g]
                        for g, _ in supporters), common)


def _round_changes(election, ties, q, supporters, money, utility, share, rho, key_w, bound, more, points):
    """At one round (the winner's price ``rho`` and tie key ``key_w``), the supporters and the
    cost that would let ``q`` beat the winner; kept in ``bound`` and ``more`` if better."""
    money, whole, common = money
    cost = election.projects[q].cost
    votes = election.votes(q)
    key = ties.key(q)
    # (money · common, utility, voters) of the supporters with money left (``supporters``:
    # (group, utility, voters), the same every round).
    rows = [(whole[g], u, n) for g, u, n in supporters if whole[g] > 0]

    def wins(price, own_key):
        return price is not None and (price, own_key) < (rho, key_w)

    # -- more supporters: new voters with all their share, giving it ``u_new``.
    u_new = utility(q, _new_points(election, q, points))
    # Σ min(m, ρ·u) · voters, what ρ collects: with ρ = a/b and m = M/common, the integers
    # min(M·b, a·u·common) over common·b.
    a, b = rho.numerator, rho.denominator
    ac = a * common
    reach = Fraction(sum(min(m * b, ac * u) * n for m, u, n in rows), common * b)
    each = min(share, rho * u_new)
    if each > 0:
        need = max(0, ceil((cost - reach) / each))
        # ``need`` makes its price at most ρ (what ρ collects covers the cost). Collecting
        # more than the cost means a price strictly below ρ; exactly the cost, a price of ρ
        # or below, priced to know (a tie is decided by the tie order).
        if reach + need * each == cost:
            items = [(Fraction(m, common), u, n) for m, u, n in rows]
            if not wins(_price(items + [(share, u_new, need)] if need else items, cost),
                        ties.key_if(q, votes=votes + need)):
                need += 1
        if more[q] is None or need < more[q]:
            more[q] = need
    # -- max cost. Below the candidate its price is strictly lower than ρ; at it, equal
    # (a tie, decided by the tie order) or lower (when the supporters then give all they
    # have); above it, higher.
    if not rows:
        return
    if election.kind == APPROVAL:
        voters = sum(n for _, _, n in rows)
        if rho * voters < 1:  # its price is at least 1/supporters: never as low as ρ
            return
        candidate, below = _cost_threshold_cost_utilities(rows, common, a, b)
        if rho * voters == 1:
            # Price 1/supporters at every cost up to the candidate: a tie throughout, won
            # while its cost (the first tie criterion) is below the winner's, or equal with
            # the rest of the key first.
            rest_first = key[1:] < key_w[1:]
            if candidate < key_w[0]:
                bound[q] = _better(bound[q], CostBound(candidate, True))
            else:
                bound[q] = _better(bound[q], CostBound(Fraction(key_w[0]), rest_first and candidate >= key_w[0]))
            return
    else:
        candidate = reach  # utilities do not depend on the cost: Σ min(m, ρ·u)
        # Its price there is below ρ only if every supporter gives all she has before ρ.
        below = all(m * b < a * u * common for m, u, _ in rows)
    reached = below or ties.key_if(q, cost=candidate) < key_w
    bound[q] = _better(bound[q], CostBound(candidate, reached))


def _cost_threshold_cost_utilities(rows, common, a, b):
    """(c, below): the highest cost c with price(c) ≤ ρ = a/b when utilities are the cost,
    Σ min(m, ρ·c) ≥ c, i.e. the largest root of F(ρc) = c with F(x) = Σ n·min(m, x)
    (concave, F(0) = 0), and whether the price at c is strictly below ρ (c is then all the
    supporters have, each giving all: the price is their largest money over c). ``rows``:
    (money · common, utility, voters), money as integers over ``common``. Called with
    ρ · supporters ≥ 1."""
    rows = sorted((m, n) for m, _, n in rows)
    paid, rich = 0, sum(n for _, n in rows)  # paid: over ``common`` too
    for m, n in rows:
        # On x ≤ m: F(x) = paid + rich·x. Still ≥ c at x = m, i.e. c = m/ρ = m·b/a?
        if a * (paid + rich * m) >= m * b:
            paid += m * n
            rich -= n
            continue
        return Fraction(paid * b, common * (b - rich * a)), False
    # Beyond every supporter's money F is all they have: c = paid, reached at x = m_max.
    return Fraction(paid, common), a * paid > b * rows[-1][0]
