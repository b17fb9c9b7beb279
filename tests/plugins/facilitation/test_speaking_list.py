"""The speaking list from a phone and from the console, without JavaScript: what each page
says, and what the database holds after each button."""

from __future__ import annotations

from datetime import timedelta

from convergence.extensions import db
from convergence.live import subscribe
from convergence.models import Assembly
from convergence.spaces import space_ref
from convergence.testing import count_queries, login, post_twice, says_replayed, visible_text

from .conftest import french, post, rows, says, switch


def ask(client, meeting, kind="intervention", item=None, **extra):
    url = meeting.list_url(item)
    return post(client, url + "/demander", url, kind=kind, **extra)


def give_floor(client, meeting, request_id="", item=None):
    return post(client, meeting.list_url(item) + "/donner", meeting.console, request_id=str(request_id))


def test_a_participant_asks_to_speak_from_their_phone_and_sees_their_place(client, meeting):
    alix = meeting.people[0]
    switch(client, alix)
    page = client.get(meeting.list_url())
    assert "Accueil" in visible_text(page) and 'name="kind"' in page.get_data(as_text=True)
    response = ask(client, meeting)
    assert response.status_code == 302 and response.headers["Location"].endswith(meeting.list_url())
    [row] = rows()
    assert (row.user_id, row.person, row.name, row.kind, row.state) == (alix.id, f"u:{alix.id}", "Alix",
                                                                       "intervention", "waiting")
    text = visible_text(client.get(meeting.list_url()))
    assert french("You are number %(position)d on the list.", position=1) in text
    assert french("Nobody who asked before you is behind you: arrival order.") in text


def test_asking_twice_keeps_one_request_and_says_so_on_the_page(client, meeting):
    switch(client, meeting.people[0])
    assert ask(client, meeting).status_code == 302
    again = ask(client, meeting, kind="reply")
    assert again.status_code == 409
    assert says(again, "You are already on the speaking list.")
    assert [r.kind for r in rows()] == ["intervention"]


