"""Proposals in a real browser (Debian Chromium), on a phone (360 × 740).

The journey of the issue: a resident drafts a proposal of two paragraphs and opens it to
discussion; another resident amends a paragraph; the author accepts (version 2); the word
diff between versions 1 and 2 shows what was removed and added; a facilitator opens a live
consent round, one resident objects (with a reason, after being told a reason is needed),
another consents, and the facilitator's page follows the counts live, without reloading;
the round closes with objections remaining; the text is amended again (version 3); a second
round gets everyone's consent and the proposal is adopted.

Then axe-core (the same rules as tests/browser/test_accessibility.py) on every page of the
plug-in, seeded with amendments, comments, reports, moderation and rounds, on a phone and on
a desktop screen; no page scrolls sideways at 360 px.

Skips like the core's browser tests when Chromium or axe-core are missing (fails in CI)."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import ASSEMBLY_ID, DESKTOP, FACILITATOR, PHONE, TIMEOUT_MS, assert_fits_the_screen, \
    browser_contexts, describe, log_in, run_axe, serve_demo

pytestmark = pytest.mark.browser

AUTHOR = "amina.benali@demo.convergence.fr"
AMENDER = "chloe.martin@demo.convergence.fr"
OBJECTOR = "bernard.lefevre@demo.convergence.fr"
BASE = f"/assemblees/{ASSEMBLY_ID}/propositions"

# Generous waits: the suite must hold on a busy two-core machine. Live updates go through the
# event stream and a re-fetch of the page.
WAIT_MS = max(TIMEOUT_MS, 20_000)
LIVE_TIMEOUT_MS = 30_000
PLAYWRIGHT_EXPECT_MS = 5_000  # Playwright's own default for expect()

TITLE = "Un jardin partagé sur la friche de la gare"
PARAGRAPH_1 = "Nous proposons de transformer la friche de la gare en jardin partagé."
PARAGRAPH_2 = "Le jardin sera ouvert le samedi matin à toutes les habitantes et tous les habitants."
AMENDED_2 = "Le jardin sera ouvert le dimanche matin à toutes les habitantes et tous les habitants."
AMENDED_1 = "Nous proposons de transformer la friche de la gare en jardin partagé, sans pesticides."
OBJECTION = "Le samedi matin, le marché occupe déjà la place : personne ne viendra."


def _seed(app) -> dict:
    """Proposals for the axe run, made through the plug-in's services (not through the pages).

    « full »: authored by the facilitator (so every author and facilitator form shows), with
    an accepted, a pending and a rejected amendment, threaded comments (one hidden, one
    reported), a closed round with an objection and an open round with answers.
    « editable »: in discussion, authored by the facilitator, for the edit page.
    A reported comment waits in the moderation queue, and the moderation log has an entry."""
    from convergence.extensions import db
    from convergence.models import Assembly, User
    from convergence.participation import comments
    from plugins.proposals import amendments, consent, drafting

    assembly = db.session.get(Assembly, ASSEMBLY_ID)
    people = {u.email: u for u in db.session.scalars(db.select(User).where(
        User.email.in_([FACILITATOR, AUTHOR, AMENDER, OBJECTOR])))}
    facilitator, amina, chloe, bernard = (people[FACILITATOR], people[AUTHOR], people[AMENDER], people[OBJECTOR])

    full = drafting.create(assembly, facilitator, "Une cantine populaire",
                           "Une cantine **ouverte à toutes et tous**, à prix libre.\n\n"
                           "Elle sera installée dans la salle des fêtes.\n\nLes repas seront servis à midi.",
                           None)
    db.session.flush()
    drafting.set_status(full, "discussion", facilitator, facilitator=True)
    db.session.commit()
    accepted = amendments.propose(full, chloe, "1", "Elle sera installée dans l'ancienne école.", "Plus grand.")
    db.session.commit()
    amendments.accept(accepted, facilitator)
    db.session.commit()
    amendments.propose(full, bernard, "2", "Les repas seront servis midi et soir.", "Pour celles qui travaillent.")
    rejected = amendments.propose(full, amina, "", "Une cantine payante.", "")
    db.session.commit()
    amendments.reject(rejected, facilitator, "Le prix libre est au cœur de la proposition.")
    db.session.commit()
    first = comments.add(full.subject_id, amina, "Très bonne idée, **merci**.")
    db.session.commit()
    comments.add(full.subject_id, chloe, "Je peux aider en cuisine.", first.id)
    rude = comments.add(full.subject_id, bernard, "Un commentaire déplacé.")
    reported = comments.add(full.subject_id, bernard, "Un commentaire signalé, en attente.")
    db.session.commit()
    comments.report(reported, amina, "Hors sujet")
    comments.moderate(rude, facilitator, "hide", "Propos insultants")
    db.session.commit()
    closed = consent.open_round(full, facilitator, "live", None, "assembly")
    db.session.commit()
    consent.answer(closed, bernard, "objection", "Midi ne convient pas à tout le monde.")
    consent.answer(closed, chloe, "consent", "")
    db.session.commit()
    consent.close(closed, facilitator, full)
    db.session.commit()
    current = consent.open_round(full, facilitator, "live", None, None)
    db.session.commit()
    consent.answer(current, bernard, "objection", "Toujours pas le soir.")
    consent.answer(current, chloe, "stand_aside", "")
    consent.answer(current, amina, "consent", "")
    db.session.commit()

    editable = drafting.create(assembly, facilitator, "Des composteurs dans chaque quartier",
                               "Un composteur par quartier.\n\nLe cercle Alimentation en prend soin.", None)
    db.session.flush()
    drafting.set_status(editable, "discussion", facilitator, facilitator=True)
    db.session.commit()
    return {"full": full.id, "editable": editable.id}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The French demo with the proposals plug-in and the seeded proposals, over HTTP."""
    with serve_demo(tmp_path_factory, plugins=["proposals"], seed=_seed) as info:
        yield info


