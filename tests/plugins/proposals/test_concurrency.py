"""Two people saving the same version at the same instant, and a double support, on PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from convergence.extensions import db
from convergence.participation import supports
from convergence.participation.models import Support
from plugins.proposals import drafting
from plugins.proposals.models import Proposal, Version
from tests.fixtures import browser_fields, csrf_token, login, require_postgres

from .conftest import as_user, create, post


def at_once(app, requests, hold):
    """Run the (user, url, data, page) requests in threads released together; ``hold()``
    is called once every client has loaded its page (its CSRF token), before they post."""
    start = threading.Barrier(len(requests))
    statuses, errors = [None] * len(requests), []
    prepared = []
    for user, url, data, page in requests:
        client = app.test_client()
        login(client, user)
        prepared.append((client, url, {**data, **browser_fields(client, page)}))
    hold()

    def run(index):
        client, url, data = prepared[index]
        try:
            start.wait(timeout=10)
            statuses[index] = client.post(url, data=data).status_code
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return statuses


def hold_inside_the_transaction(monkeypatch, function_name, module, parties):
    """Every request waits, inside its transaction and past its own checks, for the others."""
    barrier = threading.Barrier(parties)
    original = getattr(module, function_name)

    def waiting(*args, **kwargs):
        barrier.wait(timeout=20)  # broken (an error) if the requests do not meet
        return original(*args, **kwargs)

    monkeypatch.setattr(module, function_name, waiting)


@pytest.mark.postgres
def test_simultaneous_saves_of_one_version_keep_exactly_one(app, room, monkeypatch):
    require_postgres()
    alice = as_user(app, room.alice)
    proposal = create(alice, room, body="Texte de départ.")
    post(alice, f"/propositions/{proposal.id}", f"/propositions/{proposal.id}/auteurs/inviter",
         {"email": room.bob.email})
    bob = as_user(app, room.bob)
    post(bob, f"/propositions/{proposal.id}", f"/propositions/{proposal.id}/auteurs/{room.bob.id}/accepter")
    # Both pass the "is it still version 1?" reading before either writes.
    edit = f"/propositions/{proposal.id}/modifier"
    statuses = at_once(app, [
        (user, edit, {"title": "Titre", "body": f"Version de {user.display_name} {n}", "base_version": "1"}, edit)
        for n, user in enumerate([room.alice, room.bob, room.alice, room.bob])],
        hold=lambda: hold_inside_the_transaction(monkeypatch, "clean_text", drafting, 4))
    assert sorted(statuses) == [302, 409, 409, 409]
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).version == 2
    assert db.session.scalar(db.select(db.func.count(Version.id))) == 2


@pytest.mark.postgres
def test_a_double_support_at_the_same_instant_counts_once(app, room, monkeypatch):
    require_postgres()
    alice = as_user(app, room.alice)
    proposal = create(alice, room)
    post(alice, f"/propositions/{proposal.id}", f"/propositions/{proposal.id}/statut", {"status": "discussion"})
    # Both requests pass the "already supported?" check before either inserts.
    page = f"/propositions/{proposal.id}"
    statuses = at_once(app, [(room.bob, page + "/soutien", {}, page) for _ in range(3)],
                       hold=lambda: hold_inside_the_transaction(monkeypatch, "has_supported", supports, 3))
    # Each is sent back to the proposal's page (the two late ones saying it is supported already).
    assert statuses == [302, 302, 302]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Support.id))) == 1
    assert db.session.get(Proposal, proposal.id).supports_count == 1
