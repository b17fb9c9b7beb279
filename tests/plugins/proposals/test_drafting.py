"""Drafting: creation, co-authors, versions, the word diff, the edit conflict, status."""

from __future__ import annotations

import pytest

from convergence.extensions import db
from convergence.models import AuditEntry
from convergence.models import Version
from convergence.participation.models import StatusChange
from plugins.proposals.models import Author, Proposal

from .conftest import as_user, create, post


def page(proposal) -> str:
    return f"/propositions/{proposal.id}"


def reload(proposal) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, proposal.id)


def test_a_participant_drafts_a_proposal_and_opens_it_to_discussion(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room)
    assert proposal.status == "draft" and proposal.version == 1
    shown = alice.get(page(proposal))
    assert shown.status_code == 200
    assert "Un jardin partagé" in shown.get_data(as_text=True)
    assert "Brouillon" in shown.get_data(as_text=True)
    response = post(alice, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    assert response.status_code == 302
    proposal = reload(proposal)
    assert proposal.status == "discussion"
    history = db.session.scalars(db.select(StatusChange).where(StatusChange.subject_id == proposal.subject_id)
                                 .order_by(StatusChange.id)).all()
    assert [(h.from_status, h.to_status, h.by_id) for h in history] == [
        (None, "draft", room.alice.id), ("draft", "discussion", room.alice.id)]
    listed = alice.get(room.base).get_data(as_text=True)
    assert "Un jardin partagé" in listed and "En discussion" in listed


def test_outsiders_and_visitors_cannot_draft(app, room, client):
    assert client.get(room.base + "/nouvelle").status_code == 302  # to the login page
    outsider = as_user(app, room.outsider)
    assert outsider.get(room.base + "/nouvelle").status_code == 403


def test_title_and_text_are_required_and_nothing_is_written(app, room):
    alice = as_user(app, room.alice)
    response = post(alice, room.base + "/nouvelle", room.base + "/nouvelle", {"title": " ", "body": "x"})
    assert response.status_code == 422
    assert "Le titre est obligatoire" in response.get_data(as_text=True)
    response = post(alice, room.base + "/nouvelle", room.base + "/nouvelle", {"title": "x" * 201, "body": "x"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_every_save_makes_a_version_and_the_diff_is_word_level(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room, body="Nous voulons un jardin partagé au centre.")
    response = post(alice, page(proposal) + "/modifier", page(proposal) + "/modifier",
                    {"title": proposal.title, "body": "Nous voulons un grand jardin partagé près de la gare.",
                     "base_version": "1", "note": "précisions"})
    assert response.status_code == 302
    assert reload(proposal).version == 2
    versions = db.session.scalars(db.select(Version).where(Version.document_id == proposal.document_id)
                                  .order_by(Version.number)).all()
    assert [v.number for v in versions] == [1, 2] and versions[1].note == "précisions"
    html = alice.get(page(proposal) + "/versions?de=1&a=2").get_data(as_text=True)
    assert "<ins>grand </ins>" in html
    assert "<del>au centre</del><ins>près de la gare</ins>" in html
    assert "2 mots supprimés, 5 mots ajoutés" in html
    assert "0 mot supprimé, 0 mot ajouté" in alice.get(page(proposal) + "/versions?de=1&a=1").get_data(as_text=True)


def test_two_people_editing_the_same_version_do_not_overwrite_each_other(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room, body="Le jardin ouvre le samedi.")
    post(alice, page(proposal), page(proposal) + "/auteurs/inviter", {"email": room.bob.email})
    bob = as_user(app, room.bob)
    post(bob, page(proposal), page(proposal) + f"/auteurs/{room.bob.id}/accepter")
    # Both open the edit form on version 1.
    edit = page(proposal) + "/modifier"
    assert alice.get(edit).status_code == 200 and bob.get(edit).status_code == 200
    first = post(alice, edit, edit, {"title": proposal.title, "body": "Le jardin ouvre le samedi et le dimanche.",
                                     "base_version": "1"})
    assert first.status_code == 302
    second = post(bob, edit, edit, {"title": proposal.title, "body": "Le jardin ouvre le mercredi.",
                                    "base_version": "1"})
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "nouvelle version (version 2)" in html
    assert "<ins> et le dimanche</ins>" in html           # what the other person changed
    assert "Le jardin ouvre le mercredi." in html          # their own text is kept in the form
    assert 'name="base_version" value="2"' in html
    proposal = reload(proposal)
    assert proposal.version == 2 and proposal.body == "Le jardin ouvre le samedi et le dimanche."
    assert db.session.scalar(db.select(db.func.count(Version.id))
                             .where(Version.document_id == proposal.document_id)) == 2


def test_co_authors_ask_and_are_accepted(app, room):
    alice, bob = as_user(app, room.alice), as_user(app, room.bob)
    proposal = create(alice, room)
    assert bob.get(page(proposal) + "/modifier").status_code == 403
    assert post(bob, page(proposal), page(proposal) + "/auteurs/rejoindre").status_code == 302
    again = post(bob, page(proposal), page(proposal) + "/auteurs/rejoindre")
    assert again.status_code == 409  # a pending request is not made twice
    assert "déjà demandé" in again.get_data(as_text=True)
    assert post(alice, page(proposal), page(proposal) + f"/auteurs/{room.bob.id}/accepter").status_code == 302
    assert bob.get(page(proposal) + "/modifier").status_code == 200
    states = dict(db.session.execute(db.select(Author.user_id, Author.state)
                                     .where(Author.proposal_id == proposal.id)).all())
    assert states == {room.alice.id: "active", room.bob.id: "active"}


def test_the_last_author_cannot_leave(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room)
    response = post(alice, page(proposal), page(proposal) + f"/auteurs/{room.alice.id}/retirer")
    assert response.status_code == 409
    assert "au moins un auteur" in response.get_data(as_text=True)


def test_decisions_are_recorded_with_reason_and_journalled(app, room):
    alice, facilitator = as_user(app, room.alice), as_user(app, room.facilitator)
    proposal = create(alice, room)
    post(alice, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    refused = post(facilitator, page(proposal), page(proposal) + "/statut", {"status": "rejected"})
    assert refused.status_code == 422 and reload(proposal).status == "discussion"
    done = post(facilitator, page(proposal), page(proposal) + "/statut",
                {"status": "rejected", "reason": "Hors du périmètre de l'assemblée"})
    assert done.status_code == 302 and reload(proposal).status == "rejected"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "proposals.rejected"))
    assert entry is not None and entry.actor_id == room.facilitator.id
    # A closed proposal cannot be edited, amended or reopened.
    again = post(alice, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    assert again.status_code == 409


def test_an_author_cannot_adopt_their_own_proposal(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room)
    post(alice, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    response = post(alice, page(proposal), page(proposal) + "/statut", {"status": "adopted"})
    assert response.status_code == 409
    assert reload(proposal).status == "discussion"


@pytest.mark.parametrize("base", ["", "abc", "7"])
def test_a_forged_or_unknown_base_version_is_refused(app, room, base):
    alice = as_user(app, room.alice)
    proposal = create(alice, room)
    edit = page(proposal) + "/modifier"
    response = post(alice, edit, edit, {"title": "T", "body": "B", "base_version": base})
    assert response.status_code == 400
    assert reload(proposal).version == 1


def test_the_list_search_ignores_capitals_and_accents_on_both_databases(app, room):
    client = as_user(app, room.alice)
    create(client, room, title="Élargir la rue des Écoles")
    create(client, room, title="Un jardin partagé")
    for typed in ("ecoles", "ÉCOLES", "élargir LA"):
        page = client.get(room.base, query_string={"status": "draft", "q": typed}).get_data(as_text=True)
        assert "Élargir la rue des Écoles" in page and "Un jardin partagé" not in page, typed
    page = client.get(room.base, query_string={"status": "draft", "q": "PARTAGE"}).get_data(as_text=True)
    assert "Un jardin partagé" in page and "Élargir la rue des Écoles" not in page
