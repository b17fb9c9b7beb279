"""The vote in a real browser (Debian Chromium): a phone at 360 px, without JavaScript,
axe-core on every page, and the projector updating live when the vote closes.

Skips like the core's browser tests when Chromium or axe-core are missing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.browser_support import DESKTOP, PHONE, TIMEOUT_MS, assert_fits_the_screen, browser_contexts, describe, \
    log_in, run_axe, serve_demo

pytestmark = pytest.mark.browser

FACILITATOR = "camille.facilitatrice@demo.convergence.fr"
VOTERS = ["amina.benali@demo.convergence.fr", "bernard.lefevre@demo.convergence.fr",
          "chloe.martin@demo.convergence.fr"]


def _seed_votes(app) -> dict:
    """Three votes: two open (one to close by hand), one closed with online and paper ballots."""
    from convergence.extensions import db
    from convergence.models import Assembly, User
    from convergence.models.base import utcnow
    from plugins.mj import api, ballots

    assembly = db.session.scalar(db.select(Assembly))
    options = ["Jardin partagé sur la friche de la gare", "Parking", "Aire de jeux pour les enfants",
               "Ne rien faire pour l'instant"]
    open_vote = api.create_vote(assembly, "Que faire de la friche ?", options,
                                opens_at=utcnow() - timedelta(minutes=1))
    closed = api.create_vote(assembly, "Quelle date pour la fête de quartier ?", ["Juin", "Juillet", "Septembre"],
                             opens_at=utcnow() - timedelta(minutes=1))
    ids = [o.id for o in closed.options]
    users = db.session.scalars(db.select(User).order_by(User.id).limit(12)).all()
    for n, user in enumerate(users):
        ballots.cast(closed, {o: (n * (k + 2)) % 7 for k, o in enumerate(ids)}, user_id=user.id)
    api.add_paper_batch(closed, {ids[0]: [0, 0, 0, 1, 1, 0, 0], ids[1]: [1, 1, 0, 0, 0, 0, 0],
                                 ids[2]: [0, 0, 0, 0, 0, 1, 1]}, label="Urne de la salle")
    api.close_vote(closed)
    to_close = api.create_vote(assembly, "Quel nom pour la nouvelle place ?", ["Place des Tilleuls", "Place du Lavoir"],
                               opens_at=utcnow() - timedelta(minutes=1))
    return {"assembly": assembly.id, "open": open_vote.id, "closed": closed.id, "to_close": to_close.id}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo with the plug-in and two votes (one open, one closed with results), over HTTP."""
    with serve_demo(tmp_path_factory, plugins=["mj"], seed=_seed_votes) as info:
        yield info


@pytest.fixture
def context_for(browser, site):
    with browser_contexts(browser, site["url"], TIMEOUT_MS) as make:
        yield make


