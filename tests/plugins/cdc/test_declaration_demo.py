"""The French demo's joint declaration: four delegations, amendments in every state, the
delegations' floor votes, a vote between two wordings, a commune's adopted proposal sent
as a contribution, the text adopted with its hash in the journal, one signatory."""

from __future__ import annotations

import hashlib

from convergence.extensions import db
from convergence.models import AuditEntry
from convergence.models.drafting import AMENDMENT_ACCEPTED, AMENDMENT_REJECTED, AMENDMENT_WITHDRAWN
from plugins.cdc import declarations
from plugins.cdc.declaration_models import Contribution, Declaration, DeclarationAmendment, FloorVote, Signature, Voice
from plugins.cdc.models import Delegation
from plugins.cdc.wording_models import WordingCode, WordingVote
from tests.fixtures import visible_text


def load_demo(app):
    from flask_babel import force_locale

    from convergence import demo

    # The demo is the French one, as `make run` serves it.
    with app.test_request_context(), force_locale("fr"):
        return demo.load("mot-de-passe-demo")


def by_number(declaration):
    rows = db.session.scalars(db.select(DeclarationAmendment).where(
        DeclarationAmendment.declaration_id == declaration.id))
    return {row.number: row for row in rows}


def test_four_delegations_are_registered(app):
    lines = load_demo(app)
    assert any(line.startswith("Commune des Communes") and "4 délégations" in line for line in lines)
    rows = db.session.execute(db.select(Delegation.collective_name, Delegation.status, Delegation.vote_weight)
                              .order_by(Delegation.id)).all()
    assert [tuple(r) for r in rows] == [
        ("Assemblée populaire de Vaucouleurs", "registered", 1),
        ("Liste citoyenne « Saint-Mihiel en commun »", "registered", 1),
        ("Assemblée populaire de Commercy", "registered", 2),
        ("Collectif écologiste des Côtes de Meuse", "registered", 1)]


def test_amendments_in_every_state(app):
    load_demo(app)
    declaration = db.session.scalars(db.select(Declaration)).one()
    rows = by_number(declaration)
    state = {n: (r.procedure, r.answer, r.outcome, r.amendment.state) for n, r in rows.items()}
    assert state == {
        # Never decided: closed by the adoption, with its reason.
        1: (None, None, "rejected", AMENDMENT_REJECTED),
        2: ("accept_modified", None, "rejected", AMENDMENT_REJECTED),
        3: ("accept", "agreed", "adopted", AMENDMENT_ACCEPTED),
        4: ("merge", "agreed", "merged", AMENDMENT_WITHDRAWN),
        5: (None, None, "withdrawn", AMENDMENT_WITHDRAWN),
        6: ("reject", "maintained", "adopted", AMENDMENT_ACCEPTED),
        7: ("reject", "maintained", "rejected", AMENDMENT_REJECTED),
        8: (None, None, "adopted", AMENDMENT_ACCEPTED),
        9: (None, None, "rejected", AMENDMENT_REJECTED)}
    assert rows[1].supports_count == 2
    assert rows[1].amendment.reason == rows[2].amendment.reason == "Non tranché avant l'adoption du texte."
    assert rows[2].procedure_text.startswith("L'eau est un bien commun") and rows[2].procedure_at is not None
    assert rows[4].merge_into_id == rows[3].id
    assert rows[8].exclusive_group == rows[9].exclusive_group == 1
    assert rows[8].article_id == rows[9].article_id
    # Every one is tabled by a delegation of the meeting.
    assert all(r.delegation_id is not None for r in rows.values())


def test_adopted_wordings_are_in_the_articles_with_stable_numbers(app):
    load_demo(app)
    declaration = db.session.scalars(db.select(Declaration)).one()
    articles = declarations.articles(declaration)
    assert len(articles) == 13 and declaration.next_article_number == 14
    assert len({a.section for a in articles}) == 4
    text = {a.number: a.text for a in articles}
    # A3 added article 13 after article 8, in the same section.
    numbers = [a.number for a in articles]
    assert numbers.index(13) == numbers.index(8) + 1
    assert text[13].startswith("Les communes publient leurs décisions")
    assert "chaque mois" in text[3]  # A6, carried by the plenary
    assert "bureau permanent" not in text[10]  # A7, rejected
    assert "rivières" in text[7]  # A8, the wording chosen in its exclusive group
    assert "réquisitionnés" not in text[5]  # A1, never decided
    assert "**Article 13.** Les communes publient" in declaration.document.body


def test_floor_votes_have_one_voice_per_delegation_with_weights(app):
    load_demo(app)
    declaration = db.session.scalars(db.select(Declaration)).one()
    rows = by_number(declaration)
    votes = {v.amendment_id: v for v in db.session.scalars(db.select(FloorVote)
                                                           .where(FloorVote.declaration_id == declaration.id))}
    assert set(votes) == {rows[6].id, rows[7].id, None}
    carried, rejected, whole = votes[rows[6].id], votes[rows[7].id], votes[None]
    assert (carried.weight_for, carried.weight_against, carried.weight_abstain, carried.carried) == (3, 1, 1, True)
    assert (rejected.weight_for, rejected.weight_against, rejected.weight_abstain, rejected.carried) == (1, 3, 1, False)
    assert (whole.subject, whole.weight_for, whole.carried) == ("adoption", 5, True)
    for vote in (carried, rejected, whole):
        voices = db.session.scalars(db.select(Voice).where(Voice.floor_vote_id == vote.id)).all()
        assert len(voices) == 4 and vote.closed_at is not None
        assert sum(v.weight for v in voices) == 5
    cards = db.session.scalars(db.select(Voice).where(Voice.by_organiser.is_(True))).all()
    assert [v.delegation.collective_name for v in cards] == ["Collectif écologiste des Côtes de Meuse"]


