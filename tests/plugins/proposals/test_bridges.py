"""The plug-in with the others: majority-judgment votes, needs, the assembly's switch, the
personal data export, the agenda kinds."""

from __future__ import annotations

import csv
import io
import json

from convergence.extensions import db
from convergence.models import Amendment, AuditEntry, SpaceFeature
from plugins.proposals.models import Proposal

from .conftest import as_user, create, post


def page(proposal) -> str:
    return f"/propositions/{proposal.id}"


def reload(proposal) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, proposal.id)


def discussed(app, room, client, title, body="Un texte.\n\nDeux."):
    proposal = create(client, room, title=title, body=body)
    post(client, page(proposal), page(proposal) + "/statut", {"status": "discussion"})
    return reload(proposal)


def test_competing_proposals_go_to_a_majority_judgment_vote_and_the_result_comes_back(app, room):
    from plugins.mj import api as mj
    from plugins.mj.models import Vote  # the test reads mj's rows; the plug-in itself never does

    alice, bob = as_user(app, room.alice), as_user(app, room.bob)
    garden = discussed(app, room, alice, "Jardin au centre")
    orchard = discussed(app, room, bob, "Verger à la gare")
    facilitator = as_user(app, room.facilitator)
    url = f"/assemblees/{room.assembly.id}/propositions/vote"
    assert "Jardin au centre" in facilitator.get(url).get_data(as_text=True)
    assert bob.get(url).status_code == 403
    one = post(facilitator, url, url, {"question": "Quel projet ?", "proposal": [str(garden.id)]})
    assert one.status_code == 422 and "au moins deux" in one.get_data(as_text=True)
    created = post(facilitator, url, url, {"question": "Quel projet pour le terrain communal ?",
                                           "proposal": [str(garden.id), str(orchard.id)]})
    assert created.status_code == 302
    vote = db.session.scalar(db.select(Vote))
    assert [(o.label, o.source_plugin, o.source_id) for o in vote.options] == [
        ("Jardin au centre", "proposals", str(garden.id)), ("Verger à la gare", "proposals", str(orchard.id))]
    assert "résultats à la clôture" in alice.get(page(garden)).get_data(as_text=True)
    # The room votes on paper: the orchard is preferred.
    with app.test_request_context():
        mj.open_vote(vote)
        garden_option, orchard_option = vote.options
        mj.add_paper_batch(vote, {garden_option.id: [3, 2, 1, 0, 0, 0, 0],
                                  orchard_option.id: [0, 0, 0, 1, 1, 2, 2]})
        apply_url = f"/assemblees/{room.assembly.id}/propositions/vote/{vote.id}/appliquer"
        early = post(facilitator, page(garden), apply_url)
        assert early.status_code == 409  # not closed yet
        mj.close_vote(vote)
    shown = alice.get(page(garden)).get_data(as_text=True)
    assert "rang 2 sur 2" in shown
    assert "rang 1 sur 2" in alice.get(page(orchard)).get_data(as_text=True)
    # The close brought the result back by itself (vote-closed): nothing left to apply by hand.
    assert vote.asked_by == "proposals" and vote.asked_ref == f"assembly:{room.assembly.id}"
    assert reload(garden).status == "rejected" and reload(orchard).status == "adopted"
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "proposals.vote_applied"))
    again = post(facilitator, page(garden), apply_url, {"proposal_id": str(garden.id)})
    assert again.status_code == 409
    assert reload(garden).status == "rejected" and reload(orchard).status == "adopted"


def test_competing_amendments_go_to_a_vote_and_the_winner_is_applied(app, room):
    from plugins.mj import api as mj
    from plugins.mj.models import Vote

    alice = as_user(app, room.alice)
    proposal = discussed(app, room, alice, "Horaires du jardin", body="Intro.\n\nOuvert le samedi.")
    bob, carol = as_user(app, room.bob), as_user(app, room.carol)
    new = page(proposal) + "/amendements/nouveau"
    post(bob, new, new, {"paragraph": "1", "new_text": "Ouvert le dimanche.", "base_version": "1"})
    post(carol, new, new, {"paragraph": "1", "new_text": "Ouvert tous les jours.", "base_version": "1"})
    first, second = db.session.scalars(db.select(Amendment).order_by(Amendment.id)).all()
    facilitator = as_user(app, room.facilitator)
    url = f"/assemblees/{room.assembly.id}/propositions/vote"
    assert post(facilitator, url, url, {"question": "Quels horaires ?",
                                        "amendment": [str(first.id), str(second.id)]}).status_code == 302
    vote = db.session.scalar(db.select(Vote))
    with app.test_request_context():
        mj.open_vote(vote)
        a, b = vote.options
        mj.add_paper_batch(vote, {a.id: [2, 1, 0, 0, 0, 0, 0], b.id: [0, 0, 0, 0, 0, 1, 2]})
        mj.close_vote(vote)
    apply_url = f"/assemblees/{room.assembly.id}/propositions/vote/{vote.id}/appliquer"
    assert post(facilitator, page(proposal), apply_url).status_code == 409  # applied at the close
    proposal = reload(proposal)
    assert proposal.body == "Intro.\n\nOuvert tous les jours." and proposal.version == 2
    states = db.session.execute(db.select(Amendment.id, Amendment.state).order_by(Amendment.id)).all()
    assert [s for _i, s in states] == ["rejected", "accepted"]


