"""The proposals plug-in's acts in the commune's journal of decisions, told as sentences
(plugins/proposals/journal.py) from the entries its own services write."""

from __future__ import annotations

from flask_login import login_user

from convergence.extensions import db
from plugins.proposals import drafting
from tests.fixtures import journal_acts

from .conftest import as_user, create


def test_a_rejected_proposal_is_told_with_its_title_version_and_reason(app, room):
    proposal = create(as_user(app, room.alice), room, title="Un jardin partagé")
    with app.test_request_context():
        login_user(room.facilitator)
        drafting.set_status(proposal, "discussion", room.facilitator, facilitator=True)
        drafting.set_status(proposal, "rejected", room.facilitator, facilitator=True,
                            reason="Le terrain est inondable")
        db.session.commit()
    assert journal_acts(app.test_client(), room.commune, "proposals.") == ["Camille a inscrit le rejet de la proposition « Un jardin partagé » (version 1). "
                           "Raison : Le terrain est inondable"]
