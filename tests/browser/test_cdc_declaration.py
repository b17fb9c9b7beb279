"""The joint declaration in a real browser on a phone (360 px): the committee writes and
opens it, a delegation tables an amendment, another supports it; axe-core finds nothing
on the declaration's pages and each fits the screen."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import FACILITATOR, assert_accessible, demo_site, signed_in

pytestmark = pytest.mark.browser

TEXT = "## L'eau\n\nL'eau est un commun.\n\n## Le logement\n\nNul ne dort dehors."


def _meeting(app) -> dict:
    from convergence.extensions import db
    from plugins.cdc import declaration_models as tables
    from plugins.cdc.models import Meeting

    meeting = db.session.scalars(db.select(Meeting)).one()
    # The demo's meeting comes with its declaration adopted: this journey writes one anew.
    # Its rows go explicitly, children first (the demo server's SQLite reuses the id).
    declaration_id = db.session.scalar(db.select(tables.Declaration.id)
                                       .where(tables.Declaration.meeting_id == meeting.id))
    amendments = db.select(tables.DeclarationAmendment.id).where(
        tables.DeclarationAmendment.declaration_id == declaration_id)
    votes = db.select(tables.FloorVote.id).where(tables.FloorVote.declaration_id == declaration_id)
    for statement in (db.delete(tables.Voice).where(tables.Voice.floor_vote_id.in_(votes)),
                      db.delete(tables.FloorVote).where(tables.FloorVote.declaration_id == declaration_id),
                      db.delete(tables.AmendmentSupport).where(tables.AmendmentSupport.amendment_id.in_(amendments)),
                      db.delete(tables.Signature).where(tables.Signature.declaration_id == declaration_id),
                      db.delete(tables.Contribution).where(tables.Contribution.declaration_id == declaration_id),
                      db.update(tables.DeclarationAmendment).where(tables.DeclarationAmendment.declaration_id
                                                                   == declaration_id).values(merge_into_id=None),
                      db.delete(tables.DeclarationAmendment).where(
                          tables.DeclarationAmendment.declaration_id == declaration_id),
                      db.delete(tables.Article).where(tables.Article.declaration_id == declaration_id),
                      db.delete(tables.Declaration).where(tables.Declaration.id == declaration_id)):
        db.session.execute(statement)
    db.session.commit()
    return {"meeting": meeting.id}


site = demo_site(plugins=["cdc"], seed=_meeting)


def test_write_open_table_and_support_on_a_phone(context_for, site, axe_source):
    base = f"/rencontres/{site['meeting']}/declaration"
    committee = signed_in(context_for, FACILITATOR)
    committee.goto(f"{base}/nouvelle")
    assert_accessible(committee, axe_source, "new")
    committee.fill("#title", "Déclaration de Commercy")
    committee.fill("#text", TEXT)
    committee.get_by_role("button", name="Créer la déclaration").click()
    committee.wait_for_url(re.compile(rf"{base}$"))
    assert "Nul ne dort dehors." in committee.locator("main").inner_text()
    committee.goto(f"{base}/ouvrir")
    assert_accessible(committee, axe_source, "open")
    committee.get_by_role("button", name="Ouvrir aux amendements").click()
    committee.wait_for_url(re.compile(rf"{base}$"))

    karim = signed_in(context_for, "karim.haddad@demo.convergence.fr")
    karim.goto(base)
    karim.get_by_role("link", name="Amender l’article 2").click()
    assert_accessible(karim, axe_source, "amend")
    karim.fill("#text", "Nul ne dort à la rue.")
    karim.fill("#explanation", "Plus précis.")
    karim.get_by_role("button", name="Déposer l’amendement").click()
    karim.wait_for_url(re.compile(rf"{base}#A1$"))
    assert "Amendement A1" in karim.locator("main").inner_text()

    lea = signed_in(context_for, "lea.girard@demo.convergence.fr")
    lea.goto(base)
    assert_accessible(lea, axe_source, "declaration")
    lea.get_by_role("button", name="Soutenir A1 pour ma délégation").click()
    lea.wait_for_url(re.compile(rf"{base}#A1$"))
    assert "1 délégation le soutient" in lea.locator("main").inner_text().replace("\u202f", " ")
