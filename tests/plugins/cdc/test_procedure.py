"""The drafting committee proposes a procedure on each amendment; the tabling delegation
agrees (the procedure is applied to the text) or maintains it (to the vote); the committee
groups mutually exclusive amendments of one article."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import AuditEntry
from convergence.models.drafting import AMENDMENT_ACCEPTED, AMENDMENT_PENDING, AMENDMENT_REJECTED
from plugins.cdc import declarations, procedure
from plugins.cdc.declaration_models import DeclarationAmendment
from plugins.cdc.models import Delegation
from tests.fixtures import browser_fields, count_queries, journal_acts, login, visible_text

from .test_declaration_outcomes import TEXT, tabled
from .test_registration import register


def prepared(app, place, client, n=3):
    """A declaration open to amendments, a delegation registered by the visitor, and ``n``
    amendments it tabled: A1 changes article 1, A2 too, A3 adds an article after it."""
    register(person(app, place.visitor), place)
    with app.test_request_context():
        declaration = declarations.create(place.meeting, place.organiser, "Déclaration de Commercy", TEXT)
        declaration.state = "amending"
        delegation = db.session.scalar(db.select(Delegation))
        first = declarations.articles(declaration)[0]
        for number in range(1, n + 1):
            kind = "add" if number % 3 == 0 else "modify"
            amendment = tabled(declaration, place.visitor, kind, first, f"L'eau est à tous, version {number}.",
                               number)
            amendment.delegation_id = delegation.id
        declaration.next_amendment_number = n + 1
        db.session.commit()
        return declaration.id


def person(app, user):
    client = app.test_client()
    login(client, user)
    return client


def amendment(number: int) -> DeclarationAmendment:
    db.session.expire_all()
    return db.session.scalar(db.select(DeclarationAmendment).where(DeclarationAmendment.number == number))


def post(client, url: str, **data):
    return client.post(url, data={**data, **browser_fields(client, url)})


def test_the_committee_proposes_and_the_delegation_agrees_so_the_text_changes(app, client, place):
    prepared(app, place, client)
    login(client, place.organiser)
    page = client.get(f"{place.base}/declaration/comite")
    assert page.status_code == 200
    text = visible_text(page)
    assert "A1" in text and "A3" in text and "Article 1" in text
    url = f"{place.base}/declaration/amendements/1/procedure"
    response = post(client, url, procedure="accept_modified", text="L'eau est un bien commun de tous.")
    assert response.status_code == 303
    a1 = amendment(1)
    assert a1.procedure == "accept_modified" and a1.procedure_text == "L'eau est un bien commun de tous."
    assert a1.outcome is None and a1.amendment.state == AMENDMENT_PENDING
    # The filter shows it as waiting for its delegation.
    waiting = visible_text(client.get(f"{place.base}/declaration/comite?etat=proposed"))
    assert "A1 · Article 1" in waiting and "A2 · Article 1" not in waiting
    client = person(app, place.visitor)
    answer = f"{place.base}/declaration/amendements/1/reponse"
    shown = visible_text(client.get(answer))
    assert "bien commun" in shown
    assert post(client, answer, answer="agreed").status_code == 303
    a1 = amendment(1)
    assert a1.answer == "agreed" and a1.outcome == "adopted" and a1.amendment.state == AMENDMENT_ACCEPTED
    first = declarations.articles(a1.declaration)[0]
    assert first.text == "L'eau est un bien commun de tous."
    assert "bien commun de tous" in a1.declaration.document.body
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))
                             .where(AuditEntry.action == "cdc.amendment.answered")) == 1
    acts = journal_acts(client, place.commune, "cdc.amendment")
    assert "a accepté, pour la délégation, la procédure du comité sur l’amendement A1." in acts[0]
    assert "a proposé pour le comité de rédaction une procédure sur l’amendement A1 : l’accepter modifié." in acts[1]
    # Answering again: refused, nothing changes.
    again = post(client, answer, answer="maintained")
    assert again.status_code == 409
    assert amendment(1).answer == "agreed"


def test_rejecting_needs_a_reason_and_keeps_what_was_typed(app, client, place):
    prepared(app, place, client)
    login(client, place.organiser)
    url = f"{place.base}/declaration/amendements/2/procedure"
    refused = post(client, url, procedure="reject", reason="   ", text="Mon texte tapé")
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Dites pourquoi le comité propose de rejeter l’amendement A2." in visible_text(refused)
    assert "Mon texte tapé" in body
    assert amendment(2).procedure is None
    assert post(client, url, procedure="reject", reason="Déjà couvert par l'article 2").status_code == 303
    client = person(app, place.visitor)
    assert post(client, f"{place.base}/declaration/amendements/2/reponse", answer="agreed").status_code == 303
    a2 = amendment(2)
    assert a2.outcome == "rejected" and a2.amendment.state == AMENDMENT_REJECTED
    assert a2.amendment.reason == "Déjà couvert par l'article 2"


def test_maintaining_sends_the_amendment_to_the_vote(app, client, place):
    prepared(app, place, client)
    login(client, place.organiser)
    assert post(client, f"{place.base}/declaration/amendements/1/procedure", procedure="merge",
                merge_into="2").status_code == 303
    assert amendment(1).merge_into_id == amendment(2).id
    client = person(app, place.visitor)
    assert post(client, f"{place.base}/declaration/amendements/1/reponse", answer="maintained").status_code == 303
    a1 = amendment(1)
    assert a1.answer == "maintained" and a1.outcome is None and a1.amendment.state == AMENDMENT_PENDING
    assert declarations.articles(a1.declaration)[0].text == "L'eau est un commun."
    client = person(app, place.organiser)
    listed = visible_text(client.get(f"{place.base}/declaration/comite?etat=maintained"))
    assert "A1 · Article 1" in listed and "A2 · Article 1" not in listed
    # Once answered, the committee no longer changes its proposal.
    again = post(client, f"{place.base}/declaration/amendements/1/procedure", procedure="accept")
    assert again.status_code == 409 and amendment(1).procedure == "merge"


def test_merge_targets_are_checked(app, client, place):
    prepared(app, place, client)
    login(client, place.organiser)
    url = f"{place.base}/declaration/amendements/1/procedure"
    assert post(client, url, procedure="merge", merge_into="1").status_code == 422
    assert post(client, url, procedure="merge", merge_into="99").status_code == 404
    assert post(client, url, procedure="merge").status_code == 422
    assert amendment(1).procedure is None
    assert post(client, f"{place.base}/declaration/amendements/2/procedure", procedure="merge",
                merge_into="1").status_code == 303
    assert post(client, url, procedure="merge", merge_into="2").status_code == 409


def test_only_the_committee_proposes_and_only_the_delegation_answers(app, client, place):
    prepared(app, place, client)
    login(client, place.resident)
    assert client.get(f"{place.base}/declaration/comite").status_code == 403
    assert client.get(f"{place.base}/declaration/amendements/1/reponse").status_code == 403
    client = person(app, place.organiser)
    assert client.get(f"{place.base}/declaration/amendements/1/reponse").status_code == 403
    assert client.get(f"{place.base}/declaration/amendements/42/procedure").status_code == 404
    client = person(app, place.visitor)
    assert client.get(f"{place.base}/declaration/groupes").status_code == 403
    # No procedure yet: the delegation cannot answer.
    assert post(client, f"{place.base}/declaration/amendements/1/reponse", answer="agreed").status_code == 409
    assert amendment(1).answer is None


def test_groups_of_exclusive_amendments_of_one_article(app, client, place):
    prepared(app, place, client, n=4)
    login(client, place.organiser)
    url = f"{place.base}/declaration/groupes"
    page = client.get(url)
    assert page.status_code == 200
    # A1, A2, A4 change article 1; A3 adds an article: not the same article.
    refused = client.post(url, data={"amendments": ["1", "3"], **browser_fields(client, url)})
    assert refused.status_code == 422
    assert amendment(1).exclusive_group is None
    assert client.post(url, data={"amendments": ["1"], **browser_fields(client, url)}).status_code == 422
    made = client.post(url, data={"amendments": ["1", "2"], **browser_fields(client, url)})
    assert made.status_code == 303
    assert amendment(1).exclusive_group == amendment(2).exclusive_group == 1
    assert client.post(url, data={"amendments": ["2", "4"], **browser_fields(client, url)}).status_code == 409
    assert amendment(4).exclusive_group is None
    assert "Groupe 1 : A1, A2" in visible_text(client.get(f"{place.base}/declaration/comite")).replace(
        "\u202f", " ")
    dissolved = client.post(url, data={"dissolve": "1", **browser_fields(client, url)})
    assert dissolved.status_code == 303
    assert amendment(1).exclusive_group is None and amendment(2).exclusive_group is None


def test_a_group_form_sent_twice_makes_one_group(app, client, place):
    from tests.fixtures import post_twice, says_replayed

    prepared(app, place, client, n=2)
    login(client, place.organiser)
    url = f"{place.base}/declaration/groupes"
    first, second = post_twice(client, url, url, {"amendments": ["1", "2"]})
    assert first.status_code == 303 and says_replayed(second)
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))
                             .where(AuditEntry.action == "cdc.amendment.grouped")) == 1


def test_the_committee_page_issues_a_bounded_number_of_queries(app, client, place):
    declaration_id = prepared(app, place, client, n=3)
    login(client, place.organiser)
    with count_queries(app) as few:
        assert client.get(f"{place.base}/declaration/comite").status_code == 200
    with app.test_request_context():
        declaration = db.session.get(declarations.Declaration, declaration_id)
        article = declarations.articles(declaration)[1]
        for number in range(4, 64):
            tabled(declaration, place.visitor, "modify", article, f"Variante {number}.", number)
        db.session.commit()
    with count_queries(app) as more:
        page = client.get(f"{place.base}/declaration/comite")
    assert page.status_code == 200
    assert "A50 · Article 2" in visible_text(page) and "A51 · Article 2" not in visible_text(page)
    assert len(more) == len(few) and len(more) < 25
    # The rest on the next page; the stages count all 63.
    second = visible_text(client.get(f"{place.base}/declaration/comite?page=2"))
    assert "A63 · Article 2" in second and "A50 · Article 2" not in second
    assert "Tous (63)" in second


@given(st.sampled_from([None, "accept", "accept_modified", "merge", "reject"]),
       st.sampled_from([None, "agreed", "maintained"]),
       st.sampled_from([None, "adopted", "rejected", "merged", "withdrawn"]))
def test_every_amendment_is_at_exactly_one_stage(proc, answer, outcome):
    found = procedure.stage(proc, answer, outcome)
    assert found in procedure.STAGES
    assert (found == procedure.STAGE_DECIDED) == (outcome is not None)
    if outcome is None:
        assert (found == procedure.STAGE_MAINTAINED) == (answer == "maintained")
        if answer is None:
            assert (found == procedure.STAGE_WAITING) == (proc is None)


@given(st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=10**6))))
def test_a_new_group_number_is_never_one_in_use(existing):
    number = procedure.next_group(existing)
    assert number >= 1 and number not in existing


def test_agreeing_to_a_merge_closes_the_amendment_into_the_other(app, client, place):
    prepared(app, place, client)
    login(client, place.organiser)
    assert post(client, f"{place.base}/declaration/amendements/2/procedure", procedure="merge",
                merge_into="1").status_code == 303
    delegate = person(app, place.visitor)
    assert post(delegate, f"{place.base}/declaration/amendements/2/reponse", answer="agreed").status_code == 303
    a2 = amendment(2)
    assert a2.outcome == "merged" and a2.amendment.state == "withdrawn"
    assert a2.amendment.reason == "Fusionné dans A1"
    assert amendment(1).outcome is None
    assert declarations.articles(a2.declaration)[0].text == "L'eau est un commun."


def test_nothing_changes_once_the_declaration_is_adopted(app, client, place):
    declaration_id = prepared(app, place, client)
    with app.app_context():
        db.session.get(declarations.Declaration, declaration_id).state = "adopted"
        db.session.commit()
    login(client, place.organiser)
    refused = post(client, f"{place.base}/declaration/amendements/1/procedure", procedure="accept")
    assert refused.status_code == 409
    assert "son texte est figé" in visible_text(refused)
    assert amendment(1).procedure is None
    url = f"{place.base}/declaration/groupes"
    assert client.post(url, data={"amendments": ["1", "2"], **browser_fields(client, url)}).status_code == 409
    assert amendment(1).exclusive_group is None


def test_a_tampered_group_or_procedure_form_is_refused_not_a_crash(app, client, place):
    prepared(app, place, client)
    login(client, place.organiser)
    url = f"{place.base}/declaration/groupes"
    assert client.post(url, data={"amendments": ["abc", "1"], **browser_fields(client, url)}).status_code == 422
    assert client.post(url, data={"dissolve": "7", **browser_fields(client, url)}).status_code == 404
    procedure_url = f"{place.base}/declaration/amendements/1/procedure"
    assert post(client, procedure_url, procedure="abolish").status_code == 422
    assert post(client, procedure_url, procedure="merge", merge_into="deux").status_code == 422
    assert amendment(1).procedure is None and amendment(1).exclusive_group is None


def test_the_declaration_page_leads_the_committee_and_the_tabling_delegation_to_their_pages(app, client, place):
    prepared(app, place, client)
    organiser = person(app, place.organiser)
    committee_url = f"{place.base}/declaration/comite"
    assert committee_url in organiser.get(f"{place.base}/declaration").get_data(as_text=True)
    delegate = person(app, place.visitor)
    answer_url = f"{place.base}/declaration/amendements/1/reponse"
    assert answer_url not in delegate.get(f"{place.base}/declaration").get_data(as_text=True)
    with app.test_request_context():
        procedure.propose(amendment(1), place.organiser, "reject", reason="Déjà dit à l'article 2")
        db.session.commit()
    page = delegate.get(f"{place.base}/declaration").get_data(as_text=True)
    assert answer_url in page and committee_url not in page
    # Another person with no delegation sees neither.
    other = person(app, place.resident).get(f"{place.base}/declaration").get_data(as_text=True)
    assert answer_url not in other and committee_url not in other
