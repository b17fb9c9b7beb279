"""The proposals plug-in's acts in the commune's journal of decisions, told as sentences
(plugins/proposals/journal.py) from the entries its own services write."""

from __future__ import annotations

import re

from flask_login import login_user

from convergence.extensions import db
from plugins.proposals import drafting

from .conftest import as_user, create

NNBSP = "\u202f"


def _acts(page: str) -> list[str]:
    items = re.findall(r"<li data-action=\"proposals[^\"]+\">(.*?)</li>", page, re.S)
    return [re.sub(r"<[^>]+>", "", item).replace(NNBSP, " ").replace("&#39;", "'").split(" — ", 1)[1].strip()
            for item in items]


def test_a_rejected_proposal_is_told_with_its_title_version_and_reason(app, room):
    proposal = create(as_user(app, room.alice), room, title="Un jardin partagé")
    with app.test_request_context():
        login_user(room.facilitator)
        drafting.set_status(proposal, "discussion", room.facilitator, facilitator=True)
        drafting.set_status(proposal, "rejected", room.facilitator, facilitator=True,
                            reason="Le terrain est inondable")
        db.session.commit()
    page = app.test_client().get(f"/communes/{room.commune.slug}/journal").data.decode()
    assert _acts(page) == ["Camille a inscrit le rejet de la proposition « Un jardin partagé » (version 1). "
                           "Raison : Le terrain est inondable"]
