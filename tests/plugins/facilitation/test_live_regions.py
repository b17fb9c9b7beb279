"""The shared state of a speaking list travels in its live event, rendered once by the
request that made the change: the parts equal those of the page an anonymous phone loads,
names stay escaped, the event keeps to NOTIFY's size, and « Your place » is a fragment of
its own for the phones on the list."""

from __future__ import annotations

import base64
import gzip
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from convergence.extensions import db
from convergence.live import subscribe
from convergence.live.backends import MAX_PAYLOAD, encode
from convergence.models import Assembly
from convergence.spaces import space_ref
from convergence.testing import browser_fields, visible_text

from plugins.facilitation.live_regions import compact
from plugins.facilitation.models import NAME_MAX, SpeakingRequest

from .conftest import french, post, rows, switch
from .test_speaking_list import ask, give_floor

PHONE_PARTS, ROOM_PARTS = ("speaker", "waiting"), ("room-speaker", "room-next")


def part_of(html: str, name: str) -> str:
    """The part ``name`` of a page as it was sent (a part holds no other section)."""
    opening = html.index(f'data-live-part="{name}"')
    start = html.rindex("<section", 0, opening)
    return compact(html[start:html.index("</section>", opening) + len("</section>")])


def anonymous_pages(app, meeting) -> tuple[str, str]:
    phone = app.test_client()
    return (phone.get(meeting.list_url()).get_data(as_text=True), phone.get(meeting.room).get_data(as_text=True))


def add_name(client, meeting, name):
    return client.post(meeting.list_url() + "/ajouter",
                       data={"name": name, "kind": "intervention", **browser_fields(client, meeting.console)})


def last_event(events, name):
    found = None
    while (message := events.get(0.2)) is not None:
        if message["event"] == name:
            found = message
    assert found is not None, name
    return found["data"]


def test_the_floor_event_carries_the_parts_the_page_shows_to_anyone(app, client, meeting):
    for person in meeting.people[:3]:
        switch(client, person)
        ask(client, meeting)
    switch(client, meeting.facilitator)
    with subscribe(space_ref(meeting.assembly)) as events:
        assert give_floor(client, meeting).status_code == 302
        floor = last_event(events, "speaking.floor")
        # Paused, the timer reads the same in the event and in a page loaded later.
        assert post(client, meeting.list_url() + "/minuteur/pause", meeting.console).status_code == 302
        paused = last_event(events, "speaking.timer")
    regions = paused["regions"]
    phone, room = anonymous_pages(app, meeting)
    for name in PHONE_PARTS:
        assert regions["html"][name] == part_of(phone, name)
    for name in ROOM_PARTS:
        assert regions["html"][name] == part_of(room, name)
    # The database's state, as the event names it: who speaks, who waits in which order.
    speaking = [r for r in rows() if r.state == "speaking"]
    waiting = [r for r in rows() if r.state == "waiting"]
    assert speaking[0].name == "Alix" and speaking[0].running_since is None
    assert regions["speaker"] == floor["regions"]["speaker"] == speaking[0].id
    assert regions["order"] == floor["regions"]["order"] == [r.id for r in waiting]
    assert (regions["key"], regions["lang"], regions["closed"]) == (f"item-{meeting.item.id}", "fr", False)
    assert floor["regions"]["personal"] is True and regions["personal"] is False  # a timer moves nobody
    assert "Alix" in floor["regions"]["html"]["speaker"] and "Alix" in floor["regions"]["html"]["room-speaker"]
    assert french("Timer paused") in regions["html"]["room-speaker"]
    next_three = re.findall(r"<li>([^<]*)</li>", regions["html"]["room-next"])
    assert next_three == ["Bao", "Chloé"]
    # Drawn as for someone not logged in: nobody's entry is marked, nobody is « you ».
    assert " mine" not in regions["html"]["waiting"] and "mine" not in json.dumps(regions["html"]["speaker"])


def test_a_consent_round_event_carries_no_regions_so_pages_fetch_the_round(client, meeting):
    """The parts in an event must be all that changed: a round's event names none."""
    switch(client, meeting.facilitator)
    with subscribe(space_ref(meeting.assembly)) as events:
        url = f"/assemblees/{meeting.assembly.id}/ordre-du-jour/{meeting.item.id}/consentement/ouvrir"
        assert post(client, url, meeting.console).status_code == 302
        opened = last_event(events, "speaking.consent")
    assert opened == {"item_id": meeting.item.id}


def test_closing_the_list_says_so_in_the_event(app, client, meeting):
    switch(client, meeting.facilitator)
    with subscribe(space_ref(meeting.assembly)) as events:
        assert post(client, meeting.list_url() + "/fermer", meeting.console).status_code == 302
        closed = last_event(events, "speaking.list")["regions"]
    assert closed["closed"] is True and french("List closed") in closed["html"]["room-next"]
    phone, room = anonymous_pages(app, meeting)
    assert closed["html"]["waiting"] == part_of(phone, "waiting")
    assert closed["html"]["room-next"] == part_of(room, "room-next")


RELAXED = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda t: t.strip()) | st.sampled_from(['<script>alert("x")</script>', "Zoé & <b>Ana</b>", "\"'><img src=x>"])


