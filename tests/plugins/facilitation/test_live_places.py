"""Each waiting request's place travels in the live event as its own phone reads it
(position and « why » in the second person, templates/facilitation/_place.html): the
event's place equals the one …/parole/ma-place draws for that person, typed names stay
escaped, a timer event carries none, and nothing in it is not already on the public list."""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from convergence.extensions import db
from convergence.live import subscribe
from convergence.models.base import utcnow
from convergence.spaces import space_ref

from plugins.facilitation.live_regions import compact
from plugins.facilitation.models import SpeakingRequest

from .conftest import french, post, rows, switch
from .test_live_regions import add_name, last_event
from .test_speaking_list import ask, give_floor


def place_of(page: str, request_id: int) -> str:
    """The place of request ``request_id`` as it was sent (the macro nests no other div)."""
    start = page.index(f'<div data-place="{request_id}">')
    return compact(page[start:page.index("</div>", start) + len("</div>")])


def my_place(client, meeting) -> str:
    answer = client.get(meeting.list_url() + "/ma-place")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def has_spoken(meeting, person) -> None:
    """A turn of ``person`` already done on the item: the first-timers pass them."""
    now = utcnow()
    db.session.add(SpeakingRequest(assembly_id=meeting.assembly.id, item_id=meeting.item.id, user_id=person.id,
                                   person=f"u:{person.id}", name=person.display_name, state="done",
                                   started_at=now, ended_at=now, counted=30.0))
    db.session.commit()


def test_each_waiting_phone_finds_in_the_event_the_place_its_page_draws(client, meeting):
    alix, bao, chloe, dominique = meeting.people
    has_spoken(meeting, alix)
    for person in (alix, bao, chloe, dominique):
        switch(client, person)
        assert ask(client, meeting).status_code == 302
    switch(client, meeting.facilitator)
    [_done, alix_row, bao_row, chloe_row, dominique_row] = rows()
    with subscribe(space_ref(meeting.assembly)) as events:
        assert give_floor(client, meeting, bao_row.id).status_code == 302
        regions = last_event(events, "speaking.floor")["regions"]
    # Bao speaks; Chloé and Dominique have not spoken yet, so they pass Alix.
    assert regions["speaker"] == bao_row.id and regions["personal"] is True
    assert regions["order"] == [chloe_row.id, dominique_row.id, alix_row.id]
    assert [r.state for r in rows()] == ["done", "waiting", "speaking", "waiting", "waiting"]
    places = regions["html"]["places"]
    assert re.findall(r'data-place="(\d+)"', places) == [str(n) for n in regions["order"]]
    expected = {chloe: (1, french("You go before %(name)s because it is your first time speaking.", name="Alix")),
                dominique: (2, french("You go before %(name)s because it is your first time speaking.", name="Alix")),
                alix: (3, french("%(name)s goes before you because it is their first time speaking.", name="Chloé"))}
    for person, (position, why) in expected.items():
        switch(client, person)
        page = my_place(client, meeting)
        request_id = int(re.search(r'data-mine="(\d+)"', page).group(1))
        sent = place_of(places, request_id)
        assert sent == place_of(page, request_id)  # what ma-place draws, byte for byte
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", sent)).split())
        assert text == f'{french("You are number %(position)d on the list.", position=position)} {why}'
        assert 'data-mine-state="waiting"' in page
    # The page loaded without JavaScript draws the same place, in its « Your place ».
    assert place_of(client.get(meeting.list_url()).get_data(as_text=True), alix_row.id) == place_of(places, alix_row.id)
    # The speaker is no longer waiting: no place of theirs, their fragment says they speak.
    assert f'data-place="{bao_row.id}"' not in places
    switch(client, bao)
    assert 'data-mine-state="speaking"' in my_place(client, meeting)


def test_the_places_say_nothing_the_public_list_does_not(client, meeting):
    for person in meeting.people[:2]:
        switch(client, person)
        ask(client, meeting)
    switch(client, meeting.facilitator)
    with subscribe(space_ref(meeting.assembly)) as events:
        assert add_name(client, meeting, "Jeanne Perrin").status_code == 302
        regions = last_event(events, "speaking.list")["regions"]
    places = regions["html"]["places"]
    # Only the request ids the event already lists (``order``) and the public names: no
    # user id, no account, the name typed by the facilitation drawn like a phone's.
    assert set(re.findall(r"([\w-]+)=", places)) == {"data-place", "class"}
    assert re.findall(r'data-place="(\d+)"', places) == [str(n) for n in regions["order"]] and len(regions["order"]) == 3
    names = set(re.findall(r'<p class="speaking-name">.*?</span> ([^<]+?)\s*<', regions["html"]["waiting"]))
    assert names == {"Alix", "Bao", "Jeanne Perrin"}
    assert "u:" not in places and "@" not in places


def test_a_timer_event_carries_no_places(client, meeting):
    switch(client, meeting.people[0])
    ask(client, meeting)
    switch(client, meeting.people[1])
    ask(client, meeting)
    switch(client, meeting.facilitator)
    give_floor(client, meeting, rows()[0].id)
    with subscribe(space_ref(meeting.assembly)) as events:
        assert post(client, meeting.list_url() + "/minuteur/pause", meeting.console).status_code == 302
        regions = last_event(events, "speaking.timer")["regions"]
    assert regions["personal"] is False and "places" not in regions["html"] and "packed" not in regions
    assert regions["order"] == [rows()[1].id]


RELAXED = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda t: t.strip()) | st.sampled_from(['<script>alert("x")</script>', "Zoé & <b>Ana</b>", "\"'><img src=x>"])


@RELAXED
@given(name=NAMES)
def test_a_typed_name_reaches_a_phones_place_escaped(client, meeting, name):
    """A name typed by the facilitation passes Alix (a first time): Alix's place in the
    event names it as Jinja escaped it on her page, the same HTML."""
    alix = meeting.people[0]
    db.session.execute(db.delete(SpeakingRequest))  # one example after another on the same meeting
    db.session.commit()
    has_spoken(meeting, alix)
    switch(client, alix)
    assert ask(client, meeting).status_code == 302
    switch(client, meeting.facilitator)
    with subscribe(space_ref(meeting.assembly)) as events:
        assert add_name(client, meeting, name).status_code == 302
        regions = last_event(events, "speaking.list")["regions"]
    [_done, alix_row, typed] = rows()
    assert regions["order"] == [typed.id, alix_row.id]
    sent = place_of(regions["html"]["places"], alix_row.id)
    assert compact(str(escape(typed.name))) in sent
    if "<" in typed.name:
        assert typed.name not in sent
    switch(client, alix)
    assert sent == place_of(my_place(client, meeting), alix_row.id)
