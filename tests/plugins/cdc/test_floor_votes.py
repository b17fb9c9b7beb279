"""Floor votes by delegation: weights, the public breakdown, the delegate's phone and the
organiser's record of a raised card, the close that adopts or rejects the amendment."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import AuditEntry
from convergence.models.drafting import AMENDMENT_ACCEPTED, AMENDMENT_REJECTED
from convergence.refusal import Refused
from plugins.cdc import floor, floor_tally
from plugins.cdc.declaration_models import Declaration, DeclarationAmendment, FloorVote, Voice

from .floor_helpers import delegations, open_declaration


@given(st.lists(st.tuples(st.sampled_from(["for", "against", "abstain"]), st.integers(1, 50)), max_size=30))
def test_the_tally_sums_weights_and_carries_only_when_for_beats_against(voices):
    result = floor_tally.tally(voices)
    assert result.weight_for == sum(w for c, w in voices if c == "for")
    assert result.weight_against == sum(w for c, w in voices if c == "against")
    assert result.total == sum(w for _c, w in voices)
    assert result.carried == (result.weight_for > result.weight_against)


def test_a_tie_is_not_carried_and_a_weight_below_one_is_refused():
    assert not floor_tally.tally([("for", 2), ("against", 2), ("abstain", 5)]).carried
    with pytest.raises(ValueError):
        floor_tally.tally([("for", 0)])


def test_weighted_voices_carry_the_amendment_into_the_text(app, make, place):
    (big, big_head), (small, small_head), (other, other_head) = delegations(app, make, place, [3, 1, 1])
    declaration_id, (amendment_id,) = open_declaration(app, place)
    with app.test_request_context():
        declaration = db.session.get(Declaration, declaration_id)
        amendment = db.session.get(DeclarationAmendment, amendment_id)
        vote = floor.open_vote(declaration, place.organiser, amendment)
        assert declaration.state == "voting"
        floor.cast(vote, floor.voter(declaration, small_head), "for", small_head)
        floor.cast(vote, floor.voter(declaration, big_head), "for", big_head)
        # Changeable until the close: the big delegation changes its mind.
        floor.cast(vote, floor.voter(declaration, big_head), "against", big_head)
        floor.cast(vote, other, "for", place.organiser, by_organiser=True)
        db.session.commit()
        breakdown = [(v.delegation.collective_name, v.choice, v.weight, v.by_organiser) for v in floor.voices(vote)]
        assert breakdown == [("Collectif 0", "against", 3, False), ("Collectif 1", "for", 1, False),
                             ("Collectif 2", "for", 1, True)]
        result = floor.close(vote, place.organiser)
        db.session.commit()
        assert (result.weight_for, result.weight_against, result.carried) == (2, 3, False)
        stored = db.session.get(FloorVote, vote.id)
        assert (stored.weight_for, stored.weight_against, stored.carried) == (2, 3, False)
        assert amendment.outcome == "rejected" and amendment.amendment.state == AMENDMENT_REJECTED
        assert "version 1" not in declaration.document.body
        with pytest.raises(Refused) as closed:
            floor.cast(vote, small, "against", small_head)
        assert closed.value.status == 409
        assert db.session.scalar(db.select(db.func.count()).select_from(Voice)) == 3
        actions = set(db.session.scalars(db.select(AuditEntry.action).where(
            AuditEntry.commune_id == place.commune.id)))
        assert {"cdc.floor.opened", "cdc.floor.closed"} <= actions


def test_a_carried_vote_adopts_the_amendment(app, make, place):
    (one, head), = delegations(app, make, place, [1])
    declaration_id, (amendment_id,) = open_declaration(app, place)
    with app.test_request_context():
        declaration = db.session.get(Declaration, declaration_id)
        amendment = db.session.get(DeclarationAmendment, amendment_id)
        vote = floor.open_vote(declaration, place.organiser, amendment)
        floor.cast(vote, one, "for", head)
        assert floor.close(vote, place.organiser).carried
        db.session.commit()
        assert amendment.outcome == "adopted" and amendment.amendment.state == AMENDMENT_ACCEPTED
        assert "L'eau est à tous, version 1." in declaration.document.body
        # Decided: no second vote on it.
        with pytest.raises(Refused):
            floor.open_vote(declaration, place.organiser, amendment)


def test_someone_without_a_delegation_or_mandate_has_no_voice(app, make, place):
    (delegation, head), = delegations(app, make, place, [1])
    declaration_id, _ids = open_declaration(app, place)
    with app.test_request_context():
        declaration = db.session.get(Declaration, declaration_id)
        with pytest.raises(Refused) as nobody:
            floor.voter(declaration, place.resident)
        assert nobody.value.status == 403 and "aucune délégation" in str(nobody.value)


def test_one_vote_at_a_time_and_none_on_a_draft(app, make, place):
    declaration_id, (first_id, second_id) = open_declaration(app, place, 2)
    with app.test_request_context():
        declaration = db.session.get(Declaration, declaration_id)
        first, second = (db.session.get(DeclarationAmendment, i) for i in (first_id, second_id))
        floor.open_vote(declaration, place.organiser, first)
        with pytest.raises(Refused) as busy:
            floor.open_vote(declaration, place.organiser, second)
        assert busy.value.status == 409
        declaration.state = "draft"
        with pytest.raises(Refused):
            floor.open_vote(declaration, place.organiser)


def test_through_the_pages_delegate_and_organiser_vote_and_the_breakdown_is_public(app, make, place):
    from tests.fixtures import browser_fields, count_queries, login, post_twice, says_replayed, visible_text

    (first, first_head), (second, _head) = delegations(app, make, place, [2, 1])
    declaration_id, (amendment_id,) = open_declaration(app, place)
    organiser = app.test_client()
    login(organiser, place.organiser)
    votes_page = f"{place.base}/declaration/votes"
    opened, again = post_twice(organiser, votes_page, votes_page, {"subject": str(amendment_id)})
    assert opened.status_code == 303 and says_replayed(again)
    (vote,) = db.session.scalars(db.select(FloorVote)).all()
    page = f"{place.base}/declaration/votes/{vote.id}"
    delegate = app.test_client()
    login(delegate, first_head)
    assert delegate.post(page, data={"choice": "maybe", **browser_fields(delegate, page)}).status_code == 422
    assert delegate.post(page, data={"choice": "for", **browser_fields(delegate, page)}).status_code == 303
    card = organiser.post(f"{page}/carton", data={"card-delegation": str(second.id), "card-choice": "against",
                                                  **browser_fields(organiser, page)})
    assert card.status_code == 303
    # Someone with no delegation: a French 403, nothing written.
    resident = app.test_client()
    login(resident, place.resident)
    refused = resident.post(page, data={"choice": "against", **browser_fields(resident, page)})
    assert refused.status_code == 403 and "aucune délégation" in visible_text(refused)
    assert db.session.scalar(db.select(db.func.count()).select_from(Voice)) == 2
    # The delegate may not close.
    assert delegate.post(f"{page}/cloture", data=browser_fields(delegate, page)).status_code == 403
    with count_queries(app) as queries:
        public = app.test_client().get(page)
    assert public.status_code == 200 and len(queries) < 30
    text = visible_text(public)
    assert "Collectif 0" in text and "Collectif 1" in text and "Pour : 2" in text.replace("\u202f", " ")
    assert organiser.post(f"{page}/cloture", data=browser_fields(organiser, page)).status_code == 303
    db.session.expire_all()
    amendment = db.session.get(DeclarationAmendment, amendment_id)
    assert amendment.outcome == "adopted" and db.session.get(FloorVote, vote.id).weight_for == 2
    late = delegate.post(page, data={"choice": "against", **browser_fields(delegate, page)})
    assert late.status_code == 409 and "clos" in visible_text(late)
    assert db.session.get(Voice, (vote.id, first.id)).choice == "for"
