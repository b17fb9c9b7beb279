"""Whatever is typed in each form of the plug-in: a page with a message in French (4xx),
or exactly what was meant is written — never a server error, never half of it."""

from __future__ import annotations

import re
import string
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.mj import api
from plugins.mj.models import Code, Count, PaperBatch, Participation, Vote
from tests.fixtures import browser_fields, csrf_token, login

from .conftest import ballots_in_box, new_vote, option_ids, recorded, says

FIXTURES = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# What people type in a number field: digits, signs, separators, other scripts' digits, words.
NUMBER_LIKE = st.one_of(
    st.integers(min_value=-5, max_value=1_000_010).map(str),
    st.text(alphabet=string.digits + " -+.,e²١", max_size=12),
    st.sampled_from(["", " ", "deux", "1e3", "0x10", "99999999999", "7 ", "١٢", "²"]),
)


def number(raw: str) -> int | None:
    """What a person meant by ``raw``, if it is a whole number written with 1 to 10 ASCII digits."""
    text = raw.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else None


def gate_refuses(*texts: str) -> bool:
    """An invisible control character, refused at the door with a 400 (web/inputs.py)."""
    return any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text) for text in texts)


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def the_vote(room, question: str, **kwargs) -> Vote:
    """One vote per test, made at its first example and found again at the next ones."""
    vote = db.session.scalar(db.select(Vote).where(Vote.question == question))
    return vote or new_vote(room, question=question, **kwargs)


# -- the ballot (BallotForm) -------------------------------------------------------------

@settings(max_examples=40, **FIXTURES)
@given(grades=st.lists(NUMBER_LIKE, min_size=3, max_size=3), receipt=st.one_of(st.just(""), st.text(max_size=50)))
def test_whatever_is_sent_as_a_ballot(app, room, grades, receipt):
    vote = the_vote(room, "Bulletins au hasard", voters="codes", opens_at=utcnow() - timedelta(minutes=1))
    ids = option_ids(vote)
    client = app.test_client()
    client.get(f"/votes/{vote.id}/code?c={api.create_codes(vote, 1)[0].code}")
    before = ballots_in_box(vote.id)
    data = {f"option-{option}": grade for option, grade in zip(ids, grades)}
    data["csrf_token"] = csrf_token(client, f"/votes/{vote.id}/bulletin")
    if receipt:
        data["receipt"] = receipt
    response = client.post(f"/votes/{vote.id}/bulletin", data=data)
    meant = all(number(g) is not None and number(g) < vote.n_grades for g in grades)
    if gate_refuses(receipt, *grades):
        assert response.status_code == 400
    elif meant and not receipt.strip():
        receipt_shown = recorded(response)
        after = ballots_in_box(vote.id)
        assert after[receipt_shown] == "".join(str(number(g)) for g in grades)
        assert len(after) == len(before) + 1
    else:
        # A grade off the scale, or a receipt no ballot of this voter has: refused in place.
        assert response.status_code in (409, 422), response.status_code
        assert ballots_in_box(vote.id) == before


# -- a batch of paper ballots (PaperBatchForm) -------------------------------------------

@settings(max_examples=40, **FIXTURES)
@given(counts=st.lists(NUMBER_LIKE, min_size=21, max_size=21), label=st.text(max_size=140))
def test_whatever_is_typed_as_a_paper_batch(app, room, counts, label):
    vote = the_vote(room, "Papier au hasard", opens_at=utcnow() - timedelta(minutes=1))
    ids = option_ids(vote)
    client = app.test_client()
    login(client, room.facilitator)
    url = f"/votes/{vote.id}/depouillement-papier"
    data = {**browser_fields(client, url), "label": label}
    rows = {option: counts[7 * k:7 * k + 7] for k, option in enumerate(ids)}
    data.update({f"count-{option}-{grade}": raw for option, row in rows.items() for grade, raw in enumerate(row)})
    batches, judgments = count(PaperBatch), db.session.scalar(db.select(db.func.coalesce(db.func.sum(Count.count), 0)))
    response = client.post(url, data=data)
    numbers = {option: [number(raw.strip() or "0") for raw in row] for option, row in rows.items()}
    readable = all(n is not None and n <= 1_000_000 for row in numbers.values() for n in row)
    totals = {sum(row) for row in numbers.values()} if readable else set()
    if gate_refuses(label, *counts):
        assert response.status_code == 400
        assert count(PaperBatch) == batches
    elif readable and len(totals) == 1 and totals != {0} and len(label.strip()) <= 120:
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        assert count(PaperBatch) == batches + 1
        batch = db.session.scalar(db.select(PaperBatch).order_by(PaperBatch.id.desc()))
        assert batch.ballots == totals.pop()
    else:
        assert response.status_code in (400, 422), response.status_code
        assert count(PaperBatch) == batches
        assert db.session.scalar(db.select(db.func.coalesce(db.func.sum(Count.count), 0))) == judgments


