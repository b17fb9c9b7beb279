"""A refused action draws its own page again — the message at the top, what the person
typed or chose still there — with a 4xx status, and nothing of it is written."""

from __future__ import annotations

import re
from datetime import timedelta

from convergence.extensions import db
from convergence.models import AuditEntry
from convergence.models.base import utcnow
from plugins.mj import api
from plugins.mj.models import Ballot, Code, Count, PaperBatch, Participation, SealedBallot, Vote
from tests.fixtures import browser_fields, csrf_token, login

from .conftest import ballot_data, logout, new_vote, option_ids, post_action, post_ballot, recorded, says

REFUSAL = re.compile(r'<div class="refusal error-summary" role="alert" tabindex="-1" id="refus">\s*<p>([^<]*)</p>')


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def french(msgid: str, escaped: bool = True, **variables) -> str:
    """The message in French as a page writes it: escaped when it comes from the code, as
    it is when the template translates it."""
    from flask_babel import force_locale, gettext
    from markupsafe import escape

    with force_locale("fr"):
        text = gettext(msgid, **variables)
    return str(escape(text)) if escaped else text


def refusal(response) -> str:
    """The message the core puts at the top of a page drawn again after a refusal."""
    found = REFUSAL.search(response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)[:3000]
    return found.group(1)


def chosen(page: str, option_id: int, grade: int) -> bool:
    return f'id="o{option_id}-g{grade}" name="option-{option_id}" value="{grade}" checked' in page


def is_the_ballot_page(response, vote) -> str:
    page = response.get_data(as_text=True)
    assert f'<form method="post" class="mj-ballot" action="/votes/{vote.id}/bulletin">' in page
    assert f"<title>{french('Error:')} " in page  # the title says the page comes back with an error
    return page