@pytest.fixture
def context_for(browser, site):
    with browser_contexts(browser, site["url"], WAIT_MS) as make:
        yield make


@pytest.fixture(autouse=True)
def generous_expect(chromium_path):
    """Playwright's assertions wait up to WAIT_MS in this module, then get their default back."""
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=WAIT_MS)
    yield
    playwright_expect.set_options(timeout=PLAYWRIGHT_EXPECT_MS)


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def person(context_for, email: str):
    page = context_for(PHONE).new_page()
    log_in(page, email)
    return page


def submit(page, button_name: str, scope=None) -> None:
    """Click a form's button by its French name and wait for the page it leads to."""
    root = scope if scope is not None else page.locator("main")
    with page.expect_navigation():
        root.get_by_role("button", name=button_name, exact=True).click()


def status_badge(page):
    return page.locator("main .proposals-meta .badge").first


def consent_region(page):
    return page.locator("[data-live-region=consent]")


def counts_line(page):
    """The open round's counts: « Sur la version n. Consentement : a · Objection : b · … »."""
    return consent_region(page).locator(".card p").filter(has_text="Sur la version")


def counts(consent_n: int, objection_n: int, aside_n: int) -> re.Pattern:
    # \s: the space before « : » is a narrow no-break one (French typography).
    return re.compile(rf"Consentement\s:\s{consent_n} · Objection\s:\s{objection_n} · "
                      rf"Je me tiens à l'écart\s:\s{aside_n}")


def answer_round(page, proposal_path: str, answer: str, reason: str = "") -> None:
    page.goto(proposal_path)
    region = consent_region(page)
    region.get_by_role("radio", name=answer, exact=True).check()
    if reason:
        region.get_by_label("Raison (obligatoire pour une objection)").fill(reason)
    submit(page, "Envoyer ma réponse", region)
    expect()(page.locator(".flashes")).to_contain_text("Votre réponse est enregistrée")
    expect()(consent_region(page).locator("legend")).to_contain_text(f"actuellement : {answer}")
    assert_fits_the_screen(page, f"the proposal after answering {answer}")