def test_the_text_is_adopted_with_its_hash_in_the_journal_and_signed_once(app):
    load_demo(app)
    declaration = db.session.scalars(db.select(Declaration)).one()
    document = declaration.document
    assert declaration.state == "adopted" and declaration.adoption_mode == "vote"
    assert declaration.adopted_version == document.version
    assert declaration.adopted_hash == hashlib.sha256(document.body.encode("utf-8")).hexdigest()
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "cdc.declaration.adopted")).one()
    assert entry.details["sha256"] == declaration.adopted_hash
    assert entry.commune_id == declaration.meeting.assembly.commune_id
    signatures = db.session.scalars(db.select(Signature)).all()
    assert [(s.collective_name, s.decision_reference) for s in signatures] == [
        ("Assemblée populaire de Vaucouleurs", "Assemblée populaire de Vaucouleurs du 7 juin")]
    assert signatures[0].signed_by.email == "karim.haddad@demo.convergence.fr"


def counts() -> dict:
    from convergence.balloting.models import Participation
    from plugins.mj.models import Vote
    from plugins.proposals.models import Proposal

    return {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Declaration, Contribution, WordingVote, WordingCode, Vote, Participation, Proposal)}


def test_loading_the_demo_twice_adds_nothing_the_second_time(app):
    load_demo(app)
    first = counts()
    load_demo(app)
    assert counts() == first
    assert (first["Declaration"], first["Contribution"], first["WordingVote"], first["WordingCode"]) == (1, 1, 1, 3)


def declaration_page(app) -> str:
    declaration = db.session.scalars(db.select(Declaration)).one()
    response = app.test_client().get(f"/rencontres/{declaration.meeting_id}/declaration")
    assert response.status_code == 200
    return " ".join(visible_text(response).replace("\u202f", " ").replace("\xa0", " ").split())


def test_a_commune_sent_its_adopted_proposal_as_a_contribution(app):
    from convergence.models import User
    from plugins.proposals.models import Proposal, ProposalRound

    load_demo(app)
    contribution = db.session.scalars(db.select(Contribution)).one()
    proposal = db.session.get(Proposal, contribution.proposal_id)
    # Adopted as a real adoption is: a consent round closed with no objection.
    assert proposal.title == "Reprendre l'eau en régie publique" and proposal.status == "adopted"
    rounds = db.session.scalars(db.select(ProposalRound).where(ProposalRound.proposal_id == proposal.id)).all()
    assert [(r.number, r.outcome) for r in rounds] == [(1, "adopted")]
    assert contribution.kind == "contribution" and contribution.amendment_id is None
    assert contribution.commune.name == "Belleville-sur-Meuse"
    assert db.session.get(User, contribution.sent_by_id).email == "camille.facilitatrice@demo.convergence.fr"
    sent = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "cdc.declaration.contribution")).all()
    assert [e.target for e in sent] == ["Reprendre l'eau en régie publique"]

    page = declaration_page(app)
    section = page[page.index("Contributions des communes"):]
    assert "Belleville-sur-Meuse · Reprendre l'eau en régie publique · proposition adoptée par Belleville-sur-Meuse" \
        in section
    assert "Nous demandons que la déclaration en garde le principe" in section
    # And the proposal's page names where it went.
    text = visible_text(app.test_client().get(f"/propositions/{proposal.id}"))
    assert "Envoyée à « Commune des Communes — rencontre de printemps » comme contribution" in text


def test_a_vote_between_two_wordings_closed_with_three_delegations_ballots(app):
    from convergence.balloting.models import Participation
    from plugins.mj import api as mj

    load_demo(app)
    declaration = db.session.scalars(db.select(Declaration)).one()
    rows = by_number(declaration)
    vote = db.session.scalars(db.select(WordingVote)).one()
    assert (vote.result, vote.winner_id, vote.settled_at is not None) == ("amendment", rows[8].id, True)
    assert rows[8].mj_vote_id == rows[9].mj_vote_id == vote.mj_vote_id
    assert rows[9].amendment.reason == "Écartée par le vote entre rédactions."
    mj_vote = mj.get_vote(vote.mj_vote_id)
    assert mj.status(mj_vote) == "closed" and mj_vote.voters == "codes"
    results = mj.results_for(mj_vote)
    assert results.participants == 3
    assert [r.option.source_id for r in results.ranking if r.rank == 1] == [str(rows[8].id)]
    # One code per delegation that voted, and the ballots name no one (cast with the code).
    voted = set(db.session.scalars(db.select(Delegation.collective_name).join(
        WordingCode, WordingCode.delegation_id == Delegation.id)))
    assert voted == {"Assemblée populaire de Vaucouleurs", "Liste citoyenne « Saint-Mihiel en commun »",
                     "Collectif écologiste des Côtes de Meuse"}
    participations = db.session.scalars(db.select(Participation).where(Participation.box_id == mj_vote.box_id)).all()
    assert len(participations) == 3 and all(p.user_id is None and p.code_id is not None for p in participations)
    actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("cdc.wording.%"))).all()
    assert sorted(actions) == ["cdc.wording.closed", "cdc.wording.opened"]

    page = declaration_page(app)
    section = page[page.index("Votes entre rédactions"):]
    assert "(A8, A9) — vote clos · Retenu : amendement A8" in section
