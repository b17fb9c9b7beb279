"""In the room: single-use voting codes with QR codes, and paper ballots counted by hand."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.mj import api
from plugins.mj.models import Code, PaperBatch, Participation
from tests.fixtures import browser_fields, csrf_token, login

from .conftest import ballots_in_box, logout, new_vote, option_ids, post_action, post_ballot, recorded, says

CODE = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}")


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_codes_created_printed_and_used_once(app, client, room):
    vote = new_vote(room, voters="codes", opens_at=utcnow())
    login(client, room.facilitator)
    url = f"/votes/{vote.id}/codes"
    assert client.post(url, data={**browser_fields(client, url), "count": "3"}).status_code == 302
    codes = [c.code for c in db.session.scalars(db.select(Code).order_by(Code.id))]
    assert len(codes) == 3 and all(CODE.fullmatch(c) for c in codes)
    printable = client.get(f"/votes/{vote.id}/codes/imprimer").data.decode()
    assert all(c in printable for c in codes)
    assert printable.count('src="data:image/svg+xml;base64,') == 3 and "style=" not in printable
    logout(client)

    # Someone without an account scans the QR code: the code goes into the session.
    ids = option_ids(vote)
    landing = client.get(f"/votes/{vote.id}/code?c={codes[0].lower()}")
    assert landing.status_code == 302 and landing.headers["Location"].endswith(f"/votes/{vote.id}/bulletin")
    receipt = recorded(post_ballot(client, vote.id, {i: 4 for i in ids}))
    # The device forgets the code once the ballot is cast: the next person there types theirs.
    with client.session_transaction() as session:
        assert str(vote.id) not in session.get("mj_codes", {}) and receipt not in str(dict(session))
    assert client.get(f"/votes/{vote.id}/bulletin").headers["Location"].endswith(f"/votes/{vote.id}/code")

    # The same code again, in another browser: refused, nothing stored.
    other = app.test_client()
    reused = other.get(f"/votes/{vote.id}/code?c={codes[0]}")
    assert reused.status_code == 410
    assert says(reused, "This voting code has already been used. If you voted with it, type your receipt "
                        "below to change your ballot.")
    typed = other.post(f"/votes/{vote.id}/code", data={"csrf_token": csrf_token(other, f"/votes/{vote.id}/code"),
                                                       "code": codes[0]})
    assert typed.status_code == 410
    # A forged code.
    forged = other.get(f"/votes/{vote.id}/code?c=AAAAA-BBBBB")
    assert forged.status_code == 404
    assert says(forged, "This voting code does not exist for this vote. Check what you typed.")
    typed = other.post(f"/votes/{vote.id}/code", data={"csrf_token": csrf_token(other, f"/votes/{vote.id}/code"),
                                                       "code": "pas un code"})
    assert typed.status_code == 404
    # Without a code in the session, a ballot is refused.
    no_code = post_ballot(other, vote.id, {i: 0 for i in ids})
    assert no_code.status_code == 403
    assert says(no_code, "Enter your voting code before voting.")
    assert (count(Participation), len(ballots_in_box(vote.id))) == (1, 1)

    # The holder of the used code comes back with the receipt and changes the ballot: the
    # receipt comes back in the ballot form they are given, not through the session.
    back = other.post(f"/votes/{vote.id}/code", data={
        "csrf_token": csrf_token(other, f"/votes/{vote.id}/code"), "code": codes[0], "receipt": receipt})
    assert back.status_code == 200 and f'name="receipt" value="{receipt}"' in back.data.decode()
    with other.session_transaction() as session:
        assert receipt not in str(dict(session))
    assert recorded(post_ballot(other, vote.id, {i: 1 for i in ids}, receipt=receipt)) == receipt
    assert list(ballots_in_box(vote.id).values()) == ["111"]

    # A second code is a second ballot.
    third = app.test_client()
    third.get(f"/votes/{vote.id}/code?c={codes[1]}")
    recorded(post_ballot(third, vote.id, {i: 6 for i in ids}))
    assert (count(Participation), len(ballots_in_box(vote.id))) == (2, 2)
    login(client, room.facilitator)
    listing = client.get(url).data.decode()
    assert listing.count(codes[2]) == 1
    printable = client.get(f"/votes/{vote.id}/codes/imprimer").data.decode()
    assert codes[0] not in printable and codes[2] in printable


def test_members_cannot_vote_without_code_in_a_code_vote(client, room):
    vote = new_vote(room, voters="codes", opens_at=utcnow())
    login(client, room.members[0])
    assert client.get(f"/votes/{vote.id}/bulletin").status_code == 302
    assert post_ballot(client, vote.id, {i: 1 for i in option_ids(vote)}).status_code == 403
    assert count(Participation) == 0


def paper_form(client, vote, counts: dict[int, list[int]], label="Urne 1"):
    url = f"/votes/{vote.id}/depouillement-papier"
    data = {**browser_fields(client, url), "label": label}
    for option_id, row in counts.items():
        for grade, n in enumerate(row):
            data[f"count-{option_id}-{grade}"] = str(n)
    return client.post(url, data=data)


def test_paper_ballots_merged_and_shown_apart(app, client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    a, b, c = option_ids(vote)
    login(client, room.members[0])
    post_ballot(client, vote.id, {a: 6, b: 0, c: 3})
    logout(client)

    login(client, room.facilitator)
    page = client.get(f"/votes/{vote.id}/depouillement-papier").data.decode()
    assert page.count("<fieldset") == 3 and 'for="count-' in page
    # Options that do not add up to the same number of ballots: refused.
    response = paper_form(client, vote, {a: [0, 0, 0, 0, 1, 1, 0], b: [1, 0, 0, 0, 0, 0, 0], c: [0] * 7})
    assert response.status_code == 422
    assert says(response, "Every option must have the same number of paper ballots: each ballot grades every option.")
    response = paper_form(client, vote, {a: [0, -1, 0, 0, 1, 1, 0], b: [1, 1, 0, 0, 0, 0, 0], c: [0, 2, 0, 0, 0, 0, 0]})
    assert response.status_code == 422
    assert count(PaperBatch) == 0

    response = paper_form(client, vote, {a: [0, 0, 0, 0, 1, 1, 0], b: [1, 1, 0, 0, 0, 0, 0],
                                         c: [0, 0, 0, 0, 0, 0, 2]})
    assert response.status_code == 302
    batch = db.session.scalar(db.select(PaperBatch))
    assert batch.ballots == 2 and batch.label == "Urne 1"
    post_action(client, vote.id, "fermer")

    results = json.loads(client.get(f"/votes/{vote.id}/resultats.json").data)
    assert (results["online_ballots"], results["paper_ballots"], results["participants"]) == (1, 2, 3)
    by_option = {r["option"]: r for r in results["ranking"]}
    assert by_option["Jardin partagé"]["online"] == [0, 0, 0, 0, 0, 0, 1]
    assert by_option["Jardin partagé"]["paper"] == [0, 0, 0, 0, 1, 1, 0]
    assert by_option["Jardin partagé"]["tally"] == [0, 0, 0, 0, 1, 1, 1]
    assert [r["option"] for r in results["ranking"]] == ["Aire de jeux", "Jardin partagé", "Parking"]
    page = client.get(f"/votes/{vote.id}/resultats").data.decode()
    assert "<caption" in page and page.count("<table") == 2  # merged, then online/paper apart
    register = json.loads(client.get(f"/votes/{vote.id}/registre.json").data)
    assert register["paper"][0]["ballots"] == 2 and register["paper"][0]["counts"][2] == [0, 0, 0, 0, 0, 0, 2]

    # The register is fixed: no more paper.
    response = paper_form(client, vote, {a: [1] + [0] * 6, b: [1] + [0] * 6, c: [1] + [0] * 6})
    assert response.status_code == 410
    assert says(response, "This vote is closed: paper ballots can no longer be added.")
    assert count(PaperBatch) == 1


def test_paper_batch_can_be_withdrawn_before_close(client, room):
    vote = new_vote(room, opens_at=utcnow())
    a, b, c = option_ids(vote)
    batch = api.add_paper_batch(vote, {a: [1, 0, 0, 0, 0, 0, 0], b: [0, 1, 0, 0, 0, 0, 0], c: [0, 0, 1, 0, 0, 0, 0]})
    login(client, room.facilitator)
    url = f"/votes/{vote.id}/depouillement-papier/{batch.id}/supprimer"
    response = client.post(url, data=browser_fields(client, f"/votes/{vote.id}/depouillement-papier"))
    assert response.status_code == 302
    assert count(PaperBatch) == 0


def test_paper_only_vote(client, room):
    vote = new_vote(room, opens_at=utcnow())
    a, b, c = option_ids(vote)
    api.add_paper_batch(vote, {a: [0, 0, 0, 0, 0, 0, 3], b: [3, 0, 0, 0, 0, 0, 0], c: [0, 0, 0, 3, 0, 0, 0]})
    login(client, room.facilitator)
    post_action(client, vote.id, "fermer")
    results = json.loads(client.get(f"/votes/{vote.id}/resultats.json").data)
    assert [r["option"] for r in results["ranking"]] == ["Jardin partagé", "Aire de jeux", "Parking"]
    register = json.loads(client.get(f"/votes/{vote.id}/registre.json").data)
    assert register["count"] == 0 and register["entries"] == []


def test_the_results_csv_runs_no_formula_and_keeps_numbers(client, room):
    vote = new_vote(room, options=("=1+1", "-Parking", "@Jardin"), opens_at=utcnow())
    a, b, c = option_ids(vote)
    api.add_paper_batch(vote, {a: [0, 0, 0, 0, 0, 0, 3], b: [3, 0, 0, 0, 0, 0, 0], c: [0, 0, 0, 3, 0, 0, 0]})
    login(client, room.facilitator)
    post_action(client, vote.id, "fermer")
    text = client.get(f"/votes/{vote.id}/resultats.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [row[:2] for row in rows[1:]] == [["1", "'=1+1"], ["2", "'@Jardin"], ["3", "'-Parking"]]
    assert rows[1][3] == "3" and rows[1][4:11] == ["0"] * 6 + ["3"]