def test_vote_on_a_phone_without_javascript(context_for, site, axe_source):
    page = context_for(PHONE, java_script_enabled=False).new_page()
    log_in(page, VOTERS[0])
    page.goto(f"/votes/{site['open']}/bulletin")
    assert_fits_the_screen(page)
    legends = page.locator("form.mj-ballot fieldset legend").all_inner_texts()
    assert len(legends) == 4
    # Each grade is a labelled radio button: click the words, as a person would.
    for n, fieldset in enumerate(page.locator("form.mj-ballot fieldset").all()):
        fieldset.locator("label").nth(n).click()
    page.locator("form.mj-ballot button[type=submit]").click()
    receipt = page.locator(".mj-receipt").inner_text()  # the answer to the ballot itself
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt)
    assert page.url.endswith("/bulletin")  # no receipt in an address of the history
    # Back to the ballot: this device kept neither the choices nor the receipt; the voter
    # types the receipt they noted to change their ballot.
    page.goto(f"/votes/{site['open']}/bulletin")
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.locator("input[name=receipt]").input_value() == ""
    for fieldset in page.locator("form.mj-ballot fieldset").all():
        fieldset.locator("label").first.click()
    page.locator("input[name=receipt]").fill(receipt.lower())
    page.locator("form.mj-ballot button[type=submit]").click()
    assert page.locator(".mj-receipt").inner_text() == receipt
    assert "modifié" in page.locator("main").inner_text()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_pages_pass_axe(context_for, site, axe_source, device):
    context = context_for(PHONE if device == "phone" else DESKTOP)
    page = context.new_page()
    log_in(page, FACILITATOR)
    paths = [f"/assemblees/{site['assembly']}/votes", f"/votes/{site['open']}", f"/votes/{site['open']}/bulletin",
             f"/votes/{site['closed']}/resultats", f"/votes/{site['closed']}/projection",
             f"/votes/{site['closed']}/registre", f"/votes/{site['open']}/feuille",
             f"/votes/{site['open']}/depouillement-papier", f"/assemblees/{site['assembly']}/votes/nouveau",
             f"/assemblees/{site['assembly']}/donnees-ouvertes", f"/votes/{site['to_close']}/fermer"]
    for path in paths:
        response = page.goto(path)
        assert response.ok, path
        if page.locator("[data-live-url]").count():
            page.wait_for_selector("[data-live-connected]", state="attached")
        violations = run_axe(page, axe_source)
        assert not violations, f"{path} ({device}):\n{describe(violations)}"
        if device == "phone":
            assert_fits_the_screen(page, path)


def test_results_chart(context_for, site):
    page = context_for(PHONE).new_page()
    page.goto(f"/votes/{site['closed']}/resultats")
    chart = page.locator("svg[role=img]")
    assert chart.count() == 1
    assert chart.locator("title").first.text_content()
    box = chart.bounding_box()
    assert box["width"] <= 360 and box["height"] > 100
    assert page.locator("table.mj-table caption").count() == 2


def test_projector_updates_when_the_vote_closes(context_for, site):
    from convergence.extensions import db
    from plugins.mj import api
    from plugins.mj.models import Vote

    page = context_for(DESKTOP).new_page()
    page.goto(f"/votes/{site['open']}/projection")
    page.wait_for_selector("[data-live-connected]", state="attached")
    assert page.locator(".mj-ranking").count() == 0
    with site["app"].app_context(), site["app"].test_request_context():
        from convergence.models import User
        from plugins.mj import ballots

        vote = db.session.get(Vote, site["open"])
        # A ballot of its own, so that there is a ranking to show whatever ran before.
        guarantor = db.session.scalar(db.select(User).where(User.email == "yves.garant@demo.convergence.fr"))
        ballots.cast(vote, {o.id: 4 for o in vote.options}, user_id=guarantor.id)
        api.close_vote(db.session.get(Vote, site["open"]))
        db.session.remove()
    page.wait_for_selector(".mj-ranking li", timeout=TIMEOUT_MS)
    assert page.locator(".mj-ranking li").count() == 4


def test_closing_by_hand_asks_first_by_keyboard_without_javascript(context_for, site):
    # (axe-core checks the confirmation page in test_pages_pass_axe: it needs JavaScript.)
    page = context_for(PHONE, java_script_enabled=False).new_page()
    log_in(page, FACILITATOR)
    page.goto(f"/votes/{site['to_close']}")
    page.get_by_role("link", name="Clore le vote maintenant").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/fermer$"))
    assert page.locator("h1").inner_text() == "Clore le vote maintenant\u202f?"
    assert "La clôture est définitive" in page.locator("main").inner_text()
    assert_fits_the_screen(page, "confirmation")
    confirm = page.get_by_role("button", name="Oui, clore le vote maintenant")
    box = confirm.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    confirm.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/resultats$"))
    assert "Le vote est clos." in page.locator("main").inner_text()
    assert page.locator(".mj-status-closed").count() == 1
    page.goto(f"/votes/{site['to_close']}")
    assert page.get_by_role("link", name="Clore le vote maintenant").count() == 0
