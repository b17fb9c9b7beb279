"""Amendments (paragraph or whole text, accept → new version, reject with reason, to the
assembly) and supports (once per person, threshold → agenda)."""

from __future__ import annotations

from convergence.extensions import db
from convergence.models import AgendaItem
from convergence.models import Amendment, Version
from convergence.participation.models import Support
from plugins.proposals.models import Proposal

from .conftest import as_user, create, post


def page(proposal) -> str:
    return f"/propositions/{proposal.id}"


def reload(proposal) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, proposal.id)


def in_discussion(app, room, **fields):
    alice = as_user(app, room.alice)
    proposal = create(alice, room, **fields)
    post(alice, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    return alice, reload(proposal)


def amend(client, proposal, paragraph, text, explanation="", base=None):
    url = page(proposal) + "/amendements/nouveau"
    return post(client, url, url, {"paragraph": paragraph, "new_text": text, "explanation": explanation,
                                   "base_version": base or proposal.version})


def test_a_paragraph_amendment_accepted_makes_a_new_version(app, room):
    alice, proposal = in_discussion(app, room, body="Un jardin au centre.\n\nOuvert le samedi.")
    bob = as_user(app, room.bob)
    form = bob.get(page(proposal) + "/amendements/nouveau?paragraphe=1").get_data(as_text=True)
    assert "Ouvert le samedi." in form  # the paragraph is ready to be changed, without JavaScript
    response = amend(bob, proposal, "1", "Ouvert le samedi et le dimanche.", "Plus de créneaux")
    assert response.status_code == 302
    amendment = db.session.scalar(db.select(Amendment))
    assert (amendment.paragraph, amendment.state, amendment.base_version) == (1, "pending", 1)
    listed = alice.get(page(proposal)).get_data(as_text=True)
    assert "Amendement n° %d" % amendment.id in listed and "En attente de la rédaction" in listed
    # Only the authors decide.
    assert post(bob, page(proposal), page(proposal) + f"/amendements/{amendment.id}/accepter").status_code == 403
    assert post(alice, page(proposal), page(proposal) + f"/amendements/{amendment.id}/accepter").status_code == 302
    proposal = reload(proposal)
    assert proposal.version == 2
    assert proposal.body == "Un jardin au centre.\n\nOuvert le samedi et le dimanche."
    version = db.session.scalar(db.select(Version).where(Version.number == 2))
    assert version.amendment_id == amendment.id and "Amendement n° %d accepté" % amendment.id == version.note
    db.session.refresh(amendment)
    assert amendment.state == "accepted" and amendment.decided_by_id == room.alice.id


def test_an_amendment_to_the_whole_text(app, room):
    alice, proposal = in_discussion(app, room, body="Texte court.")
    bob = as_user(app, room.bob)
    assert amend(bob, proposal, "", "Texte entièrement réécrit.").status_code == 302
    amendment = db.session.scalar(db.select(Amendment))
    assert amendment.paragraph is None
    post(alice, page(proposal), page(proposal) + f"/amendements/{amendment.id}/accepter")
    assert reload(proposal).body == "Texte entièrement réécrit."


def test_a_rejected_amendment_needs_a_reason_and_can_go_to_the_assembly(app, room):
    alice, proposal = in_discussion(app, room)
    bob = as_user(app, room.bob)
    amend(bob, proposal, "0", "Premier paragraphe changé.")
    amendment = db.session.scalar(db.select(Amendment))
    reject = page(proposal) + f"/amendements/{amendment.id}/rejeter"
    response = post(alice, page(proposal), reject, {"reason": ""})
    assert response.status_code == 422 and "raison du rejet" in response.get_data(as_text=True)
    db.session.refresh(amendment)
    assert amendment.state == "pending"
    assert post(alice, page(proposal), reject, {"reason": "Hors sujet"}).status_code == 302
    # Deciding twice is refused.
    again = post(alice, page(proposal), page(proposal) + f"/amendements/{amendment.id}/accepter")
    assert again.status_code == 409
    # Its author maintains it: the assembly will decide.
    assert post(alice, page(proposal), page(proposal) + f"/amendements/{amendment.id}/assemblee").status_code == 403
    assert post(bob, page(proposal), page(proposal) + f"/amendements/{amendment.id}/assemblee").status_code == 302
    db.session.refresh(amendment)
    assert (amendment.state, amendment.reason, amendment.to_assembly) == ("rejected", "Hors sujet", True)
    assert "soumis à l&#39;assemblée" in bob.get(page(proposal)).get_data(as_text=True)
    assert reload(proposal).version == 1


def test_an_amendment_that_no_longer_applies_is_refused_and_the_text_kept(app, room):
    alice, proposal = in_discussion(app, room, body="Alpha.\n\nBeta.")
    bob = as_user(app, room.bob)
    amend(bob, proposal, "1", "Beta modifié.")
    amendment = db.session.scalar(db.select(Amendment))
    edit = page(proposal) + "/modifier"
    post(alice, edit, edit, {"title": proposal.title, "body": "Alpha.\n\nBeta réécrit par l'autrice.",
                             "base_version": "1"})
    response = post(alice, page(proposal), page(proposal) + f"/amendements/{amendment.id}/accepter")
    assert response.status_code == 409
    assert "ne s&#39;applique plus" in response.get_data(as_text=True)
    assert reload(proposal).body == "Alpha.\n\nBeta réécrit par l'autrice."
    db.session.refresh(amendment)
    assert amendment.state == "pending"


def test_amending_a_closed_proposal_or_an_old_version_is_refused(app, room):
    alice, proposal = in_discussion(app, room)
    bob = as_user(app, room.bob)
    stale = amend(bob, proposal, "0", "Changé.", base=7)
    assert stale.status_code == 409 and "le texte a changé" in stale.get_data(as_text=True).lower()
    facilitator = as_user(app, room.facilitator)
    post(facilitator, page(proposal), page(proposal) + "/statut", {"status": "adopted"})
    closed = amend(bob, proposal, "0", "Changé.")
    assert closed.status_code == 403  # the form is not offered any more
    from plugins.proposals import amendments
    from convergence.refusal import Refused

    import pytest

    with app.test_request_context():
        with pytest.raises(Refused) as refused:
            amendments.propose(reload(proposal), room.bob, "0", "Changé.", "")
        assert refused.value.status == 409 and "Adoptée" in refused.value.message
    assert db.session.scalar(db.select(db.func.count(Amendment.id))) == 0


def test_bad_amendments_are_refused(app, room):
    _alice, proposal = in_discussion(app, room, body="Un.\n\nDeux.")
    bob = as_user(app, room.bob)
    assert amend(bob, proposal, "5", "x").status_code == 422
    assert amend(bob, proposal, "abc", "x").status_code == 422
    assert amend(bob, proposal, "0", "Un.").status_code == 422  # changes nothing
    assert amend(bob, proposal, "", "").status_code == 422
    assert db.session.scalar(db.select(db.func.count(Amendment.id))) == 0


def test_supporting_twice_keeps_one_support_and_the_threshold_puts_it_on_the_agenda(app, room, make):
    facilitator = as_user(app, room.facilitator)
    settings = f"/assemblees/{room.assembly.id}/propositions/reglages"
    assert post(facilitator, room.base, settings, {"support_threshold": "2"}).status_code == 302
    alice, proposal = in_discussion(app, room)
    bob = as_user(app, room.bob)
    assert post(bob, page(proposal), page(proposal) + "/soutien").status_code == 302
    # A second press leaves the support in place and the proposal's page says so.
    twice = post(bob, page(proposal), page(proposal) + "/soutien", follow_redirects=True)
    text = twice.get_data(as_text=True)
    assert twice.status_code == 200 and "Vous soutenez déjà cette proposition." in text
    assert "Retirer mon soutien" in text and proposal.title in text
    assert reload(proposal).supports_count == 1
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) == 0
    carol = as_user(app, room.carol)
    reached = post(carol, page(proposal), page(proposal) + "/soutien", follow_redirects=True)
    assert "seuil est atteint" in reached.get_data(as_text=True)
    proposal = reload(proposal)
    assert proposal.supports_count == 2 and proposal.status == "submitted" and proposal.submitted_to == "assembly"
    item = db.session.get(AgendaItem, proposal.agenda_item_id)
    assert item.assembly_id == room.assembly.id and item.kind == "proposition" and item.title == proposal.title
    # Withdrawing and supporting again never adds a second agenda item.
    post(carol, page(proposal), page(proposal) + "/soutien/retrait")
    post(carol, page(proposal), page(proposal) + "/soutien")
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Support.id))) == 2
    assert "Un jardin partagé" in alice.get(f"/assemblees/{room.assembly.id}").get_data(as_text=True)


def test_supports_need_a_participant_and_a_proposal_open_to_them(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room)
    bob = as_user(app, room.bob)
    assert post(bob, page(proposal), page(proposal) + "/soutien").status_code == 403  # still a draft
    post(alice, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    outsider = as_user(app, room.outsider)
    assert post(outsider, page(proposal), page(proposal) + "/soutien").status_code == 403
    never = post(bob, page(proposal), page(proposal) + "/soutien/retrait", follow_redirects=True)
    assert never.status_code == 200 and "Vous ne soutenez pas cette proposition." in never.get_data(as_text=True)
    assert reload(proposal).supports_count == 0


def test_threshold_must_be_a_sensible_number(app, room):
    facilitator = as_user(app, room.facilitator)
    settings = f"/assemblees/{room.assembly.id}/propositions/reglages"
    for value in ("0", "-3", "abc", "1000001"):
        assert post(facilitator, room.base, settings, {"support_threshold": value}).status_code == 422
    bob = as_user(app, room.bob)
    assert post(bob, room.base, settings, {"support_threshold": "3"}).status_code == 403