def test_the_database_refuses_a_second_waiting_request_whatever_the_code_does(app, meeting):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from plugins.facilitation.models import SpeakingRequest

    person = meeting.people[0]
    for _n in range(2):
        db.session.add(SpeakingRequest(assembly_id=meeting.assembly.id, item_id=meeting.item.id,
                                       person=f"u:{person.id}", name="Alix", user_id=person.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert rows() == []


def test_a_point_of_procedure_goes_on_top_and_a_first_time_speaker_before_someone_heard(client, meeting):
    alix, bao, chloe = meeting.people[:3]
    switch(client, alix)
    ask(client, meeting)
    switch(client, meeting.facilitator)
    assert give_floor(client, meeting).status_code == 302  # Alix speaks: the first of the fair order
    switch(client, alix)
    ask(client, meeting)  # Alix asks again: she has spoken in this item
    switch(client, bao)
    ask(client, meeting)
    switch(client, chloe)
    ask(client, meeting, kind="procedure")
    waiting = [r for r in rows() if r.state == "waiting"]
    assert [r.name for r in waiting] == ["Alix", "Bao", "Chloé"]
    switch(client, bao)
    text = visible_text(client.get(meeting.list_url()))
    assert french("You are number %(position)d on the list.", position=2) in text
    assert french("You go before %(name)s because it is your first time speaking.", name="Alix") in text
    switch(client, alix)
    text = visible_text(client.get(meeting.list_url()))
    assert french("You are number %(position)d on the list.", position=3) in text
    assert french("%(name)s goes before you because it is their first time speaking.", name="Bao") in text
    switch(client, meeting.facilitator)
    console = visible_text(client.get(meeting.console))
    assert console.index("1. Chloé") < console.index("2. Bao") < console.index("3. Alix")
    assert french("Give the floor to %(name)s", name="Chloé") in console
    give_floor(client, meeting)
    assert [(r.name, r.state) for r in rows()] == [("Alix", "done"), ("Alix", "waiting"), ("Bao", "waiting"),
                                                   ("Chloé", "speaking")]


def test_the_facilitator_adds_a_name_once_and_the_same_name_is_refused_next_to_the_field(client, meeting):
    switch(client, meeting.facilitator)
    url = meeting.list_url() + "/ajouter"
    first, second = post_twice(client, meeting.console, url, {"name": "  Marie   Curie ", "kind": "intervention"})
    assert first.status_code == 302 and says_replayed(second)
    [row] = rows()
    assert (row.user_id, row.person, row.name) == (None, "n:marie curie", "Marie Curie")
    from convergence.testing import browser_fields

    again = client.post(url, data={"name": "marie curie", "kind": "intervention",
                                   **browser_fields(client, meeting.console)})
    assert again.status_code == 409
    assert says(again, "%(name)s is already on the speaking list.", name="marie curie")
    assert 'value="marie curie"' in again.get_data(as_text=True)  # what was typed is kept
    assert len(rows()) == 1


def test_a_closed_list_takes_no_request_and_reopens(client, meeting):
    switch(client, meeting.facilitator)
    assert post(client, meeting.list_url() + "/fermer", meeting.console).status_code == 302
    switch(client, meeting.people[0])
    page = client.get(meeting.list_url())
    assert 'name="kind"' not in page.get_data(as_text=True)
    assert french("The speaking list of this item is closed.") in visible_text(page)
    refused = ask(client, meeting)
    assert refused.status_code == 409 and rows() == []
    switch(client, meeting.facilitator)
    post(client, meeting.list_url() + "/rouvrir", meeting.console)
    switch(client, meeting.people[0])
    assert ask(client, meeting).status_code == 302 and len(rows()) == 1


def test_withdrawing_and_removing_and_clearing(client, meeting):
    alix, bao, chloe = meeting.people[:3]
    for person in (alix, bao, chloe):
        switch(client, person)
        ask(client, meeting)
    switch(client, alix)
    assert post(client, meeting.list_url() + "/retirer", meeting.list_url()).status_code == 302
    assert post(client, meeting.list_url() + "/retirer", meeting.list_url()).status_code == 302  # twice: harmless
    switch(client, meeting.facilitator)
    bao_row = next(r for r in rows() if r.name == "Bao")
    remove = f"{meeting.list_url()}/{bao_row.id}/enlever"
    confirm = client.get(remove)
    assert confirm.status_code == 200
    assert french("Remove %(name)s from the speaking list of « %(item)s »?", name="Bao", item="Accueil") in \
        visible_text(confirm)
    assert next(r for r in rows() if r.name == "Bao").state == "waiting"  # opening the page removes nothing
    post(client, remove, remove)
    clear = meeting.list_url() + "/vider"
    assert client.get(clear).status_code == 200
    post(client, clear, clear)
    assert [(r.name, r.state) for r in rows()] == [("Alix", "withdrawn"), ("Bao", "withdrawn"), ("Chloé", "withdrawn")]


def test_the_timer_is_right_at_load_pauses_and_runs_out(client, meeting):
    switch(client, meeting.people[0])
    ask(client, meeting)
    switch(client, meeting.facilitator)
    give_floor(client, meeting)
    [turn] = rows()
    assert turn.state == "speaking" and turn.running_since is not None and turn.allotted == 120
    assert post(client, meeting.list_url() + "/minuteur/pause", meeting.console).status_code == 302
    [turn] = rows()
    assert turn.running_since is None and 0 <= turn.counted < 5
    assert french("Timer paused") in visible_text(client.get(meeting.room))
    post(client, meeting.list_url() + "/minuteur/start", meeting.console)
    # The turn started 130 s ago: any page loaded now says the time is up, without JavaScript.
    [turn] = rows()
    turn.running_since -= timedelta(seconds=130)
    db.session.commit()
    room = client.get(meeting.room)
    assert 'data-state="over"' in room.get_data(as_text=True)
    assert french("Time is up") in visible_text(room) and "-0:1" in visible_text(room)
    post(client, meeting.list_url() + "/terminer", meeting.console)
    [turn] = rows()
    assert turn.state == "done" and turn.running_since is None and turn.counted >= 130


def test_the_room_display_has_no_site_header_and_shows_the_speaker_and_the_next_three(client, meeting, make):
    names = ["Alix", "Bao", "Chloé", "Dominique"]
    for person in meeting.people:
        switch(client, person)
        ask(client, meeting)
    extra = make.user("Eden")
    make.role(extra, "resident", commune=meeting.commune)
    switch(client, extra)
    ask(client, meeting)
    switch(client, meeting.facilitator)
    give_floor(client, meeting)
    room = client.get(meeting.room)
    html = room.get_data(as_text=True)
    assert "site-header" not in html and "site-footer" not in html
    text = visible_text(room)
    assert "Accueil" in text and "Alix" in text and "2:00" in text
    for name in names[1:]:
        assert name in text
    assert "Eden" not in text and french("and %(count)d more", count=1) in text


def test_next_item_moves_the_meeting_on_and_says_it_on_the_live_channel(client, meeting):
    switch(client, meeting.people[0])
    ask(client, meeting)
    switch(client, meeting.facilitator)
    give_floor(client, meeting)
    with subscribe(space_ref(meeting.assembly)) as events:
        assert post(client, meeting.console + "/suivant", meeting.console).status_code == 302
        received = [events.get(2), events.get(2)]
    assert {e["event"] for e in received} == {"speaking.floor", "agenda.moved"}
    db.session.expire_all()
    assert db.session.get(Assembly, meeting.assembly.id).current_item_id == meeting.items[1].id
    assert [r.state for r in rows()] == ["done"]  # the turn ended with its item
    console = visible_text(client.get(meeting.console))
    assert "Cantine scolaire" in console and "Jardins partagés" in console


def test_a_request_and_the_floor_go_out_on_the_live_channel(client, meeting):
    with subscribe(space_ref(meeting.assembly)) as events:
        switch(client, meeting.people[0])
        ask(client, meeting)
        listed = events.get(2)
        assert listed["event"] == "speaking.list" and listed["data"]["item_id"] == meeting.item.id
        switch(client, meeting.facilitator)
        give_floor(client, meeting)
        floor = events.get(2)
        assert floor["event"] == "speaking.floor"
        assert (floor["data"]["item_id"], floor["data"]["name"]) == (meeting.item.id, "Alix")
        # What the regions the events carry say: test_live_regions.py.
        assert listed["data"]["regions"]["order"] == [rows()[0].id] and floor["data"]["regions"]["order"] == []


def test_who_may_do_what(client, meeting):
    url = meeting.list_url()
    assert client.get(url).status_code == 200  # anyone reads the list
    assert french("Log in to ask to speak from your phone, or raise your hand: the facilitation adds your name.") \
        in visible_text(client.get(url))
    switch(client, meeting.outsider)
    assert ask(client, meeting).status_code == 403
    assert client.get(meeting.console).status_code == 403
    switch(client, meeting.people[0])
    assert client.get(meeting.console).status_code == 403
    assert post(client, url + "/donner", url).status_code == 403
    assert rows() == []


def test_the_console_reads_a_bounded_number_of_queries_whatever_the_list(app, client, meeting, make):
    switch(client, meeting.facilitator)

    def queries() -> int:
        with count_queries(app) as statements:
            assert client.get(meeting.console).status_code == 200
        return len(statements)

    from plugins.facilitation.speakers import add_name

    add_name(meeting.assembly, meeting.item, "Une personne", "intervention", None)
    db.session.commit()
    few = queries()
    for n in range(30):
        add_name(db.session.get(Assembly, meeting.assembly.id), meeting.item, f"Personne {n}", "intervention", None)
    db.session.commit()
    assert queries() == few


def test_the_phone_page_and_the_room_display_read_a_bounded_number_of_queries(app, client, meeting):
    from plugins.facilitation.speakers import add_name

    switch(client, meeting.people[0])
    ask(client, meeting)

    def queries(url) -> int:
        with count_queries(app) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    few = {url: queries(url) for url in (meeting.list_url(), meeting.room)}
    for n in range(30):
        add_name(db.session.get(Assembly, meeting.assembly.id), meeting.item, f"Personne {n}", "reply", None)
    db.session.commit()
    assert {url: queries(url) for url in few} == few


def test_with_delegations_the_one_not_yet_heard_goes_first_and_everyone_is_told_why(client, meeting):
    from convergence.space_settings import write_settings

    write_settings(meeting.assembly, "facilitation", {"first_time": "off", "lists": "unheard",
                                                      "list_names": "Commercy, Saillans"})
    db.session.commit()
    alix, bao, chloe = meeting.people[:3]
    switch(client, alix)
    ask(client, meeting, group="Commercy")
    switch(client, meeting.facilitator)
    give_floor(client, meeting)  # Commercy has been heard
    switch(client, bao)
    ask(client, meeting, group="Commercy")
    switch(client, chloe)
    refused = ask(client, meeting, group="Ailleurs")
    assert refused.status_code == 422 and says(refused, "Choose one of the lists offered.")
    ask(client, meeting, group="Saillans")
    assert [(r.name, r.group, r.state) for r in rows()] == [("Alix", "Commercy", "speaking"),
                                                            ("Bao", "Commercy", "waiting"),
                                                            ("Chloé", "Saillans", "waiting")]
    text = visible_text(client.get(meeting.list_url()))
    assert french("You are number %(position)d on the list.", position=1) in text
    assert french("You go before %(name)s because your list has not been heard yet in this item.",
                  name="Bao") in text
    switch(client, bao)
    assert french("%(name)s goes before you because their list has not been heard yet in this item.",
                  name="Chloé") in visible_text(client.get(meeting.list_url()))
