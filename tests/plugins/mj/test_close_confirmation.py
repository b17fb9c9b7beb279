"""Closing a vote by hand is final, so it asks for confirmation: the vote's page links to a
page that says what closing does, whose button (a plain form: no JavaScript) closes."""

from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import force_locale, gettext, ngettext

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.mj.models import Ballot, Vote
from tests.fixtures import browser_fields, login

from .conftest import logout, new_vote, option_ids, post_ballot, recorded


def french(msgid: str, **variables) -> str:
    with force_locale("fr"):
        return gettext(msgid, **variables)


def fresh(vote_id: int) -> Vote:
    db.session.expire_all()
    return db.session.get(Vote, vote_id)


def test_closing_asks_first_then_closes(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    login(client, room.members[0])
    recorded(post_ballot(client, vote.id, {i: 4 for i in option_ids(vote)}))
    logout(client)
    login(client, room.facilitator)

    show = client.get(f"/votes/{vote.id}").get_data(as_text=True)
    close = f"/votes/{vote.id}/fermer"
    # The vote's page only links to the confirmation: no form there closes the vote.
    assert f'<a class="button" href="{close}">{french("Close voting now")}</a>' in show
    assert f'action="{close}"' not in show

    asked = client.get(close)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert f"<h1>{french('Close voting now?')}</h1>" in page
    with force_locale("fr"):
        assert ngettext("%(num)d ballot cast online", "%(num)d ballots cast online", 1) in page
    assert re.search(rf'<form method="post" action="{close}">\s*<input id="csrf_token"', page)
    assert f'<button type="submit" class="button danger">{french("Yes, close voting now")}</button>' in page
    assert f'<a href="/votes/{vote.id}">{french("No, back to the vote")}</a>' in page
    # Looking at the question closes nothing.
    assert fresh(vote.id).announced == "open" and fresh(vote.id).chain_head is None

    # The button of that page: its own form's fields, sent as a browser sends them.
    closed = client.post(close, data=browser_fields(client, close))
    assert closed.status_code == 302 and closed.headers["Location"].endswith(f"/votes/{vote.id}/resultats")
    vote = fresh(vote.id)
    assert vote.announced == "closed" and vote.chain_head and vote.chain_length == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 1


def test_the_confirmation_of_a_vote_that_is_not_open_closes_nothing(client, room):
    vote = new_vote(room)  # not open yet
    login(client, room.facilitator)
    page = client.get(f"/votes/{vote.id}/fermer").get_data(as_text=True)
    assert french("Only an open vote can be closed.") in page
    assert "<button" not in page.split('id="contenu"')[1].split("</main>")[0]
    assert fresh(vote.id).announced == "draft"


def test_only_the_facilitators_are_asked(client, room):
    vote = new_vote(room, opens_at=utcnow())
    login(client, room.members[0])
    assert client.get(f"/votes/{vote.id}/fermer").status_code == 403
    logout(client)
    assert client.get(f"/votes/{vote.id}/fermer").status_code == 302  # to the login page
    assert fresh(vote.id).announced == "open"


def test_a_confirmation_without_its_token_closes_nothing(client, room):
    vote = new_vote(room, opens_at=utcnow())
    login(client, room.facilitator)
    assert client.post(f"/votes/{vote.id}/fermer", data={}).status_code == 400
    assert fresh(vote.id).announced == "open"
