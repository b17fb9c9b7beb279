"""A Commune des Communes from registration to signature, on phones (Debian Chromium, 360 px,
touch), each person in their own browser, tapping and typing only; axe-core on every page
of the way, and the database read after each step (what the pages say is what was stored).

The heads of two delegations register (one with lodging and meals and a dietary need, one
for a commune of the platform); the drafting committee (the organiser) writes the
declaration and opens it to amendments; the first delegation amends article 2; the
committee proposes to reject it with a reason; the delegation maintains it; the committee
opens a floor vote; both delegations vote from their phones; the vote is closed and its
breakdown per delegation shown; the committee adopts the text by consent (its SHA-256 in
the host commune's journal); the first delegation's mandated delegate signs with its
decision's reference; the public list of signatories names it.

The server is the demo with a second meeting of its own (the demo's meeting comes with its
declaration already adopted): a new assembly of the host commune, two days, three meals."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser_support import (FACILITATOR, PHONE, DEMO_SLUG, assert_accessible, demo_site, read_stored,
                                   signed_in)

pytestmark = pytest.mark.browser

LIGNY = "quentin.blanc@demo.convergence.fr"  # heads the Maison du peuple de Ligny
VAUCOULEURS = "amina.benali@demo.convergence.fr"  # heads the delegation of Vaucouleurs (a commune here)
TEXT = ("## L'eau\n\nL'eau est un commun.\n\n"
        "## Le logement\n\nNul ne dort dehors.\n\nLes logements vides sont réquisitionnés.")
AMENDED = "Nul ne dort à la rue, ni seul ni sans toit."
REFERENCE = "Assemblée du 12 janvier 2027"


def _meeting(app) -> dict:
    """A second meeting of the demo's commune, two days a month from now, registration open."""
    from datetime import date, datetime, time

    from flask_babel import to_utc

    from convergence.extensions import db
    from convergence.models import Assembly, Commune
    from plugins.cdc import meetings

    commune = db.session.scalar(db.select(Commune).where(Commune.slug == DEMO_SLUG))
    saturday = date.today() + timedelta(days=30)
    sunday = saturday + timedelta(days=1)
    at = (lambda day, hour, minute=0: to_utc(datetime.combine(day, time(hour, minute))))
    assembly = Assembly(commune_id=commune.id, title="Commune des Communes — rencontre d'automne",
                        kind="commune_des_communes", starts_at=at(saturday, 9), ends_at=at(sunday, 14),
                        place="Salle des fêtes, Belleville-sur-Meuse", status="planned")
    db.session.add(assembly)
    db.session.flush()
    meeting = meetings.create(assembly, first_day=saturday, last_day=sunday,
                              deadline=at(saturday - timedelta(days=3), 23),
                              invitation="Venez en délégation avec un mandat.")
    for kind, title, day, start, end, room in (
            ("pleniere", "Ouverture et déclaration commune", saturday, (10, 0), (12, 0), "Grande salle"),
            ("repas", "Repas du samedi midi", saturday, (12, 0), (13, 30), "Cantine"),
            ("repas", "Repas du samedi soir", saturday, (19, 0), (20, 30), "Cantine"),
            ("repas", "Repas du dimanche midi", sunday, (12, 30), (14, 0), "Cantine")):
        meetings.add_session(meeting, kind=kind, title=title, starts_at=at(day, *start), ends_at=at(day, *end),
                             room=room)
    db.session.commit()
    return {"meeting": meeting.id, "saturday": saturday}


site = demo_site(plugins=["cdc"], seed=_meeting)


def main_text(page) -> str:
    """The page's main content as read, with French typography's no-break spaces as spaces."""
    return page.locator("main").inner_text().replace("\u202f", " ").replace("\u00a0", " ")


def expect_said(page, text: str) -> None:
    """Wait for ``text`` in the page's main content (Playwright's auto-waiting, no sleep)."""
    spaced = r"[\s\u202f\u00a0]+".join(re.escape(word) for word in text.split(" "))
    expect(page.locator("main")).to_contain_text(re.compile(spaced))