# -- a new vote (VoteForm) ---------------------------------------------------------------

@settings(max_examples=30, **FIXTURES)
@given(question=st.text(max_size=320), options=st.text(max_size=200),
       scale=st.sampled_from(["mj7", "mj5", "custom", "nope", ""]), custom=st.text(max_size=80),
       start=st.sampled_from(["later", "now", "scheduled", "jamais"]), closes=st.sampled_from(["", "2999-01-01T10:00", "1000-01-01T00:00", "demain"]))
def test_whatever_is_typed_as_a_new_vote(app, room, question, options, scale, custom, start, closes):
    client = app.test_client()
    login(client, room.facilitator)
    url = f"/assemblees/{room.assembly.id}/votes/nouveau"
    before = count(Vote)
    response = client.post(url, data={**browser_fields(client, url), "question": question, "options": options,
                                      "scale": scale, "custom_grades": custom, "voters": "members",
                                      "start": start, "closes_at": closes})
    assert response.status_code in (302, 400, 422), response.status_code
    if response.status_code == 302:
        vote = db.session.scalar(db.select(Vote).order_by(Vote.id.desc()))
        assert count(Vote) == before + 1 and vote.question == " ".join(question.split())
        assert [o.label for o in vote.options] == [" ".join(line.split()) for line in options.splitlines()
                                                  if line.strip()]
    else:
        assert count(Vote) == before


# -- voting codes (CodesForm, CodeEntryForm, CodeLinkForm) --------------------------------

@settings(max_examples=25, **FIXTURES)
@given(asked=NUMBER_LIKE)
def test_whatever_is_typed_as_a_number_of_codes(app, room, asked):
    vote = the_vote(room, "Codes au hasard", voters="codes")
    client = app.test_client()
    login(client, room.facilitator)
    url = f"/votes/{vote.id}/codes"
    before = count(Code)
    response = client.post(url, data={**browser_fields(client, url), "count": asked})
    wanted = number(asked)
    if wanted is not None and 1 <= wanted <= 1000:
        assert response.status_code == 302 and count(Code) == before + wanted
    else:
        assert response.status_code == 422 and count(Code) == before
        assert response.headers["Cache-Control"] == "private, no-store"


def test_a_voting_code_or_receipt_that_cannot_be_one(client, room):
    vote = new_vote(room, voters="codes", opens_at=utcnow())
    url = f"/votes/{vote.id}/code"
    for typed in ({"code": ""}, {"code": "A" * 41}, {"code": "ABCDE-12345", "receipt": "R" * 41},
                  {"code": "ABCDE-12345", "receipt": "pas un reçu"}):
        response = client.post(url, data={"csrf_token": csrf_token(client, url), **typed})
        assert response.status_code == 422, typed
        assert 'class="error"' in response.get_data(as_text=True)
    too_long = client.get(f"{url}?c={'A' * 200}")
    assert too_long.status_code == 404
    assert says(too_long, "This voting code does not exist for this vote. Check what you typed.")
    with client.session_transaction() as session:
        assert not session.get("mj_codes")
    assert count(Participation) == 0


# -- the register's search (RegisterLookupForm) and the printed sheet (SheetForm) ---------

def test_a_receipt_searched_that_cannot_be_one(client, room):
    vote = new_vote(room, opens_at=utcnow())
    login(client, room.members[0])
    from .conftest import post_ballot

    receipt = recorded(post_ballot(client, vote.id, {i: 2 for i in option_ids(vote)}))
    api.close_vote(db.session.get(Vote, vote.id))
    page = client.get(f"/votes/{vote.id}/registre?receipt={'X' * 60}")
    assert page.status_code == 200 and 'class="error"' in page.get_data(as_text=True)
    assert receipt not in page.get_data(as_text=True)
    found = client.get(f"/votes/{vote.id}/registre?receipt={receipt.lower()}")
    assert f"{receipt}" in found.get_data(as_text=True)


def test_copies_of_the_paper_ballot_whatever_is_asked(client, room):
    vote = new_vote(room)
    login(client, room.facilitator)
    for asked, copies in (("abc", 1), ("0", 1), ("-3", 1), ("3", 3), ("999", 50), ("99999999999", 1), ("²", 1)):
        page = client.get(f"/votes/{vote.id}/feuille?exemplaires={asked}")
        assert page.status_code == 200, asked
        assert page.get_data(as_text=True).count('class="mj-sheet mj-sheet-copy"') == copies, asked
