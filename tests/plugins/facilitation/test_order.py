"""The fair order of a speaking list (plugins/facilitation/order.py): property tests over
any waiting list and any history, and the examples a facilitator would check by hand."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.facilitation import order
from plugins.facilitation.order import Request, Rule, Turn, fair_order

ITEM = 1
PEOPLE = [f"u:{n}" for n in range(12)]
GROUPS = [None, "A", "B"]

rules = st.builds(Rule, first_time=st.sampled_from([order.FIRST_IN_ITEM, order.FIRST_IN_MEETING, order.FIRST_OFF]),
                  lists=st.sampled_from([order.LISTS_OFF, order.LISTS_ALTERNATE, order.LISTS_UNHEARD]))
turns = st.lists(st.builds(Turn, st.sampled_from(PEOPLE), st.sampled_from(GROUPS), st.sampled_from([ITEM, 2])),
                 max_size=15)


@st.composite
def waiting_lists(draw):
    """One waiting request per person at most (the database's rule), arrivals distinct."""
    people = draw(st.lists(st.sampled_from(PEOPLE), unique=True, max_size=len(PEOPLE)))
    arrivals = draw(st.permutations(range(1, len(people) + 1)))
    return [Request(id=arrival * 10, person=person, arrival=arrival,
                    kind=draw(st.sampled_from(order.KINDS)), group=draw(st.sampled_from(GROUPS)))
            for person, arrival in zip(people, arrivals)]


def ids(placed) -> list[int]:
    return [p.request.id for p in placed]


@settings(max_examples=300)
@given(waiting_lists(), turns, rules)
def test_nobody_is_lost_nor_placed_twice(waiting, spoken, rule):
    placed = fair_order(waiting, spoken, ITEM, rule)
    assert Counter(ids(placed)) == Counter(r.id for r in waiting)
    assert [p.position for p in placed] == list(range(1, len(waiting) + 1))


@settings(max_examples=300)
@given(waiting_lists(), turns, rules, st.randoms(use_true_random=False))
def test_the_order_depends_on_the_requests_not_on_how_they_were_read(waiting, spoken, rule, rnd):
    shuffled = list(waiting)
    rnd.shuffle(shuffled)
    assert ids(fair_order(shuffled, spoken, ITEM, rule)) == ids(fair_order(waiting, spoken, ITEM, rule))


@settings(max_examples=300)
@given(waiting_lists(), turns, rules)
def test_procedure_on_top_then_replies_then_interventions_each_by_arrival_where_it_says(waiting, spoken, rule):
    placed = fair_order(waiting, spoken, ITEM, rule)
    rank = {order.PROCEDURE: 0, order.REPLY: 1, order.INTERVENTION: 2}
    kinds = [rank[p.request.kind] for p in placed]
    assert kinds == sorted(kinds)
    for kind in (order.PROCEDURE, order.REPLY):
        of_kind = [p.request.arrival for p in placed if p.request.kind == kind]
        assert of_kind == sorted(of_kind)
    for p in placed:
        assert (p.why == order.WHY_PROCEDURE) == (p.request.kind == order.PROCEDURE)
        assert (p.why == order.WHY_REPLY) == (p.request.kind == order.REPLY)


@settings(max_examples=300)
@given(waiting_lists(), turns, st.sampled_from([order.FIRST_IN_ITEM, order.FIRST_IN_MEETING]))
def test_first_time_speakers_come_first_then_arrival_order(waiting, spoken, scope):
    placed = [p for p in fair_order(waiting, spoken, ITEM, Rule(first_time=scope)) if p.request.kind == "intervention"]
    heard = {t.person for t in spoken if scope == order.FIRST_IN_MEETING or t.item == ITEM}
    new = [p.request.arrival for p in placed if p.request.person not in heard]
    again = [p.request.arrival for p in placed if p.request.person in heard]
    assert [p.request.arrival for p in placed] == sorted(new) + sorted(again)


@settings(max_examples=300)
@given(waiting_lists(), turns)
def test_without_a_rule_it_is_arrival_order(waiting, spoken):
    placed = [p for p in fair_order(waiting, spoken, ITEM, Rule(first_time="off")) if p.request.kind == "intervention"]
    assert [p.request.arrival for p in placed] == sorted(p.request.arrival for p in placed)
    assert {p.why for p in placed} <= {order.WHY_ARRIVAL}


@settings(max_examples=300)
@given(waiting_lists(), turns)
def test_alternation_gives_the_next_turn_to_the_list_heard_the_least(waiting, spoken):
    placed = [p for p in fair_order(waiting, spoken, ITEM, Rule(first_time="off", lists="alternate"))
              if p.request.kind == "intervention"]
    heard = Counter(t.group for t in spoken if t.item == ITEM)
    left = Counter(p.request.group for p in placed)
    for p in placed:
        waiting_groups = [g for g, n in left.items() if n]
        assert heard[p.request.group] == min(heard[g] for g in waiting_groups)
        heard[p.request.group] += 1
        left[p.request.group] -= 1


@settings(max_examples=300)
@given(waiting_lists(), turns, rules)
def test_whoever_passes_someone_arrived_later_and_names_the_earliest_they_pass(waiting, spoken, rule):
    placed = fair_order(waiting, spoken, ITEM, rule)
    position = {p.request.id: p.position for p in placed}
    for p in placed:
        if p.why in (order.WHY_FIRST_TIME, order.WHY_LIST):
            assert p.ahead_of is not None
            assert p.ahead_of.arrival < p.request.arrival
            assert position[p.ahead_of.id] > p.position
        else:
            assert p.ahead_of is None
        if p.why == order.WHY_ARRIVAL:  # nobody who arrived earlier among interventions is behind
            assert not [q for q in placed if q.request.kind == "intervention" and q.position > p.position
                        and q.request.arrival < p.request.arrival]


def test_a_first_time_speaker_passes_someone_who_already_spoke_and_is_told_so():
    waiting = [Request(1, "u:claude", "intervention", 1), Request(2, "u:dominique", "intervention", 2),
               Request(3, "u:sacha", "procedure", 3)]
    placed = fair_order(waiting, [Turn("u:claude", None, ITEM)], ITEM)
    assert [(p.request.person, p.why) for p in placed] == [
        ("u:sacha", "procedure"), ("u:dominique", "first_time"), ("u:claude", "arrival")]
    assert placed[1].ahead_of.person == "u:claude"


def test_lists_not_yet_heard_go_first():
    waiting = [Request(1, "u:1", "intervention", 1, "Commercy"), Request(2, "u:2", "intervention", 2, "Saillans")]
    placed = fair_order(waiting, [Turn("u:9", "Commercy", ITEM)], ITEM, Rule(first_time="off", lists="unheard"))
    assert [p.request.group for p in placed] == ["Saillans", "Commercy"]
    assert placed[0].why == order.WHY_LIST


def test_a_hundred_requests_keep_the_rule():
    rnd = random.Random(12)
    waiting = [Request(n, f"u:{n}", "intervention", n, rnd.choice(["A", "B"])) for n in range(1, 101)]
    spoken = [Turn(f"u:{n}", "A", ITEM) for n in range(1, 101, 3)]
    placed = fair_order(waiting, spoken, ITEM)
    first = [p.request.id for p in placed[:len(waiting) - len(spoken)]]
    assert all(n % 3 != 1 for n in first) and first == sorted(first)
