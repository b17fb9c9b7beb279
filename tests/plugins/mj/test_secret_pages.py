"""Pages holding voting secrets are never kept by a browser or proxy cache."""

from __future__ import annotations

from convergence.models.base import utcnow
from plugins.mj import api
from tests.fixtures import login

from .conftest import logout, new_vote, option_ids, post_action, post_ballot


def test_codes_and_their_printable_page_are_not_cached(app, client, room):
    vote = new_vote(room, voters="codes", opens_at=utcnow())
    api.create_codes(vote, 2)
    login(client, room.facilitator)
    for url in (f"/votes/{vote.id}/codes", f"/votes/{vote.id}/codes/imprimer"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store", url


def test_the_receipt_page_is_not_cached(app, client, room):
    vote = new_vote(room)
    login(client, room.facilitator)
    post_action(client, vote.id, "ouvrir")
    logout(client)
    login(client, room.members[0])
    # The receipt is shown in the answer to the ballot itself, which no cache may keep.
    receipt = post_ballot(client, vote.id, dict.fromkeys(option_ids(vote), 3))
    assert receipt.status_code == 200 and 'class="mj-receipt"' in receipt.data.decode()
    assert receipt.headers["Cache-Control"] == "private, no-store"