@RELAXED
@given(name=NAMES)
def test_a_typed_name_reaches_the_event_escaped(app, client, meeting, name):
    """Whatever the facilitation types, the event carries it as Jinja escaped it for the page."""
    switch(client, meeting.facilitator)
    db.session.execute(db.delete(SpeakingRequest))  # one example after another on the same meeting
    db.session.commit()
    with subscribe(space_ref(meeting.assembly)) as events:
        assert add_name(client, meeting, name).status_code == 302
        regions = last_event(events, "speaking.list")["regions"]
    [row] = rows()
    assert row.name == " ".join(name.split())[:NAME_MAX]
    shown = compact(str(escape(row.name)))
    assert shown in regions["html"]["waiting"] and shown in regions["html"]["room-next"]
    if "<" in row.name:
        assert row.name not in regions["html"]["waiting"]
    phone, _room = anonymous_pages(app, meeting)
    assert regions["html"]["waiting"] == part_of(phone, "waiting")


def fill(meeting, count: int, start: int = 0) -> None:
    from plugins.facilitation.speakers import add_name as service_add

    for n in range(start, start + count):
        service_add(db.session.get(Assembly, meeting.assembly.id), meeting.item, f"Personne numéro {n:03d}",
                    "intervention", None)
    db.session.commit()


def event_bytes(message) -> int:
    """The size of the NOTIFY payload that carried ``message`` (convergence/live/backends.py)."""
    return len(encode("space:1", "speaking.list", message).encode())


def test_a_long_list_goes_packed_and_a_longer_one_is_left_out_keeping_to_notify(app, client, meeting):
    switch(client, meeting.facilitator)
    fill(meeting, 59)
    with subscribe(space_ref(meeting.assembly)) as events:
        assert add_name(client, meeting, "La soixantième").status_code == 302
        message = last_event(events, "speaking.list")
    regions = message["regions"]
    assert event_bytes(message) <= MAX_PAYLOAD
    # Too long as it is: the phones' list and the places go gzipped, the same HTML as drawn.
    assert set(regions["html"]) == {"speaker", "room-speaker", "room-next"}
    assert set(regions["packed"]) == {"waiting", "places"}
    unpacked = gzip.decompress(base64.b64decode(regions["packed"]["waiting"])).decode()
    phone, room = anonymous_pages(app, meeting)
    assert unpacked == part_of(phone, "waiting") and regions["html"]["room-next"] == part_of(room, "room-next")
    places = gzip.decompress(base64.b64decode(regions["packed"]["places"])).decode()
    assert re.findall(r'data-place="(\d+)"', places) == [str(n) for n in regions["order"]]
    assert len(regions["order"]) == 60 == len(rows())
    assert french("and %(count)d more", count=57) in " ".join(regions["html"]["room-next"].split())

    fill(meeting, 240, start=100)  # the places give way first: the phones on the list fetch theirs
    with subscribe(space_ref(meeting.assembly)) as events:
        assert add_name(client, meeting, "La trois-centième").status_code == 302
        message = last_event(events, "speaking.list")
    assert event_bytes(message) <= MAX_PAYLOAD
    assert set(message["regions"]["packed"]) == {"waiting"} and "places" not in message["regions"]["html"]
    assert len(message["regions"]["order"]) == 301

    fill(meeting, 360, start=400)  # far past what even gzipped fits: the phones fetch their page
    with subscribe(space_ref(meeting.assembly)) as events:
        assert add_name(client, meeting, "Une de plus").status_code == 302
        message = last_event(events, "speaking.list")
    assert event_bytes(message) <= MAX_PAYLOAD
    # The room display's parts still travel: they do not grow with the list.
    assert set(message["regions"]["html"]) == {"speaker", "room-speaker", "room-next"}
    assert "packed" not in message["regions"]
    assert len(message["regions"]["order"]) == 662
    assert french("and %(count)d more", count=659) in " ".join(message["regions"]["html"]["room-next"].split())


def test_your_place_is_a_fragment_of_its_own(app, client, meeting):
    alix, bao = meeting.people[:2]
    switch(client, alix)
    ask(client, meeting)
    switch(client, bao)
    ask(client, meeting)
    mine = client.get(meeting.list_url() + "/ma-place")
    html = mine.get_data(as_text=True)
    [_alix_row, bao_row] = rows()
    assert mine.status_code == 200 and "<html" not in html and 'data-live-part' not in html
    assert f'data-mine="{bao_row.id}"' in html
    assert french("You are number %(position)d on the list.", position=2) in " ".join(visible_text(mine).split())
    # Once Bao speaks, their fragment says so and still names their turn.
    switch(client, meeting.facilitator)
    give_floor(client, meeting, bao_row.id)
    switch(client, bao)
    speaking = client.get(meeting.list_url() + "/ma-place")
    assert f'data-mine="{bao_row.id}"' in speaking.get_data(as_text=True)
    assert french("You have the floor.") in visible_text(speaking)
    assert [r.state for r in rows()] == ["waiting", "speaking"]
    # Someone not on the list: no request to follow, the login link goes back to the list.
    anonymous = app.test_client().get(meeting.list_url() + "/ma-place").get_data(as_text=True)
    assert 'data-mine=""' in anonymous and 'data-closed="0"' in anonymous
    assert f'next={meeting.list_url()}"' in anonymous
