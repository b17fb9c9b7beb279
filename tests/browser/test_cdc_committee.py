"""The drafting committee's pages in a real browser (Debian Chromium), on a phone (360 px):
an organiser proposes to reject an amendment with a reason, without JavaScript's help;
axe-core finds nothing on the committee's, the procedure's, the groups' and the answer's
pages. Skips like the core's browser tests when Chromium or axe-core are missing."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import (DESKTOP, FACILITATOR, PHONE, assert_fits_the_screen, demo_site, signed_in,
                                   visit_accessible)

pytestmark = pytest.mark.browser


def _declaration(app) -> dict:
    """The demo meeting's declaration (made here when the demo has none) and two amendments
    of its first article tabled by the first delegation."""
    from convergence.extensions import db
    from convergence.models.drafting import Amendment
    from plugins.cdc import declarations
    from plugins.cdc.declaration_models import DeclarationAmendment
    from plugins.cdc.models import Delegation, Meeting

    meeting = db.session.scalars(db.select(Meeting)).one()
    delegation = db.session.scalars(db.select(Delegation).where(Delegation.status == "registered")
                                    .order_by(Delegation.id)).first()
    declaration = declarations.of_meeting(meeting) or declarations.create(
        meeting, delegation.registered_by, "Déclaration de Commercy",
        "## L'eau\n\nL'eau est un commun.\n\nSa gestion est publique.")
    declaration.state = "amending"
    article = declarations.articles(declaration)[0]
    numbers = []
    for wording in ("L'eau est un commun inaliénable.", "L'eau est un bien commun de toutes et tous."):
        core = Amendment(document_id=declaration.document_id, paragraph=None, base_version=declaration.document.version,
                         original_text=article.text, new_text=wording, explanation="Plus précis.",
                         author_id=delegation.registered_by_id)
        db.session.add(core)
        db.session.flush()
        number = declaration.next_amendment_number
        declaration.next_amendment_number = number + 1
        db.session.add(DeclarationAmendment(declaration_id=declaration.id, amendment_id=core.id, number=number,
                                            kind="modify", article_id=article.id, delegation_id=delegation.id))
        numbers.append(number)
    db.session.commit()
    return {"meeting": meeting.id, "numbers": numbers, "delegate": delegation.registered_by.email}


site = demo_site(plugins=["cdc"], seed=_declaration)


def test_the_committee_proposes_to_reject_with_a_reason_on_a_phone(context_for, site):
    base = f"/rencontres/{site['meeting']}/declaration"
    first = site["numbers"][0]
    organiser = signed_in(context_for, FACILITATOR)
    organiser.goto(f"{base}/amendements/{first}/procedure")
    organiser.get_by_label("Rejeter (dire pourquoi)").check()
    organiser.get_by_role("button", name="Proposer").click()
    # No reason: the same page, the message, a 422.
    assert "Dites pourquoi le comité propose de rejeter" in organiser.locator("main").inner_text()
    assert_fits_the_screen(organiser)
    organiser.get_by_label("Rejeter (dire pourquoi)").check()
    organiser.get_by_label("Motif (obligatoire pour rejeter)").fill("Déjà dit à l'article 2.")
    organiser.get_by_role("button", name="Proposer").click()
    organiser.wait_for_url(re.compile(rf"{base}/comite$"))
    main = organiser.locator("main").inner_text()
    assert "La procédure sur l’amendement A%d est proposée à sa délégation." % first in main
    assert "Déjà dit à l'article 2." in main


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_committee_pages_pass_axe(context_for, site, axe_source, device):
    base = f"/rencontres/{site['meeting']}/declaration"
    second = site["numbers"][1]
    screen = PHONE if device == "phone" else DESKTOP
    organiser = signed_in(context_for, FACILITATOR, screen)
    delegate = signed_in(context_for, site["delegate"], screen)
    for page, name, path in ((organiser, "committee", f"{base}/comite"),
                             (organiser, "procedure", f"{base}/amendements/{second}/procedure"),
                             (organiser, "groups", f"{base}/groupes"),
                             (delegate, "answer", f"{base}/amendements/{second}/reponse")):
        visit_accessible(page, path, axe_source, f"{name} ({device})", fits=device == "phone")