def watch_live(page) -> None:
    """Wait until the page listens to the assembly's stream; mark the document (a reload would
    lose the mark) and the consent region (swapping it for the fresh one drops the mark)."""
    page.wait_for_selector("[data-live-connected]", state="attached", timeout=LIVE_TIMEOUT_MS)
    page.evaluate("""() => {
        window.__proposalsNoReload = true;
        document.querySelector('[data-live-region=consent]').setAttribute('data-test-stale', '');
    }""")


def still_same_document(page) -> bool:
    return page.evaluate("() => window.__proposalsNoReload === true")


def follows_live(pages, pattern: re.Pattern) -> None:
    """Each watching page shows ``pattern`` in the open round's counts, in the same document,
    with its consent region swapped for the fresh one."""
    for page in pages:
        expect()(counts_line(page)).to_contain_text(pattern, timeout=LIVE_TIMEOUT_MS)
        assert still_same_document(page), "a watching page reloaded instead of updating its consent region"
        expect()(page.locator("[data-live-region=consent][data-test-stale]")).to_have_count(0)
        page.evaluate("() => document.querySelector('[data-live-region=consent]')"
                      ".setAttribute('data-test-stale', '')")


def propose_amendment(page, proposal_path: str, paragraph: int, original: str, new_text: str,
                      why: str) -> int:
    page.goto(proposal_path)
    page.get_by_role("link", name=f"Amender le paragraphe {paragraph}", exact=True).click()
    page.wait_for_url(re.compile(rf"/amendements/nouveau\?paragraphe={paragraph - 1}$"))
    assert page.locator("#paragraph").input_value() == str(paragraph - 1)
    assert page.locator("#new_text").input_value() == original
    assert_fits_the_screen(page, "the amendment form")
    page.fill("#new_text", new_text)
    page.fill("#explanation", why)
    submit(page, "Proposer l'amendement")
    page.wait_for_url(re.compile(r"/propositions/\d+#amendement-\d+$"))
    amendment_id = int(page.url.rsplit("-", 1)[1])
    card = page.locator(f"#amendement-{amendment_id}")
    expect()(card.locator("h3")).to_contain_text(f"paragraphe {paragraph}")
    expect()(card.locator(".badge")).to_have_text("En attente de la rédaction")
    expect()(card.locator("blockquote")).to_contain_text(new_text)
    assert_fits_the_screen(page, "the proposal with a pending amendment")
    return amendment_id


def accept_amendment(page, proposal_path: str, amendment_id: int, version: int) -> None:
    page.goto(proposal_path)
    card = page.locator(f"#amendement-{amendment_id}")
    submit(page, "Accepter (nouvelle version)", card)
    expect()(page.locator(".flashes")).to_contain_text("Amendement accepté : le texte a une nouvelle version.")
    expect()(page.locator(f"#amendement-{amendment_id} .badge")).to_have_text("Accepté")
    expect()(page.locator("main .proposals-meta").first).to_contain_text(f"version {version},")
    assert_fits_the_screen(page, "the proposal after accepting an amendment")


