"""The minutes: notes by a note-taker the facilitation names, the anonymous statistics,
the exports; the console's one tap to open a vote; what an account's erasure does."""

from __future__ import annotations

import csv
import io

from convergence.extensions import db
from convergence.testing import visible_text

from .conftest import french, post, rows, switch


def test_a_named_note_taker_writes_the_notes_and_the_minutes_show_them_with_the_figures(client, meeting):
    alix, bao = meeting.people[:2]
    notes = f"/assemblees/{meeting.assembly.id}/ordre-du-jour/{meeting.item.id}/notes"
    switch(client, bao)
    assert client.get(notes).status_code == 403  # not named yet
    switch(client, meeting.facilitator)
    takers = f"/assemblees/{meeting.assembly.id}/compte-rendu/prise-de-notes"
    assert post(client, takers, takers, user_id=str(bao.id), named="1").status_code == 302
    # Two turns on the first item: Alix twice (her first of the meeting, then again).
    from plugins.facilitation import speakers

    for _turn in range(2):
        speakers.ask(meeting.assembly, meeting.item, alix, "intervention", None)
        speakers.give_floor(meeting.assembly, meeting.item)
        speakers.end_turn(meeting.assembly, meeting.item)
        db.session.commit()
    switch(client, bao)
    answer = post(client, notes, notes, body="La cantine passe **en bio**.\n\n<script>x()</script>",
                  decisions="- Adopté par consentement")
    assert answer.status_code == 302
    page = client.get(f"/assemblees/{meeting.assembly.id}/compte-rendu")
    html = page.get_data(as_text=True)
    assert "<strong>en bio</strong>" in html and "<script>x()" not in html  # sanitised Markdown
    text = visible_text(page)
    assert "Adopté par consentement" in text
    assert "50 %" in text.replace("\u202f", " ").replace("\xa0", " ")  # one of two turns was a first
    assert "Alix" not in text  # anonymous figures
    markdown = client.get(f"/assemblees/{meeting.assembly.id}/compte-rendu.md")
    assert markdown.headers["Content-Disposition"].startswith("attachment")
    assert "La cantine passe **en bio**." in markdown.get_data(as_text=True)
    table = list(csv.reader(io.StringIO(client.get(
        f"/assemblees/{meeting.assembly.id}/statistiques-de-parole.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert table[1][:4] == ["1", "Accueil", french("No list"), "2"]


def test_the_console_offers_one_tap_to_open_a_vote_on_the_item(client, meeting):
    switch(client, meeting.facilitator)
    console = client.get(meeting.console).get_data(as_text=True)
    link = f"/assemblees/{meeting.assembly.id}/votes/nouveau?question=Accueil"
    assert f'href="{link}"' in console
    form = client.get(link).get_data(as_text=True)
    assert 'name="question"' in form and 'value="Accueil"' in form


def test_erasing_an_account_keeps_the_turns_counted_without_the_name(app, meeting):
    from convergence.accounts.erasure import erase
    from plugins.facilitation import speakers

    alix = meeting.people[0]
    with app.test_request_context():
        speakers.ask(meeting.assembly, meeting.item, alix, "intervention", None)
        speakers.give_floor(meeting.assembly, meeting.item)
        speakers.end_turn(meeting.assembly, meeting.item)
        speakers.ask(meeting.assembly, meeting.item, alix, "intervention", None)
        db.session.commit()
        erase(alix, keep_contributions=True)
        db.session.commit()
    [turn] = rows()
    assert (turn.user_id, turn.state, turn.name) == (None, "done", french("deleted account"))
    assert turn.person.startswith("x:") and turn.person != f"u:{alix.id}"


def test_the_room_display_shows_the_vote_open_in_the_assembly(client, meeting):
    from datetime import timedelta

    from convergence.models.base import utcnow
    from plugins.mj import api

    assert french("Vote open") not in visible_text(client.get(meeting.room))
    api.create_vote(meeting.assembly, "Quel menu pour la cantine ?", ["Bio", "Local"],
                    opens_at=utcnow() - timedelta(minutes=1))
    text = visible_text(client.get(meeting.room))
    assert french("Vote open") in text and "Quel menu pour la cantine ?" in text


def test_the_console_reads_out_the_figures_of_the_item_just_ended(client, meeting):
    """« Point suivant »: the console shows the item that ended in figures, and the meeting
    so far: anonymous, from the turns actually given."""
    alix, bao = meeting.people[:2]
    from plugins.facilitation import speakers

    switch(client, meeting.facilitator)
    assert french("Speaking in figures") not in visible_text(client.get(meeting.console))  # nobody spoke yet
    for person in (alix, bao, alix):
        speakers.ask(meeting.assembly, meeting.item, person, "intervention", None)
        speakers.give_floor(meeting.assembly, meeting.item)
        speakers.end_turn(meeting.assembly, meeting.item)
        db.session.commit()
    next_url = f"/assemblees/{meeting.assembly.id}/animation/suivant"
    assert post(client, next_url, meeting.console, confirmed="1").status_code == 302
    text = visible_text(client.get(meeting.console))
    assert french("The previous item, « %(title)s »", title="Accueil") in text
    assert french("The meeting so far") in text
    assert text.count("en tout, par 2 personnes") == 2 and "3 interventions" in text  # the item and the meeting
    assert "67 %" in text.replace("\u202f", " ").replace("\xa0", " ")  # two of three were firsts
    assert "Alix" not in text.split(french("Speaking in figures"))[1]
