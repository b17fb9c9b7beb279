"""A vote opened in one tap from the console on the item under way: open at once, shown on
the room display, and listed with its outcome and link in the minutes, nobody typing it."""

from __future__ import annotations

from convergence.extensions import db
from convergence.testing import browser_fields, count_queries, post_twice, says_replayed, visible_text
from plugins.facilitation.decisions import option_labels
from plugins.facilitation.models import ItemVote

from .conftest import french, says, switch


def post(client, url, page, **data):
    return client.post(url, data={**data, **browser_fields(client, page)})


def _votes():
    from plugins.mj.models import Vote

    return db.session.scalars(db.select(Vote).order_by(Vote.id)).all()


def test_the_console_opens_a_vote_on_the_item_at_once_and_the_room_shows_it(client, meeting):
    switch(client, meeting.facilitator)
    url = f"/assemblees/{meeting.assembly.id}/ordre-du-jour/{meeting.item.id}/vote"
    answer = post(client, url, meeting.console, options="Bio\n\n  Local  \nBio\nSurgelé")
    assert answer.status_code == 302
    [vote] = _votes()
    from plugins.mj import api

    assert vote.question == "Accueil" and api.status(vote) == "open"
    assert [o.label for o in sorted(vote.options, key=lambda o: o.position)] == ["Bio", "Local", "Surgelé"]
    assert [(link.item_id, link.vote_id) for link in db.session.scalars(db.select(ItemVote))] == \
        [(meeting.item.id, vote.id)]
    room = visible_text(client.get(meeting.room))
    assert french("Vote open") in room and "Accueil" in room
    minutes = client.get(f"/assemblees/{meeting.assembly.id}/compte-rendu")
    with client.application.test_request_context():
        assert f'href="{api.vote_url(vote)}"' in minutes.get_data(as_text=True)
    assert french("Voting open") in visible_text(minutes)


def test_a_vote_needs_two_options_said_in_french_and_nothing_is_written(client, meeting):
    switch(client, meeting.facilitator)
    url = f"/assemblees/{meeting.assembly.id}/ordre-du-jour/{meeting.item.id}/vote"
    answer = post(client, url, meeting.console, options="Une seule\n  \n")
    assert answer.status_code == 422
    assert says(answer, "Write at least two options, one a line.")
    assert "Une seule" in answer.get_data(as_text=True)  # what was typed is kept
    assert _votes() == [] and db.session.scalars(db.select(ItemVote)).all() == []


def test_sending_the_vote_form_twice_opens_one_vote(client, meeting):
    switch(client, meeting.facilitator)
    url = f"/assemblees/{meeting.assembly.id}/ordre-du-jour/{meeting.item.id}/vote"
    first, second = post_twice(client, meeting.console, url, {"options": "Oui\nNon"})
    assert first.status_code == 302 and says_replayed(second)
    assert len(_votes()) == 1


def test_only_the_facilitation_opens_a_vote(client, meeting):
    switch(client, meeting.people[0])
    url = f"/assemblees/{meeting.assembly.id}/ordre-du-jour/{meeting.item.id}/vote"
    assert post(client, url, meeting.list_url(), options="Oui\nNon").status_code == 403
    assert _votes() == []


def test_the_minutes_give_the_chosen_option_once_the_vote_closed_in_bounded_queries(app, client, meeting):
    from plugins.facilitation import decisions
    from plugins.mj import api

    with app.test_request_context():
        for item in meeting.items:
            vote = decisions.open_vote_on(meeting.assembly, item, meeting.facilitator, "Bio\nLocal")
        api.close_vote(vote, meeting.facilitator)
    with count_queries(app) as statements:
        page = client.get(f"/assemblees/{meeting.assembly.id}/compte-rendu")
    text = visible_text(page)
    assert french("Voting closed") in text and text.count(french("Voting open")) == 2
    assert len(statements) <= 40
    markdown = client.get(f"/assemblees/{meeting.assembly.id}/compte-rendu.md").get_data(as_text=True)
    with app.test_request_context():
        assert f"({app.config['PUBLIC_URL'].rstrip('/')}{api.vote_url(vote)})" in markdown


def test_option_lines_are_cleaned_pure():
    assert option_labels(" a \r\n\n b\tc \na") == ["a", "b c"]
    assert option_labels("") == []


def test_the_console_offers_the_usual_options_so_one_tap_opens_the_vote(client, meeting):
    """The form comes filled with « Adopter » and « Ne pas adopter »: pressing « Ouvrir le
    vote » as it is opens the vote on the item with those two options."""
    import html
    import re

    switch(client, meeting.facilitator)
    page = client.get(meeting.console).get_data(as_text=True)
    typed = html.unescape(re.search(r'<textarea[^>]*name="options"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    assert typed.strip().splitlines() == ["Adopter", "Ne pas adopter"]
    url = f"/assemblees/{meeting.assembly.id}/ordre-du-jour/{meeting.item.id}/vote"
    assert post(client, url, meeting.console, options=typed).status_code == 302
    [vote] = _votes()
    assert [o.label for o in sorted(vote.options, key=lambda o: o.position)] == ["Adopter", "Ne pas adopter"]
