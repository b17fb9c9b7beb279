"""The registration rules (plugins/cdc/rules.py), with hypothesis, and the registration
form given anything: never a 500, nothing half-written."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.cdc import rules

NOW = datetime(2027, 1, 10, 12)
caps = st.one_of(st.none(), st.integers(min_value=0, max_value=50))


@given(delegations=st.integers(0, 60), people=st.integers(0, 400), newcomers=st.integers(1, 60),
       delegation_cap=caps, people_cap=caps, late=st.booleans())
def test_placement_respects_the_caps_and_the_deadline(delegations, people, newcomers, delegation_cap, people_cap,
                                                      late):
    deadline = NOW - timedelta(minutes=1) if late else NOW + timedelta(days=1)
    place = rules.placement(now=NOW, deadline=deadline, delegations=delegations, people=people,
                            newcomers=newcomers, delegation_cap=delegation_cap, people_cap=people_cap)
    if place.status == rules.REGISTERED:
        assert not late
        assert delegation_cap is None or delegations + 1 <= delegation_cap
        assert people_cap is None or people + newcomers <= people_cap
    else:
        assert place.reason in (rules.AFTER_DEADLINE, rules.DELEGATIONS_FULL, rules.PEOPLE_FULL)


@given(st.lists(st.integers(1, 8), min_size=1, max_size=80), st.integers(1, 40), st.integers(1, 400))
def test_registering_one_by_one_never_goes_past_a_cap(sizes, delegation_cap, people_cap):
    delegations = people = 0
    for size in sizes:
        place = rules.placement(now=NOW, deadline=NOW, delegations=delegations, people=people, newcomers=size,
                                delegation_cap=delegation_cap, people_cap=people_cap)
        if place.status == rules.REGISTERED:
            delegations, people = delegations + 1, people + size
    assert delegations <= delegation_cap and people <= people_cap


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 3))
def test_one_night_before_each_day(first, extra):
    nights = rules.nights_of(first, first + timedelta(days=extra))
    assert len(nights) == extra + 1 and nights[0] == first - timedelta(days=1)


@given(people=st.integers(1, 60), asked=st.dictionaries(st.integers(0, 3), st.integers(-2, 80), max_size=4))
def test_nothing_asked_beyond_the_delegation(people, asked):
    try:
        rules.check_request(people=people, named=1, nights={}, meals=asked, workshops={}, shuttle=0,
                            known_nights=[], known_meals=[0, 1, 2], known_workshops=[])
    except rules.RequestError as error:
        assert error.field == "meals"
        assert any(k == 3 or n < 0 or n > people for k, n in asked.items())
    else:
        assert all(k != 3 and 0 <= n <= people for k, n in asked.items())


@given(places=st.integers(1, 30), taken=st.integers(0, 30), people=st.integers(-1, 31), needed=st.integers(0, 30))
def test_a_host_is_never_given_more_than_their_places(places, taken, people, needed):
    if rules.match_fits(places=places, taken=taken, people=people, needed=needed):
        assert 1 <= people and taken + people <= places and people <= needed


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.one_of(texts, st.integers(-5, 100).map(str)), members=texts, night=texts, kind=texts,
       mandate=texts, email=texts)
def test_the_form_refuses_or_registers_never_half(app, place_for_hypothesis, people, members, night, kind, mandate,
                                                  email):
    from convergence.extensions import db
    from plugins.cdc.models import Delegation, LodgingNeed, Member
    from tests.fixtures import browser_fields

    from .conftest import registration_data

    place, client = place_for_hypothesis
    before = [db.session.scalar(db.select(db.func.count(m.delegation_id if m is LodgingNeed else m.id)))
              for m in (Delegation, Member, LodgingNeed)]
    first = place.nights[0]
    page = f"{place.base}/inscription"
    data = registration_data(place, people_count=people, members=members, kind=kind, mandate_kind=mandate,
                             contact_email=email, **{f"night_{first:%Y%m%d}": night})
    response = client.post(page, data={**data, **browser_fields(client, page)})
    assert response.status_code in (303, 400, 409, 422), response.status_code
    after = [db.session.scalar(db.select(db.func.count(m.delegation_id if m is LodgingNeed else m.id)))
             for m in (Delegation, Member, LodgingNeed)]
    if response.status_code != 303:
        assert after == before
    else:
        assert after[0] == before[0] + 1