def delegation_of(email: str):
    from convergence.extensions import db
    from convergence.models import User
    from plugins.cdc.models import Delegation

    user = db.session.scalar(db.select(User).where(User.email == email))
    return db.session.scalar(db.select(Delegation).where(Delegation.registered_by_id == user.id)
                             .order_by(Delegation.id.desc()))


def declaration_of(meeting_id: int):
    from convergence.extensions import db
    from plugins.cdc.declaration_models import Declaration

    return db.session.scalar(db.select(Declaration).where(Declaration.meeting_id == meeting_id))


def articles(meeting_id: int) -> list[str]:
    from plugins.cdc import declarations

    return [article.text for article in declarations.articles(declaration_of(meeting_id))]


def register(page, axe_source, meeting_id: int, fill) -> None:
    """From the meeting's page, the registration form: ``fill(page)`` types what this
    delegation says; then sent, and its page drawn."""
    page.goto(f"/rencontres/{meeting_id}")
    assert_accessible(page, axe_source, "meeting")
    page.locator("main").get_by_role("link", name="Inscrire une délégation").first.click()
    page.wait_for_url(re.compile(rf"/rencontres/{meeting_id}/inscription$"))
    assert_accessible(page, axe_source, "register")
    fill(page)
    page.locator("main").get_by_role("button", name="S'inscrire").click()
    page.wait_for_url(re.compile(r"/delegations/\d+$"))
    expect_said(page, "Votre délégation est inscrite.")
    assert_accessible(page, axe_source, "delegation")


def fill_ligny(page) -> None:
    page.get_by_label("Nom du collectif").fill("Maison du peuple de Ligny")
    page.get_by_label("Ville").fill("Ligny-en-Barrois")
    page.get_by_label("Téléphone de contact").fill("06 12 34 56 78")
    page.get_by_label("Nombre de personnes de la délégation").fill("4")
    page.get_by_label("Autres membres (un nom par ligne ; facultatif)").fill("Inès Laurent\nMarc Girard")
    page.get_by_label("Impératif : la délégation vote comme son collectif l'a décidé").check()
    page.get_by_label("Le mandat", exact=True).fill("Défendre le droit au logement pour toutes et tous.")
    page.get_by_label("Dans la salle, avec nos duvets").check()
    nights = page.get_by_label(re.compile(r"^Nuit du "))
    expect(nights).to_have_count(2)
    nights.nth(0).fill("2")
    nights.nth(1).fill("4")
    page.get_by_label(re.compile(r"^Repas du samedi midi")).fill("4")
    page.get_by_label(re.compile(r"^Repas du samedi soir")).fill("3")
    page.get_by_label("Régimes alimentaires (végétarien, allergies…)").fill("Une personne sans gluten.")


def fill_vaucouleurs(page) -> None:
    page.get_by_label("Commune de la plateforme").select_option(label="Vaucouleurs")
    page.get_by_label("Nombre de personnes de la délégation").fill("3")
    page.get_by_label(re.compile(r"^Repas du dimanche midi")).fill("3")


