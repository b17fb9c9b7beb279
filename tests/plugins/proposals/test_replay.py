"""Forms of the proposals sent twice (a double press, a resend) create once."""

from __future__ import annotations

from convergence.extensions import db
from convergence.models import AgendaItem
from convergence.models import Amendment, Version
from convergence.participation.models import Comment, Report
from plugins.proposals.models import Author, Proposal
from plugins.proposals.models import ProposalRound as ConsentRound
from tests.fixtures import post_twice, says_replayed

from .conftest import as_user, create, post


def page(proposal) -> str:
    return f"/propositions/{proposal.id}"


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def made_once(client, page_url: str, url: str, data: dict, model, total: int):
    """The form of ``page_url`` sent twice: the first creates, the second is told it was
    sent already, and ``model`` holds ``total`` rows."""
    first, second = post_twice(client, page_url, url, data)
    assert first.status_code == 302 and says_replayed(second)
    assert count(model) == total
    return second


def discussed(app, room, client, title="Un jardin partagé"):
    proposal = create(client, room, title=title, body="Premier paragraphe.\n\nDeuxième paragraphe.")
    post(client, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    return proposal


def test_a_new_proposal_sent_twice_is_one_proposal(app, room):
    alice = as_user(app, room.alice)
    url = room.base + "/nouvelle"
    first, second = post_twice(alice, url, url, {"title": "Cantine bio", "body": "Des repas locaux."})
    assert first.status_code == 302
    proposal = db.session.scalar(db.select(Proposal))
    assert count(Proposal) == 1 and count(Version) == 1
    assert says_replayed(second) and second.request.path == page(proposal)


def test_a_new_version_sent_twice_is_one_version(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room)
    url = page(proposal) + "/modifier"
    # Without the token the second would be refused as a conflict with the version it made.
    made_once(alice, url, url, {"title": proposal.title, "body": "Un texte revu.", "base_version": "1"}, Version, 2)


def test_an_amendment_sent_twice_is_one_amendment(app, room):
    proposal = discussed(app, room, as_user(app, room.alice))
    url = page(proposal) + "/amendements/nouveau"
    made_once(as_user(app, room.bob), url, url,
              {"paragraph": "1", "new_text": "Deuxième paragraphe, revu.", "base_version": "1"}, Amendment, 1)


def test_a_comment_a_reply_and_a_report_sent_twice_count_once(app, room):
    alice = as_user(app, room.alice)
    proposal = discussed(app, room, alice)
    bob = as_user(app, room.bob)
    first, second = post_twice(bob, page(proposal), page(proposal) + "/commentaires", {"body": "Bonne idée"})
    assert first.status_code == 302 and says_replayed(second)
    comment = db.session.scalar(db.select(Comment))
    first, second = post_twice(alice, page(proposal), page(proposal) + "/commentaires",
                               {"body": "Merci", "parent_id": str(comment.id)})
    assert first.status_code == 302 and says_replayed(second)
    assert count(Comment) == 2
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).comments_count == 2
    carol = as_user(app, room.carol)
    first, second = post_twice(carol, page(proposal), page(proposal) + f"/commentaires/{comment.id}/signalement",
                               {"reason": "Hors sujet"})
    # Without the token the second would be a bare refusal (already reported).
    assert first.status_code == 302 and says_replayed(second)
    assert count(Report) == 1
    assert db.session.get(Comment, comment.id).reports_count == 1


def test_an_invitation_to_co_write_and_a_request_sent_twice_count_once(app, room):
    alice = as_user(app, room.alice)
    proposal = discussed(app, room, alice)
    first, second = post_twice(alice, page(proposal), page(proposal) + "/auteurs/inviter",
                               {"email": room.carol.email})
    assert first.status_code == 302 and says_replayed(second)
    bob = as_user(app, room.bob)
    first, second = post_twice(bob, page(proposal), page(proposal) + "/auteurs/rejoindre", {})
    assert first.status_code == 302 and says_replayed(second)
    assert sorted(db.session.execute(db.select(Author.user_id, Author.state)).all()) == sorted(
        [(room.alice.id, "active"), (room.carol.id, "invited"), (room.bob.id, "requested")])


def test_a_round_the_agenda_and_a_vote_asked_twice_are_made_once(app, room):
    from plugins.mj.models import Vote

    alice = as_user(app, room.alice)
    proposal = discussed(app, room, alice)
    other = discussed(app, room, alice, "Un verger")
    facilitator = as_user(app, room.facilitator)
    first, second = post_twice(facilitator, page(proposal), page(proposal) + "/consentement", {"mode": "live"})
    assert first.status_code == 302 and says_replayed(second)
    assert count(ConsentRound) == 1
    first, second = post_twice(facilitator, page(other), page(other) + "/ordre-du-jour", {})
    assert first.status_code == 302 and says_replayed(second)
    assert count(AgendaItem) == 1
    url = f"/assemblees/{room.assembly.id}/propositions/vote"
    first, second = post_twice(facilitator, url, url, {"question": "Lequel ?",
                                                       "proposal": [str(proposal.id), str(other.id)]})
    assert first.status_code == 302 and says_replayed(second)
    vote = db.session.scalar(db.select(Vote))
    assert count(Vote) == 1 and second.request.path == f"/votes/{vote.id}"