def test_a_ballot_after_the_close_comes_back_with_its_grades(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    a, b, c = option_ids(vote)
    login(client, room.members[0])
    data = ballot_data(client, vote.id, {a: 6, b: 2, c: 0})  # the page was open before the close
    api.close_vote(db.session.get(Vote, vote.id))
    response = client.post(f"/votes/{vote.id}/bulletin", data=data)
    assert response.status_code == 410
    assert refusal(response) == french("This vote is closed: ballots are no longer accepted.")
    page = is_the_ballot_page(response, vote)
    assert chosen(page, a, 6) and chosen(page, b, 2) and chosen(page, c, 0)
    assert (count(Participation), count(SealedBallot), count(Ballot)) == (0, 0, 0)


def test_a_ballot_before_the_opening_comes_back_with_its_grades(client, room):
    vote = new_vote(room, opens_at=utcnow() + timedelta(hours=2))
    a, b, c = option_ids(vote)
    login(client, room.members[0])
    response = post_ballot(client, vote.id, {a: 1, b: 3, c: 5})
    assert response.status_code == 403
    assert says(response, "This vote is not open yet.")
    page = is_the_ballot_page(response, vote)
    assert chosen(page, a, 1) and chosen(page, b, 3) and chosen(page, c, 5)
    assert count(Participation) == 0


def test_an_incomplete_ballot_comes_back_with_what_was_chosen(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    a, b, c = option_ids(vote)
    login(client, room.members[0])
    response = post_ballot(client, vote.id, {a: 4, c: 2})
    assert response.status_code == 422
    page = is_the_ballot_page(response, vote)
    assert chosen(page, a, 4) and chosen(page, c, 2) and f'id="o{b}-error"' in page
    assert says(response, "Your ballot was not recorded: give a grade to every option.")
    assert count(Participation) == 0 and count(SealedBallot) == 0


def test_a_second_ballot_without_its_receipt_asks_for_it_and_keeps_the_grades(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    a, b, c = option_ids(vote)
    login(client, room.members[0])
    recorded(post_ballot(client, vote.id, {a: 5, b: 5, c: 5}))
    response = post_ballot(client, vote.id, {a: 0, b: 1, c: 2})
    assert response.status_code == 409
    assert refusal(response) == french("You have already voted. To change your ballot, give the receipt you received.")
    page = is_the_ballot_page(response, vote)
    assert 'name="receipt" value=""' in page and chosen(page, a, 0) and chosen(page, c, 2)
    assert (count(Participation), count(SealedBallot)) == (1, 1)


def test_a_malformed_receipt_is_marked_on_its_field(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    a, b, c = option_ids(vote)
    login(client, room.members[0])
    first = recorded(post_ballot(client, vote.id, {a: 5, b: 5, c: 5}))
    response = post_ballot(client, vote.id, {a: 1, b: 1, c: 1}, receipt="pas un reçu")
    assert response.status_code == 422
    page = is_the_ballot_page(response, vote)
    assert 'name="receipt" value="pas un reçu"' in page and 'aria-invalid="true"' in page
    assert says(response, "This is not a receipt: a receipt looks like ABCD-EFGH-JKMN.")
    from .conftest import ballots_in_box

    assert ballots_in_box(vote.id) == {first: "555"}


def test_a_wrong_voting_code_comes_back_in_its_field(app, client, room):
    vote = new_vote(room, voters="codes", opens_at=utcnow())
    real = api.create_codes(vote, 1)[0].code
    url = f"/votes/{vote.id}/code"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "code": "ZZZZZ-99999"})
    assert response.status_code == 404
    assert refusal(response) == french("This voting code does not exist for this vote. Check what you typed.")
    page = response.get_data(as_text=True)
    assert 'value="ZZZZZ-99999"' in page and f"<title>{french('Error:')} " in page
    with client.session_transaction() as session:
        assert not session.get("mj_codes")
    # The same code from a QR code's link once used: the code page, the code in its field.
    client.get(f"{url}?c={real}")
    recorded(post_ballot(client, vote.id, {i: 3 for i in option_ids(vote)}))
    again = app.test_client().get(f"{url}?c={real.lower()}")
    assert again.status_code == 410 and f'value="{real.lower()}"' in again.get_data(as_text=True)
    assert refusal(again) == french("This voting code has already been used. If you voted with it, type your receipt "
                                   "below to change your ballot.")
    assert count(Participation) == 1


def paper_post(client, vote, counts, label):
    url = f"/votes/{vote.id}/depouillement-papier"
    data = {**browser_fields(client, url), "label": label}
    data.update({f"count-{option}-{grade}": str(n) for option, row in counts.items() for grade, n in enumerate(row)})
    return client.post(url, data=data)


def test_a_paper_batch_that_does_not_add_up_comes_back_as_typed(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    a, b, c = option_ids(vote)
    login(client, room.facilitator)
    response = paper_post(client, vote, {a: [0, 0, 3, 0, 0, 0, 1], b: [4, 0, 0, 0, 0, 0, 0], c: [0, 0, 0, 0, 0, 0, 3]},
                          "Urne de la salle des fêtes")
    assert response.status_code == 422
    assert refusal(response) == french(
        "Every option must have the same number of paper ballots: each ballot grades every option.")
    page = response.get_data(as_text=True)
    assert 'value="Urne de la salle des fêtes"' in page
    assert f'id="count-{a}-2" inputmode="numeric" max="1000000" min="0" name="count-{a}-2" type="number" value="3"' in page
    assert f'name="count-{c}-6" type="number" value="3"' in page
    assert (count(PaperBatch), count(Count)) == (0, 0)


def test_a_paper_batch_with_a_count_that_is_no_number_marks_its_option(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    a, b, c = option_ids(vote)
    login(client, room.facilitator)
    response = paper_post(client, vote, {a: [1, 0, 0, 0, 0, 0, 0], b: ["un", 0, 0, 0, 0, 0, 0], c: [1, 0, 0, 0, 0, 0, 0]},
                          "Urne 2")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert french("The batch was not recorded: correct the counts marked below.", escaped=False) in page
    assert f'id="c{b}-error"' in page and f'id="c{a}-error"' not in page
    assert f'name="count-{b}-0" type="number" value="un"' in page
    assert count(PaperBatch) == 0


def test_paper_after_the_close_is_refused_on_the_paper_page(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    a, b, c = option_ids(vote)
    login(client, room.facilitator)
    url = f"/votes/{vote.id}/depouillement-papier"
    fields = browser_fields(client, url)
    api.close_vote(db.session.get(Vote, vote.id))
    data = {**fields, f"count-{a}-0": "1", f"count-{b}-0": "1", f"count-{c}-0": "1"}
    response = client.post(url, data=data)
    assert response.status_code == 410
    assert refusal(response) == french("This vote is closed: paper ballots can no longer be added.")
    assert f"<h1>{french('Enter paper ballots')}</h1>" in response.get_data(as_text=True)
    assert count(PaperBatch) == 0


def test_codes_asked_after_the_close_are_refused_on_the_codes_page(client, room):
    vote = new_vote(room, voters="codes", opens_at=utcnow())
    login(client, room.facilitator)
    url = f"/votes/{vote.id}/codes"
    fields = browser_fields(client, url)
    api.close_vote(db.session.get(Vote, vote.id))
    response = client.post(url, data={**fields, "count": "5"})
    assert response.status_code == 409
    assert refusal(response) == french("This vote is closed.")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert count(Code) == 0


def test_a_vote_closed_twice_is_closed_once(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    login(client, room.facilitator)
    assert post_action(client, vote.id, "fermer").status_code == 302
    again = post_action(client, vote.id, "fermer")
    assert again.status_code == 409
    assert refusal(again) == french("Only an open vote can be closed.")
    closes = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                               .where(AuditEntry.action == "mj.vote.closed"))
    assert closes == 1


def test_a_vote_opened_twice_is_refused_on_the_vote_page(client, room):
    vote = new_vote(room)
    login(client, room.facilitator)
    assert post_action(client, vote.id, "ouvrir").status_code == 302
    again = post_action(client, vote.id, "ouvrir")
    assert again.status_code == 409
    assert refusal(again) == french("This vote is already open or closed.")
    assert "<h1>Que faire de la friche ?</h1>" in again.get_data(as_text=True)


def test_a_new_vote_refused_keeps_what_was_typed(client, room):
    login(client, room.facilitator)
    url = f"/assemblees/{room.assembly.id}/votes/nouveau"
    response = client.post(url, data={**browser_fields(client, url), "question": "Où planter les arbres ?",
                                      "options": "Place du marché\nplace du marché", "scale": "mj7",
                                      "voters": "members", "start": "later"})
    assert response.status_code == 422
    assert refusal(response) == french("The option « %(label)s » is given twice.", label="place du marché")
    page = response.get_data(as_text=True)
    assert 'value="Où planter les arbres ?"' in page and "Place du marché\nplace du marché</textarea>" in page
    assert count(Vote) == 0


def test_an_open_vote_cannot_be_changed_and_says_so(client, room):
    vote = new_vote(room, opens_at=utcnow())
    login(client, room.facilitator)
    response = client.get(f"/votes/{vote.id}/modifier")
    assert response.status_code == 409
    assert refusal(response) == french("A vote can only be changed before it opens.")
    assert 'name="question"' not in response.get_data(as_text=True)


def test_results_asked_for_before_the_close_say_when(client, room):
    vote = new_vote(room, opens_at=utcnow())
    for download in ("resultats.json", "resultats.csv"):
        response = client.get(f"/votes/{vote.id}/{download}")
        assert response.status_code == 403
        assert response.mimetype == "text/html"
        assert refusal(response) == french("The results are published when the vote closes.")
    response = client.get(f"/votes/{vote.id}/registre.json")
    assert response.status_code == 403
    assert refusal(response) == french("The register of ballots is published when the vote closes.")
    logout(client)
