"""Adopting the declaration: by consent or by a floor vote on the whole text; the frozen
text, its SHA-256 in the host commune's journal, the amendments still open closed, and
every later change refused with a 409."""

from __future__ import annotations

import hashlib

import pytest

from convergence.extensions import db
from convergence.models import AuditEntry
from convergence.refusal import Refused
from plugins.cdc import declarations, floor, outcomes
from plugins.cdc.declaration_models import Declaration, DeclarationAmendment
from tests.fixtures import browser_fields, count_queries, login, visible_text

from .floor_helpers import delegations, open_declaration


def journal(place):
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.commune_id == place.commune.id,
                                                               AuditEntry.action == "cdc.declaration.adopted")))


def test_adopted_by_consent_through_the_page(app, client, place):
    declaration_id, (amendment_id,) = open_declaration(app, place)
    page = f"{place.base}/declaration/adoption"
    login(client, place.organiser)
    unticked = client.post(page, data=browser_fields(client, page))
    assert unticked.status_code == 422 and "Cochez" in visible_text(unticked)
    db.session.expire_all()
    assert db.session.get(Declaration, declaration_id).state == "amending"
    assert client.post(page, data={"no_objection": "y", **browser_fields(client, page)}).status_code == 303
    db.session.expire_all()
    declaration = db.session.get(Declaration, declaration_id)
    body = declaration.document.body
    assert declaration.state == "adopted" and declaration.adoption_mode == "consent"
    assert declaration.adopted_version == declaration.document.version
    assert declaration.adopted_hash == hashlib.sha256(body.encode("utf-8")).hexdigest()
    (entry,) = journal(place)
    assert entry.details["sha256"] == declaration.adopted_hash
    amendment = db.session.get(DeclarationAmendment, amendment_id)
    assert amendment.outcome == "rejected"
    with count_queries(app) as queries:
        shown = app.test_client().get(page)
    assert shown.status_code == 200 and declaration.adopted_hash in shown.get_data(as_text=True)
    assert len(queries) < 20
    # Frozen: adopting again, opening a vote, changing an article are 409.
    again = client.post(page, data={"no_objection": "y", **browser_fields(client, page)})
    assert again.status_code == 409
    votes = f"{place.base}/declaration/votes"
    assert client.post(votes, data={"subject": "", **browser_fields(client, votes)}).status_code == 409
    with app.test_request_context():
        declaration = db.session.get(Declaration, declaration_id)
        with pytest.raises(Refused) as frozen:
            declarations.require_not_adopted(declaration)
        assert frozen.value.status == 409
    assert len(journal(place)) == 1


def test_only_the_committee_adopts(app, client, place):
    declaration_id, _ids = open_declaration(app, place)
    page = f"{place.base}/declaration/adoption"
    login(client, place.visitor)
    assert client.post(page, data={"no_objection": "y", **browser_fields(client, page)}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Declaration, declaration_id).state == "amending" and not journal(place)


def test_adopted_by_a_floor_vote_on_the_whole_text(app, make, place):
    (one, head), (two, other) = delegations(app, make, place, [2, 1])
    declaration_id, (amendment_id,) = open_declaration(app, place)
    with app.test_request_context():
        declaration = db.session.get(Declaration, declaration_id)
        amendment = db.session.get(DeclarationAmendment, amendment_id)
        outcomes.adopt(amendment, place.organiser)
        rejected = floor.open_vote(declaration, place.organiser)
        floor.cast(rejected, one, "against", head)
        floor.cast(rejected, two, "for", other)
        assert not floor.close(rejected, place.organiser).carried
        assert declaration.state == "voting" and not journal(place)
        vote = floor.open_vote(declaration, place.organiser)
        floor.cast(vote, one, "for", head)
        floor.cast(vote, two, "against", other)
        assert floor.close(vote, place.organiser).carried
        db.session.commit()
        assert declaration.state == "adopted" and declaration.adoption_mode == "vote"
        assert declaration.adopted_hash == hashlib.sha256(declaration.document.body.encode()).hexdigest()
        assert "L'eau est à tous, version 1." in declaration.document.body
        assert journal(place)[0].details["version"] == declaration.adopted_version


def test_no_adoption_while_a_vote_is_open_nor_of_a_draft(app, place):
    declaration_id, (amendment_id,) = open_declaration(app, place)
    with app.test_request_context():
        from plugins.cdc import adoption

        declaration = db.session.get(Declaration, declaration_id)
        floor.open_vote(declaration, place.organiser, db.session.get(DeclarationAmendment, amendment_id))
        with pytest.raises(Refused) as busy:
            adoption.adopt(declaration, place.organiser, "consent")
        assert busy.value.status == 409 and declaration.state == "voting"
