"""A consent round on the item under way, opened in one tap from the console through the
core's service: participants answer from their phone, the room display shows where it
stands, the console closes it, and the minutes list its outcome with a link."""

from __future__ import annotations

from convergence.extensions import db
from convergence.models.consent import ConsentAnswer
from convergence.testing import count_queries, visible_text
from plugins.facilitation.models import ItemRound

from .conftest import french, post, says, switch


def _rounds():
    return db.session.scalars(db.select(ItemRound).order_by(ItemRound.id)).all()


def test_a_round_opened_from_the_console_is_answered_shown_in_the_room_and_closed(client, meeting):
    base = f"/assemblees/{meeting.assembly.id}/ordre-du-jour/{meeting.item.id}/consentement"
    switch(client, meeting.facilitator)
    assert post(client, base + "/ouvrir", meeting.console).status_code == 302
    again = post(client, base + "/ouvrir", meeting.console)  # a second tap opens nothing more
    assert again.status_code == 409 and says(again, "A consent round is already open on this item.")
    [round_] = _rounds()
    assert (round_.item_id, round_.kind, round_.closed_at) == (meeting.item.id, "facilitation", None)
    alix, bao = meeting.people[:2]
    switch(client, alix)
    assert post(client, base + "/repondre", base, answer="consent", reason="").status_code == 302
    switch(client, bao)
    refused = post(client, base + "/repondre", base, answer="objection", reason="  ")
    assert refused.status_code == 422
    assert says(refused, "An objection needs its reason: say what you cannot accept, and why.")
    assert post(client, base + "/repondre", base, answer="objection",
                reason="Le menu oublie les allergies").status_code == 302
    room = visible_text(client.get(meeting.room))
    assert french("Consent round open") in room
    assert french("Consents: %(n)d", n=1) in room and french("Objections: %(n)d", n=1) in room
    assert "Le menu oublie les allergies" in visible_text(client.get(base))
    switch(client, meeting.facilitator)
    assert post(client, base + "/clore", meeting.console).status_code == 302
    db.session.expire_all()
    [round_] = _rounds()
    assert round_.outcome == "objections" and round_.closed_at is not None
    assert sorted(a.answer for a in db.session.scalars(db.select(ConsentAnswer))) == ["consent", "objection"]
    minutes = client.get(f"/assemblees/{meeting.assembly.id}/compte-rendu")
    assert f'href="{base}"' in minutes.get_data(as_text=True)
    assert french("Not adopted: objections remain to be treated") in visible_text(minutes)


def test_someone_outside_the_assembly_cannot_answer_and_nothing_is_written(client, meeting):
    base = f"/assemblees/{meeting.assembly.id}/ordre-du-jour/{meeting.item.id}/consentement"
    switch(client, meeting.facilitator)
    post(client, base + "/ouvrir", meeting.console)
    switch(client, meeting.outsider)
    answer = post(client, base + "/repondre", base, answer="consent", reason="")
    assert answer.status_code == 403
    assert db.session.scalars(db.select(ConsentAnswer)).all() == []
    switch(client, meeting.people[0])
    assert post(client, base + "/ouvrir", base).status_code == 403  # only the facilitation opens


def test_the_console_and_the_room_read_the_round_in_bounded_queries(app, client, meeting):
    from plugins.facilitation import item_rounds

    with app.test_request_context():
        round_ = item_rounds.open_on(meeting.assembly, meeting.item, meeting.facilitator)
        for person in meeting.people:
            item_rounds.answer(meeting.assembly, round_, person, "consent", "")
        db.session.commit()
    switch(client, meeting.facilitator)
    for page in (meeting.console, meeting.room):
        with count_queries(app) as statements:
            assert client.get(page).status_code == 200
        assert len(statements) <= 30, page
    assert french("Consents: %(n)d", n=4) in visible_text(client.get(meeting.console))
