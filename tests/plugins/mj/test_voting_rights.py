"""Voting rights come from membership: a site administrator with no role has no ballot,
yet keeps the right to run the vote."""

from __future__ import annotations

from convergence.extensions import db
from plugins.mj.models import Ballot, Participation
from tests.fixtures import login

from .conftest import recorded, logout, new_vote, option_ids, post_action, post_ballot


def test_a_site_administrator_without_a_role_cannot_vote(app, client, make, room):
    administrator = make.user("Administratrice du site", admin=True)
    vote = new_vote(room)
    login(client, room.facilitator)
    assert post_action(client, vote.id, "ouvrir").status_code == 302
    logout(client)
    grades = dict.fromkeys(option_ids(vote), 4)

    login(client, administrator)
    refused = post_ballot(client, vote.id, grades)
    assert refused.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Participation)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 0
    # Running the vote is a management right: it stays.
    assert post_action(client, vote.id, "fermer").status_code == 302
    logout(client)


def test_an_administrator_with_a_role_votes_as_a_member(app, client, make, room):
    administrator = make.user("Administrateur résident", admin=True)
    make.role(administrator, "resident", commune=room.commune)
    vote = new_vote(room)
    login(client, room.facilitator)
    post_action(client, vote.id, "ouvrir")
    logout(client)

    login(client, administrator)
    recorded(post_ballot(client, vote.id, dict.fromkeys(option_ids(vote), 4)))
    assert db.session.scalar(db.select(Participation.user_id)) == administrator.id
