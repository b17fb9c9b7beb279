"""The register of a polling place (« liste d'émargement ») kept on a phone at the door
(Debian Chromium, 360 px), axe-core on every page: the facilitator opens the register of
the Salle des fêtes, looks a resident up by name and marks him; looked up again he « a déjà
voté » there; a resident who voted online is shown as such, with nothing to tap; she closes
the register and types the pile's paper sheets. The same register kept without JavaScript:
every action is a plain form. The database is read at each step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_budget_ballot import _seed
from tests.browser_support import (FACILITATOR, PHONE, assert_accessible, demo_site, read_stored, signed_in,
                                   visit_accessible)

pytestmark = pytest.mark.browser

AMINA = "amina.benali@demo.convergence.fr"
NNBSP = "\u202f"
MARK = "Marquer comme ayant voté ici"


# The ballot's test seeds what a register needs: a budget of the demo's commune whose vote
# is open, six feasible projects, 1 to 3 a ballot, voted by the commune's members.
site = demo_site(plugins=["budget"], seed=_seed)


def registers(process_id: int) -> dict:
    """Per polling place: whether its register is closed, and the names marked there."""
    from convergence.balloting.models import Participation
    from convergence.extensions import db
    from convergence.models import User
    from plugins.budget.models import PollingPlace, RollMark

    found = {}
    for place in db.session.scalars(db.select(PollingPlace).where(PollingPlace.process_id == process_id)):
        names = db.session.scalars(
            db.select(User.display_name).join(Participation, Participation.user_id == User.id)
            .join(RollMark, RollMark.participation_id == Participation.id)
            .where(RollMark.place_id == place.id).order_by(User.display_name)).all()
        found[place.name] = (place.closed_at is not None, names)
    return found


def voters(process_id: int) -> list[str]:
    """Who has voted (online or on paper): the names of the participations."""
    from convergence.balloting.models import Participation
    from convergence.extensions import db
    from convergence.models import User
    from plugins.budget.models import Process

    box = db.session.get(Process, process_id).box_id
    return sorted(db.session.scalars(db.select(User.display_name).join(Participation, Participation.user_id == User.id)
                                     .where(Participation.box_id == box)))


def sheets(process_id: int) -> list[tuple[str, int, str]]:
    from convergence.extensions import db
    from plugins.budget.models import PaperSheet

    return [tuple(row) for row in db.session.execute(
        db.select(PaperSheet.place, PaperSheet.sheet, PaperSheet.content)
        .where(PaperSheet.process_id == process_id).order_by(PaperSheet.sheet))]


def look_up(page, name: str):
    """Type a name in the register's search, as the officer does; the line of the person found."""
    page.fill("#q", name)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#found-title")).to_contain_text(f"Personnes trouvées pour « {name} »")
    found = page.locator("ul.budget-roll-found li")
    expect(found).to_have_count(1)
    return found