def test_from_registration_to_signature_on_phones(context_for, site, axe_source):
    meeting_id = site["meeting"]
    base = f"/rencontres/{meeting_id}/declaration"

    # 1. Two heads of delegation register from their phones.
    ligny = signed_in(context_for, LIGNY, PHONE)
    register(ligny, axe_source, meeting_id, fill_ligny)
    assert "Maison du peuple de Ligny" in main_text(ligny)
    vaucouleurs = signed_in(context_for, VAUCOULEURS, PHONE)
    register(vaucouleurs, axe_source, meeting_id, fill_vaucouleurs)
    assert "Vaucouleurs" in main_text(vaucouleurs)

    def registered():
        from convergence.extensions import db
        from plugins.cdc.models import Session

        def meals(delegation):
            return {db.session.get(Session, m.session_id).title: m.people for m in delegation.meals}

        first, second = delegation_of(LIGNY), delegation_of(VAUCOULEURS)
        head = next(m for m in first.members if m.is_head)
        return {"ligny": (first.meeting_id, first.status, first.collective_name, first.people_count,
                          first.mandate_kind, head.user_id == first.registered_by_id,
                          sorted(m.name for m in first.members if not m.is_head)),
                "lodging": (first.lodging_mode, {n.night: n.people for n in first.nights}),
                "meals": (meals(first), first.dietary_needs),
                "vaucouleurs": (second.meeting_id, second.status, second.commune.name if second.commune else None,
                                second.people_count, meals(second))}

    friday, saturday = site["saturday"] - timedelta(days=1), site["saturday"]
    assert read_stored(site, registered) == {
        "ligny": (meeting_id, "registered", "Maison du peuple de Ligny", 4, "imperatif", True,
                  ["Inès Laurent", "Marc Girard"]),
        "lodging": ("hall", {friday: 2, saturday: 4}),
        "meals": ({"Repas du samedi midi": 4, "Repas du samedi soir": 3}, "Une personne sans gluten."),
        "vaucouleurs": (meeting_id, "registered", "Vaucouleurs", 3, {"Repas du dimanche midi": 3})}

    # 2. The drafting committee writes the declaration and opens it to amendments.
    committee = signed_in(context_for, FACILITATOR, PHONE)
    committee.goto(f"/rencontres/{meeting_id}")
    committee.get_by_role("link", name="Écrire ou importer la déclaration").click()
    committee.wait_for_url(re.compile(rf"{base}$"))
    assert_accessible(committee, axe_source, "no declaration yet")
    committee.get_by_role("link", name="Écrire ou importer la déclaration").click()
    assert_accessible(committee, axe_source, "new declaration")
    committee.get_by_label("Titre").fill("Déclaration de Belleville")
    committee.get_by_label("Texte en Markdown").fill(TEXT)
    committee.get_by_role("button", name="Créer la déclaration").click()
    committee.wait_for_url(re.compile(rf"{base}$"))
    expect_said(committee, "Les logements vides sont réquisitionnés.")
    committee.get_by_role("link", name="Ouvrir aux amendements").click()
    assert_accessible(committee, axe_source, "open to amendments")
    committee.get_by_role("button", name="Ouvrir aux amendements").click()
    committee.wait_for_url(re.compile(rf"{base}$"))
    expect_said(committee, "Ouverte aux amendements des délégations.")
    assert read_stored(site, lambda: (declaration_of(meeting_id).state, articles(meeting_id))) == (
        "amending", ["L'eau est un commun.", "Nul ne dort dehors.", "Les logements vides sont réquisitionnés."])

    # 3. The first delegation amends article 2.
    ligny.goto(f"/rencontres/{meeting_id}")
    ligny.get_by_role("link", name="Déclaration de Belleville").click()
    assert_accessible(ligny, axe_source, "declaration (amending)")
    ligny.get_by_role("link", name="Amender l’article 2").click()
    assert_accessible(ligny, axe_source, "amend")
    ligny.get_by_label("Nouvelle rédaction").fill(AMENDED)
    ligny.get_by_label("Exposé des motifs").fill("Dormir dehors n'est pas le seul cas.")
    ligny.get_by_role("button", name="Déposer l’amendement").click()
    ligny.wait_for_url(re.compile(rf"{base}#A1$"))
    expect_said(ligny, "L’amendement A1 a été déposé.")

    def amendment():
        from convergence.extensions import db
        from plugins.cdc.declaration_models import Article, DeclarationAmendment

        row = db.session.scalar(db.select(DeclarationAmendment).where(
            DeclarationAmendment.declaration_id == declaration_of(meeting_id).id, DeclarationAmendment.number == 1))
        article = db.session.get(Article, row.article_id)
        return {"delegation": row.delegation_id, "ligny": delegation_of(LIGNY).id, "kind": row.kind,
                "article": article.number, "new": row.amendment.new_text, "procedure": row.procedure,
                "reason": row.procedure_reason, "answer": row.answer, "outcome": row.outcome, "id": row.id}

    tabled = read_stored(site, amendment)
    assert (tabled["delegation"], tabled["kind"], tabled["article"], tabled["new"], tabled["procedure"]) == (
        tabled["ligny"], "modify", 2, AMENDED, None)

    # 4. The committee proposes to reject it, with its reason.
    committee.goto(base)
    committee.get_by_role("link", name="Comité de rédaction : procédures").click()
    assert_accessible(committee, axe_source, "committee")
    card = committee.locator("article", has=committee.get_by_role("heading", name=re.compile(r"^A1 ")))
    card.get_by_text("Proposer une procédure").click()
    card.get_by_label("Rejeter (dire pourquoi)").check()
    card.get_by_label("Motif (obligatoire pour rejeter)").fill("L'article 3 le dit déjà.")
    card.get_by_role("button", name="Proposer").click()
    expect_said(committee, "La procédure sur l’amendement A1 est proposée à sa délégation.")
    assert (lambda a: (a["procedure"], a["reason"], a["answer"]))(read_stored(site, amendment)) == (
        "reject", "L'article 3 le dit déjà.", None)

    # 5. The delegation maintains its amendment: it goes to the vote.
    ligny.goto(base)
    ligny.get_by_role("link", name="Répondre à la procédure proposée par le comité").click()
    assert_accessible(ligny, axe_source, "answer")
    expect_said(ligny, "L'article 3 le dit déjà.")
    ligny.get_by_label("Nous maintenons notre amendement : il va au vote").check()
    ligny.get_by_role("button", name="Répondre").click()
    expect_said(ligny, "L’amendement A1 est maintenu : il sera soumis au vote des délégations.")
    assert read_stored(site, amendment)["answer"] == "maintained"

    # 6. The committee opens a floor vote on A1.
    committee.goto(base)
    committee.get_by_role("link", name="Votes des délégations").click()
    assert_accessible(committee, axe_source, "votes")
    committee.get_by_label("Mettre aux voix").select_option(label="Amendement A1")
    committee.get_by_role("button", name="Ouvrir le vote").click()
    committee.wait_for_url(re.compile(rf"{base}/votes/\d+$"))
    expect_said(committee, "Le vote est ouvert")
    assert_accessible(committee, axe_source, "floor vote (the committee)")
    vote_path = committee.url.removeprefix(site["url"])

    def floor_vote():
        from convergence.extensions import db
        from plugins.cdc.declaration_models import FloorVote

        vote = db.session.scalar(db.select(FloorVote).where(
            FloorVote.declaration_id == declaration_of(meeting_id).id))
        return {"amendment": vote.amendment_id, "closed": vote.closed_at is not None, "carried": vote.carried,
                "id": vote.id}

    opened = read_stored(site, floor_vote)
    assert (opened["amendment"], opened["closed"], vote_path) == (tabled["id"], False, f"{base}/votes/{opened['id']}")

    # 7. Both delegations vote from their phones, through the declaration's links.
    for phone, choice, name in ((ligny, "Pour", "Maison du peuple de Ligny"), (vaucouleurs, "Abstention", None)):
        phone.goto(base)
        phone.get_by_role("link", name="Votes des délégations").click()
        phone.get_by_role("link", name="Amendement A1").click()
        phone.wait_for_url(re.compile(rf"{vote_path}$"))
        assert_accessible(phone, axe_source, "floor vote (a delegate)")
        expect_said(phone, "Votre délégation : " + (name or "Vaucouleurs"))
        phone.get_by_label(choice, exact=True).check()
        phone.get_by_role("button", name="Voter").click()
        expect_said(phone, f"La voix de votre délégation est enregistrée : {choice}.")

    def voices():
        from convergence.extensions import db
        from plugins.cdc.declaration_models import Voice
        from plugins.cdc.registration import public_name

        return sorted((public_name(v.delegation), v.choice, v.weight, v.by_organiser) for v in db.session.scalars(
            db.select(Voice).where(Voice.floor_vote_id == opened["id"])))

    assert read_stored(site, voices) == [("Maison du peuple de Ligny", "for", 1, False),
                                         ("Vaucouleurs", "abstain", 1, False)]

    # 8. The committee closes the vote: carried, the breakdown per delegation public.
    committee.goto(vote_path)
    committee.get_by_role("button", name="Clore le vote").click()
    expect_said(committee, "Vote clos : adopté.")
    assert_accessible(committee, axe_source, "floor vote closed")
    text = main_text(committee)
    assert "Pour : 1 · Contre : 0 · Abstention : 1 (pondérés)" in text
    breakdown = committee.get_by_role("table")
    expect(breakdown.get_by_role("row", name=re.compile("Maison du peuple de Ligny"))).to_contain_text("Pour")
    expect(breakdown.get_by_role("row", name=re.compile("Vaucouleurs"))).to_contain_text("Abstention")
    closed = read_stored(site, floor_vote)
    assert (closed["closed"], closed["carried"]) == (True, True)
    assert read_stored(site, amendment)["outcome"] == "adopted"
    assert read_stored(site, lambda: articles(meeting_id))[1] == AMENDED

    # 9. The committee adopts the text by consent: frozen, its SHA-256 in the journal.
    committee.goto(base)
    committee.get_by_role("link", name="Votes des délégations").click()
    committee.get_by_role("link", name="Adoption de la déclaration").click()
    assert_accessible(committee, axe_source, "adoption")
    committee.get_by_label("Aucune délégation ne s'est opposée au texte en l'état").check()
    committee.get_by_role("button", name="Adopter le texte").click()
    expect_said(committee, "La déclaration est adoptée par consentement.")
    assert_accessible(committee, axe_source, "adopted")

    def adopted():
        from convergence.extensions import db
        from convergence.models import AuditEntry

        declaration = declaration_of(meeting_id)
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "cdc.declaration.adopted",
                                                              AuditEntry.target == "Déclaration de Belleville"))
        return {"state": declaration.state, "mode": declaration.adoption_mode, "hash": declaration.adopted_hash,
                "body": declaration.document.body, "journal": entry.details if entry else None,
                "commune": (entry.commune_id, declaration.meeting.assembly.commune_id) if entry else None,
                "chained": bool(entry and entry.hash)}

    frozen = read_stored(site, adopted)
    digest = hashlib.sha256(frozen["body"].encode("utf-8")).hexdigest()
    assert AMENDED in frozen["body"] and "Nul ne dort dehors." not in frozen["body"]
    assert (frozen["state"], frozen["mode"], frozen["hash"]) == ("adopted", "consent", digest)
    assert frozen["journal"]["sha256"] == digest and frozen["journal"]["mode"] == "consent"
    assert frozen["commune"][0] == frozen["commune"][1] and frozen["chained"]
    assert digest in main_text(committee)

    # 10. The mandated delegate of Ligny signs with the reference of its collective's decision.
    ligny.goto(base)
    ligny.get_by_role("link", name="Signer pour votre collectif").click()
    assert_accessible(ligny, axe_source, "sign")
    ligny.get_by_label("La décision de votre collectif de signer").fill(REFERENCE)
    ligny.get_by_role("button", name="Signer pour Maison du peuple de Ligny").click()
    ligny.wait_for_url(re.compile(rf"{base}/signataires$"))
    expect_said(ligny, "« Maison du peuple de Ligny » a signé la déclaration.")

    def signatures():
        from convergence.extensions import db
        from plugins.cdc.declaration_models import Signature

        return [(s.collective_name, s.decision_reference, s.delegation_id == delegation_of(LIGNY).id)
                for s in db.session.scalars(db.select(Signature).where(
                    Signature.declaration_id == declaration_of(meeting_id).id))]

    assert read_stored(site, signatures) == [("Maison du peuple de Ligny", REFERENCE, True)]

    # 11. Anyone reads the signatories on the public page.
    visitor = context_for(PHONE).new_page()
    visitor.goto(f"{base}/signataires")
    assert_accessible(visitor, axe_source, "signatories (public)")
    signatories = visitor.get_by_role("list").filter(has_text="Maison du peuple de Ligny")
    expect(signatories).to_contain_text(f"décision : {REFERENCE}".replace(" :", "\u202f:"))
    assert "Vaucouleurs" not in signatories.inner_text()