def test_a_vote_is_offered_only_when_the_voting_plug_in_is_on(app, room):
    db.session.add(SpaceFeature(space_id=room.assembly.space_id, plugin_name="mj", active=False))
    db.session.commit()
    facilitator = as_user(app, room.facilitator)
    assert facilitator.get(f"/assemblees/{room.assembly.id}/propositions/vote").status_code == 404
    assert "jugement majoritaire" not in facilitator.get(room.base).get_data(as_text=True)


def test_linked_needs_show_on_both_sides(app, room):
    from plugins.needs import api as services
    from plugins.needs.models import Category, Need

    with app.test_request_context():
        services.ensure_defaults(room.commune)
    category = db.session.scalar(db.select(Category).where(Category.commune_id == room.commune.id))
    need = Need(commune_id=room.commune.id, category_id=category.id, title="Manque de légumes frais",
                author_id=room.bob.id)
    db.session.add(need)
    db.session.commit()
    alice = as_user(app, room.alice)
    bad = post(alice, room.base + "/nouvelle", room.base + "/nouvelle",
               {"title": "Un marché", "body": "Texte", "needs": "999999"})
    assert bad.status_code == 422 and "n&#39;existe pas" in bad.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0
    proposal = create(alice, room, title="Un marché paysan", needs=f"#{need.id}")
    assert "Manque de légumes frais" in alice.get(page(proposal)).get_data(as_text=True)
    need_page = alice.get(f"/communes/{room.commune.slug}/besoins/{need.id}").get_data(as_text=True)
    assert "Un marché paysan" in need_page


def test_switched_off_in_an_assembly_its_pages_are_gone(app, room):
    alice = as_user(app, room.alice)
    proposal = create(alice, room)
    db.session.add(SpaceFeature(space_id=room.assembly.space_id, plugin_name="proposals", active=False))
    db.session.commit()
    assert alice.get(room.base).status_code == 404
    assert alice.get(page(proposal)).status_code == 404
    assert "Propositions" not in alice.get(f"/assemblees/{room.assembly.id}").get_data(as_text=True)


def test_the_assembly_page_links_to_proposals_and_offers_the_agenda_kind(app, room):
    alice = as_user(app, room.alice)
    html = alice.get(f"/assemblees/{room.assembly.id}").get_data(as_text=True)
    assert f'href="/assemblees/{room.assembly.id}/propositions"' in html
    with app.test_request_context():
        from convergence import hooks

        assert ("proposition", "Proposition") in [(c, str(l)) for c, l in hooks.collect("agenda-item-kinds")]


def test_the_personal_data_export_holds_what_the_person_wrote(app, room):
    alice = as_user(app, room.alice)
    proposal = discussed(app, room, alice, "Ma proposition")
    bob = as_user(app, room.bob)
    post(bob, page(proposal), page(proposal) + "/commentaires", {"body": "Mon avis"})
    post(bob, page(proposal), page(proposal) + "/soutien")
    response = bob.get("/compte/mes-donnees.json")
    assert response.status_code == 200
    text = json.dumps(json.loads(response.get_data(as_text=True)), ensure_ascii=False)
    assert "Mon avis" in text and '"proposals_supported": [%d]' % proposal.id in text


def test_open_data_export(app, room):
    alice = as_user(app, room.alice)
    discussed(app, room, alice, "Publique")
    create(alice, room, title="Brouillon privé")
    csv_text = alice.get(room.base + "/export.csv").get_data(as_text=True)
    assert "Publique" in csv_text and "Brouillon privé" not in csv_text


def test_the_open_data_export_runs_no_formula(app, room):
    alice = as_user(app, room.alice)
    discussed(app, room, alice, "@SUM(1+1)*cmd|' /C calc'!A0")
    rows = list(csv.reader(io.StringIO(alice.get(room.base + "/export.csv").get_data(as_text=True), newline="")))
    assert rows[1][1] == "'@SUM(1+1)*cmd|' /C calc'!A0" and rows[1][0] == "1"
