"""mj's acts in the commune's journal of decisions, told as sentences (plugins/mj/journal.py)
from the entries its own API writes."""

from __future__ import annotations

from flask_login import login_user

from plugins.mj import api
from tests.fixtures import journal_acts

from .conftest import new_vote


def test_a_vote_created_opened_with_codes_and_closed_reads_as_sentences(app, client, room):
    with app.test_request_context():
        login_user(room.facilitator)
        vote = new_vote(room)
        api.create_codes(vote, 3)
        api.open_vote(vote)
        api.close_vote(vote, closed_by=room.facilitator)
        head = vote.chain_head
    acts = journal_acts(client, room.commune, "mj.")
    assert sorted(acts) == sorted([
        "Camille a créé le vote au jugement majoritaire « Que faire de la friche ? ».",
        "Camille a créé 3 codes de vote pour « Que faire de la friche ? ».",
        "Camille a ouvert le vote « Que faire de la friche ? ».",
        f"Camille a clos le vote « Que faire de la friche ? ». 0 bulletin déposé en ligne à son registre, "
        f"empreinte finale {head[:12]}….",
    ])


def test_a_vote_opened_by_the_clock_is_told_as_the_platform(app, client, room):
    with app.test_request_context():
        vote = new_vote(room, question="Quel nom pour la salle ?")
        api.open_vote(vote)  # nobody logged in: the worker's way
    acts = journal_acts(client, room.commune, "mj.")
    assert "La plateforme a ouvert le vote « Quel nom pour la salle ? »." in acts