def test_draft_amend_diff_and_two_consent_rounds(context_for, site):
    check = expect()

    # -- A resident drafts a proposal of two paragraphs, then opens it to discussion.
    author = person(context_for, AUTHOR)
    author.goto(BASE)
    author.get_by_role("link", name="Écrire une proposition").click()
    author.wait_for_url(re.compile(rf"{BASE}/nouvelle$"))
    assert_fits_the_screen(author, "the new proposal form")
    author.fill("#title", TITLE)
    author.fill("#body", f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}")
    submit(author, "Enregistrer le brouillon")
    author.wait_for_url(re.compile(r"/propositions/\d+$"))
    path = re.sub(r"^https?://[^/]+", "", author.url)
    check(author.locator("h1")).to_have_text(TITLE)
    check(author.locator(".flashes")).to_contain_text("Votre brouillon est enregistré")
    check(status_badge(author)).to_have_text("Brouillon")
    check(author.locator(".proposals-paragraph")).to_have_count(2)
    assert_fits_the_screen(author, "a draft proposal")
    submit(author, "L'ouvrir à la discussion")
    check(status_badge(author)).to_have_text("En discussion")
    check(author.locator(".proposals-paragraph").nth(1)).to_contain_text(PARAGRAPH_2)

    # -- Another resident amends the second paragraph; the author accepts it: version 2.
    amender = person(context_for, AMENDER)
    first_amendment = propose_amendment(amender, path, 2, PARAGRAPH_2, AMENDED_2,
                                        "Le samedi, c'est jour de marché.")
    accept_amendment(author, path, first_amendment, 2)
    check(author.locator(".proposals-paragraph").nth(1)).to_contain_text(AMENDED_2)
    check(author.locator(".proposals-paragraph").nth(0)).to_contain_text(PARAGRAPH_1)

    # -- The word diff between versions 1 and 2: « samedi » removed, « dimanche » added, nothing else.
    amender.goto(f"{path}/versions?de=1&a=2")
    check(amender.locator("h2").first).to_have_text("De la version 1 à la version 2")
    diff = amender.locator(".proposals-diff")
    check(diff.locator("del")).to_have_count(1)
    check(diff.locator("ins")).to_have_count(1)
    assert diff.locator("del").inner_text().strip() == "samedi"
    assert diff.locator("ins").inner_text().strip() == "dimanche"
    assert PARAGRAPH_1 in diff.inner_text()
    check(amender.locator("main")).to_contain_text(re.compile(r"\b1 mots? supprimés?, 1 mots? ajoutés?\."))
    check(amender.locator("ol.proposals-versions > li")).to_have_count(2)
    assert_fits_the_screen(amender, "the versions page")

    # -- The facilitator opens a live consent round; her page follows the answers live.
    facilitator = person(context_for, FACILITATOR)
    facilitator.goto(path)
    region = consent_region(facilitator)
    check(region.get_by_role("radio", name="En direct, pendant la réunion")).to_be_checked()
    submit(facilitator, "Ouvrir le tour", region)
    check(facilitator.locator(".flashes")).to_contain_text("Le tour de consentement 1 est ouvert.")
    check(consent_region(facilitator).locator(".card h3")).to_contain_text("Tour 1, ouvert")
    check(counts_line(facilitator)).to_contain_text("Sur la version 2.")
    check(counts_line(facilitator)).to_contain_text(counts(0, 0, 0))
    check(status_badge(facilitator)).to_have_text("Soumise")
    assert_fits_the_screen(facilitator, "the proposal with an open round")
    # A projector-like page (no account, a desktop screen) shows the proposal too.
    projector = context_for(DESKTOP).new_page()
    projector.goto(path)
    check(counts_line(projector)).to_contain_text(counts(0, 0, 0))
    check(projector.get_by_role("button", name="Envoyer ma réponse")).to_have_count(0)
    watchers = (facilitator, projector)
    for page in watchers:
        watch_live(page)

    # An objection without its reason is refused in French, and nothing is counted.
    objector = person(context_for, OBJECTOR)
    objector.goto(path)
    consent_region(objector).get_by_role("radio", name="Objection", exact=True).check()
    with objector.expect_navigation():
        consent_region(objector).get_by_role("button", name="Envoyer ma réponse").click()
    check(objector.locator("main")).to_contain_text("Une objection doit être motivée")
    assert_fits_the_screen(objector, "the refused objection")
    check(counts_line(facilitator)).to_contain_text(counts(0, 0, 0))

    # The objection with its reason: the facilitator's page shows it without reloading.
    answer_round(objector, path, "Objection", OBJECTION)
    follows_live(watchers, counts(0, 1, 0))
    for page in watchers:
        check(consent_region(page).locator(".proposals-answers")).to_contain_text(OBJECTION)

    answer_round(amender, path, "Consentement")
    follows_live(watchers, counts(1, 1, 0))
    check(consent_region(facilitator).locator(".proposals-answers li")).to_have_count(2)

    # -- The facilitator closes the round: objections remain, the proposal is not adopted.
    submit(facilitator, "Clore le tour", consent_region(facilitator))
    first_round = consent_region(facilitator).locator(".proposals-round").filter(has_text="Tour 1")
    check(first_round.locator("h3")).to_contain_text("Non adoptée : des objections restent à traiter")
    check(first_round).to_contain_text("à traiter")
    check(status_badge(facilitator)).to_have_text("Soumise")
    check(consent_region(facilitator).locator(".card h3")).to_have_count(0)
    assert_fits_the_screen(facilitator, "the proposal after a round with objections")

    # -- The objection improves the text: its author amends the first paragraph, accepted: version 3.
    second_amendment = propose_amendment(objector, path, 1, PARAGRAPH_1, AMENDED_1,
                                         "Pour répondre à mon objection et aux inquiétudes du quartier.")
    accept_amendment(author, path, second_amendment, 3)
    check(author.locator(".proposals-paragraph").nth(0)).to_contain_text(AMENDED_1)

    # -- A second round on version 3: everyone consents, the page follows live, the proposal is adopted.
    facilitator.goto(path)
    submit(facilitator, "Ouvrir le tour", consent_region(facilitator))
    check(consent_region(facilitator).locator(".card h3")).to_contain_text("Tour 2, ouvert")
    check(counts_line(facilitator)).to_contain_text("Sur la version 3.")
    projector.goto(path)
    for page in watchers:
        watch_live(page)
    for n, page in enumerate((objector, amender, author), start=1):
        answer_round(page, path, "Consentement")
        follows_live(watchers, counts(n, 0, 0))

    submit(facilitator, "Clore le tour", consent_region(facilitator))
    check(status_badge(facilitator)).to_have_text("Adoptée")
    # The projector's consent region follows the close live (the badge above it changes on reload).
    check(consent_region(projector).locator(".proposals-round h3").first).to_contain_text(
        "Adoptée : aucune objection ne subsistait", timeout=LIVE_TIMEOUT_MS)
    assert still_same_document(projector)
    rounds = consent_region(facilitator).locator(".proposals-round")
    check(rounds).to_have_count(2)
    check(rounds.nth(0).locator("h3")).to_contain_text("Tour 2 · version 3 — Adoptée : aucune objection ne subsistait")
    check(rounds.nth(1).locator("h3")).to_contain_text("Tour 1 · version 2 — Non adoptée")
    check(rounds.nth(1)).to_contain_text(OBJECTION)  # every round and answer is kept and shown
    check(facilitator.locator("main .proposals-history")).to_contain_text("Adoptée")
    assert_fits_the_screen(facilitator, "the adopted proposal")

    # Residents see it adopted too, and can no longer answer or amend.
    author.goto(path)
    check(status_badge(author)).to_have_text("Adoptée")
    check(author.get_by_role("button", name="Envoyer ma réponse")).to_have_count(0)
    check(author.get_by_role("link", name=re.compile("^Amender le paragraphe"))).to_have_count(0)
    author.goto(BASE)
    listed = author.locator(".proposals-list li").filter(has_text=TITLE)
    check(listed.locator(".badge")).to_have_text("Adoptée")
    assert_fits_the_screen(author, "the proposals list")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_proposal_pages_pass_axe(context_for, site, axe_source, device):
    full, editable = site["full"], site["editable"]
    pages = [
        ("list", BASE),
        ("proposal", f"/propositions/{full}"),
        ("versions", f"/propositions/{full}/versions?de=1&a=2"),
        ("moderation", f"{BASE}/moderation"),
    ]
    facilitator_only = [
        ("new", f"{BASE}/nouvelle"),
        ("edit", f"/propositions/{editable}/modifier"),
        ("proposal-editable", f"/propositions/{editable}"),
        ("amendment", f"/propositions/{full}/amendements/nouveau?paragraphe=1"),
        ("amendment-whole", f"/propositions/{full}/amendements/nouveau"),
    ]
    screen = PHONE if device == "phone" else DESKTOP
    anonymous = context_for(screen).new_page()
    facilitator = context_for(screen).new_page()
    log_in(facilitator, FACILITATOR)
    resident = context_for(screen).new_page()
    log_in(resident, OBJECTOR)
    visits = [(anonymous, "anonymous", name, path) for name, path in pages]
    visits += [(facilitator, "facilitator", name, path) for name, path in pages + facilitator_only]
    visits += [(resident, "resident", name, path) for name, path in pages]
    for page, who, name, path in visits:
        response = page.goto(path)
        assert response is not None and response.ok, f"{name} ({who}): {path} answered {response and response.status}"
        assert "/compte/connexion" not in page.url, f"{name} ({who}): sent to the login page"
        if name == "proposal":
            # The seeded page has what the axe run must see: amendments, comments, rounds.
            assert page.locator(".proposals-amendment").count() == 3
            assert page.locator(".participation-comment").count() >= 3
            assert page.locator(".proposals-round").count() == 2
        if name == "moderation" and who == "facilitator":
            assert page.locator("[id^=signalement-]").count() >= 1
        if page.locator("[data-live-url]").count():
            page.wait_for_selector("[data-live-connected]", state="attached", timeout=LIVE_TIMEOUT_MS)
        violations = run_axe(page, axe_source)
        assert not violations, f"{name} ({who}, {device}, {path}):\n{describe(violations)}"
        if device == "phone":
            assert_fits_the_screen(page, f"{name} ({who}, {path})")