def vote_online(context_for, base: str, who: str) -> None:
    page = signed_in(context_for, who)
    page.goto(f"{base}/bulletin")
    page.locator("form.budget-ballot input[name=project][value='1']").check()
    page.locator("form.budget-ballot button[type=submit]").click()
    expect(page.locator(".budget-receipt")).to_have_text(re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"))
    page.context.close()


def test_a_register_kept_on_a_phone_from_the_first_voter_to_the_sheets(context_for, site, axe_source):
    process_id = site["process"]
    base = f"/budgets/{process_id}"
    vote_online(context_for, base, AMINA)

    camille = signed_in(context_for, FACILITATOR)
    visit_accessible(camille, f"{base}/emargement", axe_source, "the registers")
    camille.fill("#place", "  Salle   des fêtes ")
    camille.get_by_role("button", name="Ouvrir la liste d'émargement de ce bureau").click()
    camille.wait_for_url(re.compile(rf"{base}/emargement/\d+$"))
    expect(camille.locator("h1")).to_have_text("Liste d'émargement de « Salle des fêtes »")
    assert_accessible(camille, axe_source, "a register just opened")
    assert read_stored(site, lambda: registers(process_id)) == {"Salle des fêtes": (False, [])}

    # A resident looked up by name, marked.
    bernard = look_up(camille, "lefèvre")
    expect(bernard).to_contain_text("Bernard Lefèvre — n'a pas encore voté")
    assert_accessible(camille, axe_source, "a resident found")
    bernard.get_by_role("button", name=MARK).click()
    expect(camille.locator(".flash-success")).to_contain_text(
        "Bernard Lefèvre est marqué·e comme ayant voté à « Salle des fêtes ». Remettez-lui un bulletin.")
    expect(camille.locator("main")).to_contain_text("1 émargement (dont 0 sans compte ni code)")
    assert_accessible(camille, axe_source, "a resident marked")
    assert read_stored(site, lambda: registers(process_id)) == {"Salle des fêtes": (False, ["Bernard Lefèvre"])}

    # Looked up again: he has voted here, nothing to tap.
    again = look_up(camille, "Bernard")
    expect(again).to_contain_text("Bernard Lefèvre — a déjà voté au bureau de vote « Salle des fêtes »")
    expect(again.get_by_role("button", name=MARK)).to_have_count(0)

    # A resident who voted online: shown as such, nothing to tap.
    amina = look_up(camille, "Amina")
    expect(amina).to_contain_text("Amina Benali — a déjà voté en ligne")
    expect(amina.get_by_role("button", name=MARK)).to_have_count(0)
    assert_accessible(camille, axe_source, "a resident who voted online")
    assert read_stored(site, lambda: voters(process_id)) == ["Amina Benali", "Bernard Lefèvre"]

    # A voter of the commune's roll without account nor code, counted.
    camille.get_by_role("button", name="Compter un·e électeur·rice sans compte ni code").click()
    expect(camille.locator("main")).to_contain_text("2 émargements (dont 1 sans compte ni code)")

    # The register closed, on its own page.
    camille.get_by_role("link", name="Clore cette liste d'émargement").click()
    camille.wait_for_url(re.compile(rf"{base}/emargement/\d+/clore$"))
    expect(camille.locator("h1")).to_have_text(f"Clore la liste d'émargement de « Salle des fêtes »{NNBSP}?")
    assert_accessible(camille, axe_source, "closing a register")
    camille.get_by_role("button", name="Oui, clore la liste d'émargement").click()
    camille.wait_for_url(re.compile(rf"{base}/bulletins-papier\?lieu="))
    expect(camille.locator(".flash-success")).to_contain_text(
        "La liste d'émargement de « Salle des fêtes » est close avec 2 émargements")
    assert read_stored(site, lambda: registers(process_id)) == {"Salle des fêtes": (True, ["Bernard Lefèvre"])}

    # Its pile typed: the place is filled in, the sheet number moves on.
    expect(camille.locator("#place")).to_have_value("Salle des fêtes")
    assert_accessible(camille, axe_source, "the paper sheets of a closed register")
    for number, content in ((1, "1 2"), (2, "3")):
        expect(camille.locator("#sheet")).to_have_value(str(number))
        camille.fill("#content", content)
        camille.get_by_role("button", name="Enregistrer la feuille").click()
        expect(camille.locator(".flash-success")).to_contain_text(
            f"Feuille {number} de « Salle des fêtes » saisie")
    counts = camille.locator("table.budget-roll-counts tbody tr", has_text="Salle des fêtes")
    expect(counts.locator("td")).to_have_text(["2", "1", "2", "aucun"])
    assert_accessible(camille, axe_source, "the sheets typed")
    # Stored as the ballot's text: the project numbers joined by dots.
    assert read_stored(site, lambda: sheets(process_id)) == [("Salle des fêtes", 1, "1.2"),
                                                             ("Salle des fêtes", 2, "3")]

    # Closed, the register marks nobody any more.
    camille.goto(f"{base}/emargement")
    camille.get_by_role("link", name="Salle des fêtes").click()
    expect(camille.locator("main")).to_contain_text("La liste d'émargement de « Salle des fêtes » est close.")
    closed = look_up(camille, "Chloé")
    expect(closed).to_contain_text("Chloé Martin — n'a pas encore voté")
    expect(closed.get_by_role("button", name=MARK)).to_have_count(0)
    assert_accessible(camille, axe_source, "a closed register")


def test_a_register_kept_without_javascript(context_for, site):
    # No axe here: with scripts off, axe.run's promise never settles. The pages are the
    # same markup the test above audits with JavaScript on.
    process_id = site["process"]
    base = f"/budgets/{process_id}"
    camille = signed_in(context_for, FACILITATOR, {**PHONE, "java_script_enabled": False})
    camille.goto(f"{base}/emargement")
    camille.fill("#place", "École Jules Ferry")
    camille.get_by_role("button", name="Ouvrir la liste d'émargement de ce bureau").click()
    expect(camille.locator("h1")).to_have_text("Liste d'émargement de « École Jules Ferry »")
    daniel = look_up(camille, "Rousseau")
    expect(daniel).to_contain_text("Daniel Rousseau — n'a pas encore voté")
    daniel.get_by_role("button", name=MARK).click()
    expect(camille.locator(".flash-success")).to_contain_text("Daniel Rousseau est marqué·e comme ayant voté")
    again = look_up(camille, "Rousseau")
    expect(again).to_contain_text("Daniel Rousseau — a déjà voté au bureau de vote « École Jules Ferry »")
    expect(again.get_by_role("button", name=MARK)).to_have_count(0)
    assert read_stored(site, lambda: registers(process_id))["École Jules Ferry"] == (False, ["Daniel Rousseau"])