def test_refused_actions_redraw_the_proposal_page_with_the_message_at_the_field(context_for, site, axe_source):
    """Without the browser's own checks (the forms are ``novalidate``), a rejection without
    its reason comes back from the server: the same page, the message next to the field,
    the field described by it, and axe-core still finds nothing."""
    page = person(context_for, FACILITATOR)
    path = f"/propositions/{site['full']}"
    page.goto(path)
    pending = page.locator(".proposals-amendment").filter(has=page.get_by_role("button", name="Rejeter l'amendement"))
    with page.expect_navigation():
        pending.get_by_role("button", name="Rejeter l'amendement").click()
    field = pending.get_by_label("Raison du rejet")
    expect()(field).to_have_attribute("aria-invalid", "true")
    message = page.locator("#" + field.get_attribute("aria-describedby").split()[-1])
    expect()(message).to_have_text("Donnez la raison du rejet de l'amendement.")
    assert page.title().startswith("Erreur")
    violations = run_axe(page, axe_source)
    assert not violations, f"refused rejection:\n{describe(violations)}"
    # The assembly's decision « rejected » without its reason: the choice stays made.
    page.goto(path)
    page.select_option("#decision", "rejected")
    with page.expect_navigation():
        page.locator("#facilitation-title ~ form").get_by_role("button", name="Enregistrer").click()
    expect()(page.locator("#decision-reason-error")).to_have_text("Donnez la raison du rejet de la proposition.")
    assert page.locator("#decision").input_value() == "rejected"
    violations = run_axe(page, axe_source)
    assert not violations, f"refused decision:\n{describe(violations)}"
    assert_fits_the_screen(page, "the refused decision")
