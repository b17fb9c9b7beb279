"""The council decision (délibération): recorded once by an elected member of the commune on
a published result, adopting it or departing from it project by project with public
reasons; in the journal, on the live channel, on the projects concerned; bad input refused
with a French message and nothing stored."""

from __future__ import annotations

import io

from convergence.extensions import db
from convergence.live import subscribe
from plugins.budget import follow_up
from plugins.budget.models import DOCUMENT_MAX, Decision, Departure
from tests.fixtures import browser_fields, count_queries, journal_acts, login, post_twice, says_replayed, visible_text

from .decision_fixtures import PDF, budget, build_budget  # noqa: F401  (budget: a fixture)


def url(b) -> str:
    return f"/budgets/{b.process.id}/deliberation"


def decision_data(**more) -> dict:
    data = {"number": "2026-042", "decided_on": "2026-11-30",
            "text": "Le conseil **adopte** le résultat.<script>alert(1)</script>"}
    data.update(more)
    return data


def send(client, b, data: dict, document: tuple[bytes, str] | None = None):
    data = {**data, **browser_fields(client, url(b))}
    if document is not None:
        data["document"] = (io.BytesIO(document[0]), document[1])
    return client.post(url(b), data=data, content_type="multipart/form-data")


def decisions_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Decision))


def departures_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Departure))


def test_the_elected_member_records_a_decision_adopting_the_result(app, client, budget):
    login(client, budget.elected)
    with subscribe(budget.commune) as subscription:
        response = send(client, budget, decision_data(), (PDF, "délibération signée.pdf"))
        message = subscription.get(timeout=1)
    assert response.status_code == 303
    assert message == {"event": "budget.decision.recorded",
                       "data": {"process_id": budget.process.id, "number": "2026-042", "decided_on": "2026-11-30",
                                "departures": []}}
    decision = db.session.scalar(db.select(Decision))
    assert (decision.number, decision.decided_on.isoformat(), decision.recorded_by_id) == (
        "2026-042", "2026-11-30", budget.elected.id)
    assert decision.document == PDF and decision.document_type == "application/pdf"
    assert "<strong>adopte</strong>" in decision.text_html and "<script" not in decision.text_html
    assert decision.departures == []
    page = client.get(url(budget)).get_data(as_text=True)
    text = visible_text(client.get(url(budget)))
    assert "Le conseil adopte le résultat du vote tel quel." in text
    assert "<script>alert" not in page and "2026-042" in text
    # The funded projects are the result's.
    assert [p.number for p in follow_up.funded_projects(budget.process)] == [1, 2, 3]
    acts = journal_acts(client, budget.commune, "budget.")
    assert acts == ["Sophie Bertrand a enregistré la délibération n° 2026-042 du 30 novembre 2026 sur le budget "
                    "« Budget participatif 2026 ». Le conseil adopte le résultat tel quel."]


def _listens(html: str, region: str) -> bool:
    """Whether the element of live region ``region`` (or one around it) listens to the
    decision's event on the commune's stream."""
    import re

    start = html.index(f'data-live-region="{region}"')
    opening = html[html.rindex("<", 0, start):html.index(">", start)]
    if "data-live-url" in opening:
        return bool(re.search(r'data-live-events="[^"]*\bbudget\.decision\.recorded\b', opening))
    return False


def test_the_pages_showing_the_decision_listen_for_it_and_show_it_once_recorded(app, client, budget):
    p2, p4 = budget.project(2), budget.project(4)
    project_url = f"/budgets/{budget.process.id}/projets/2"
    # Project 1's follow-up (funded by the result and kept by the council; project 2's goes
    # with the departure below).
    p1, follow_url = budget.project(1), f"/budgets/{budget.process.id}/projets/1/suivi"
    results_url = f"/budgets/{budget.process.id}/resultats"
    # The fixture's result has no details (what the results page draws): computed here on
    # its empty ballot box, the funded list kept.
    from plugins.budget import results as budget_results
    from plugins.budget.models import Result

    stored = budget_results.compute(budget.process)
    result = db.session.get(Result, budget.process.id)
    result.details, result.parameters, result.tie_order = stored["details"], stored["parameters"], stored["tie_order"]
    result.ballots_hash, result.ballots_count = stored["ballots_hash"], stored["ballots_count"]
    db.session.commit()
    # Result published, no decision: the decision page (for a reader), the project pages
    # and the follow-up page listen for the event, and say what they can without it.
    decision_page = client.get(url(budget)).get_data(as_text=True)
    assert _listens(decision_page, "budget-decision")
    assert "la délibération n'est pas encore enregistrée" in visible_text(client.get(url(budget)))
    for address, project in ((project_url, p2), (follow_url, p1)):
        html = client.get(address).get_data(as_text=True)
        assert _listens(html, f"budget-decision-note-{project.id}"), address
        assert "Délibération n°" not in html
    results = client.get(results_url)
    assert "budget.decision.recorded" in results.get_data(as_text=True).split('data-live-events="', 1)[1].split('"')[0]
    assert ("Le conseil municipal n’a pas encore enregistré sa décision sur ce résultat : elle apparaîtra ici dès "
            "qu’elle le sera.") in visible_text(results).replace("\u202f", " ")
    # The elected member's form does not listen: a swap would lose what she types.
    login(client, budget.elected)
    assert not _listens(client.get(url(budget)).get_data(as_text=True), "budget-decision")
    with subscribe(budget.commune) as subscription:
        assert send(client, budget, decision_data(**{f"depart-{p2.id}": "1", f"reason-{p2.id}": "Terrain vendu.",
                                                     f"depart-{p4.id}": "1", f"reason-{p4.id}": "Voirie."})
                    ).status_code == 303
        message = subscription.get(timeout=1)
    # The event names the budget (the pages of that process fetch themselves again) and
    # says what was decided, project by project.
    assert message == {"event": "budget.decision.recorded",
                       "data": {"process_id": budget.process.id, "number": "2026-042", "decided_on": "2026-11-30",
                                "departures": [{"project": 2, "funded": False}, {"project": 4, "funded": True}]}}
    client.post("/compte/deconnexion", data=browser_fields(client, "/"))
    # What the pages fetch when the event comes (and show at load without JavaScript):
    # the decision in the same regions, which no longer listen (it never changes).
    said = {project_url: (p2, ["Le conseil ne finance pas ce projet, que le résultat du vote finançait.",
                               "Terrain vendu."]),
            follow_url: (p1, ["Le conseil adopte le résultat du vote : ce projet est financé."])}
    for address, (project, sentences) in said.items():
        html = client.get(address).get_data(as_text=True).replace("\u202f", " ")
        region = html.split(f'data-live-region="budget-decision-note-{project.id}"', 1)[1].split("</section>", 1)[0]
        assert all(sentence in region for sentence in sentences), (address, region)
        assert "Délibération n° 2026-042 du 30 novembre 2026" in region
        assert not _listens(html, f"budget-decision-note-{project.id}")
    decision_page = client.get(url(budget)).get_data(as_text=True)
    region = decision_page.split('data-live-region="budget-decision"', 1)[1]
    assert "Terrain vendu." in region and not _listens(decision_page, "budget-decision")
    text = visible_text(client.get(results_url)).replace("\u202f", " ")
    assert "Délibération n° 2026-042 du 30 novembre 2026 : le conseil s’écarte du résultat du vote pour 2 projets." in text
    assert "Lire la décision du conseil" in text
    projector = visible_text(client.get(results_url + "/projection")).replace("\u202f", " ")
    assert "Délibération n° 2026-042 du 30 novembre 2026 : le conseil s’écarte du résultat du vote pour 2 projets." in projector


def test_before_the_result_is_published_no_page_listens_for_the_decision(app, client, make):
    b = build_budget(make, published=False)
    html = client.get(f"/budgets/{b.process.id}/projets/1").get_data(as_text=True)
    assert 'data-live-region="budget-decision-note-' in html
    assert not _listens(html, f"budget-decision-note-{b.project(1).id}")
    assert not _listens(client.get(url(b)).get_data(as_text=True), "budget-decision")


def test_departures_both_ways_with_their_public_reasons(app, client, budget):
    login(client, budget.elected)
    p2, p4 = budget.project(2), budget.project(4)
    data = decision_data(**{f"depart-{p2.id}": "1", f"reason-{p2.id}": "Le terrain n'est plus disponible.",
                            f"depart-{p4.id}": "1", f"reason-{p4.id}": "Financé sur le budget de voirie.",
                            # a reason typed without ticking the project: no departure
                            f"reason-{budget.project(5).id}": "Rien"})
    assert send(client, budget, data).status_code == 303
    departures = {d.project_id: (d.funded, d.reason) for d in db.session.scalars(db.select(Departure))}
    assert departures == {p2.id: (False, "Le terrain n'est plus disponible."),
                          p4.id: (True, "Financé sur le budget de voirie.")}
    assert [p.number for p in follow_up.funded_projects(budget.process)] == [1, 3, 4]
    text = visible_text(client.get(url(budget)))
    assert "Projet 2 « Projet 2 » — non financé par le conseil, bien que le résultat l'ait financé." in text
    assert "Raison : Financé sur le budget de voirie." in text
    # Shown on the projects concerned: the follow-up page of project 4 (funded by the council).
    note = visible_text(client.get(f"/budgets/{budget.process.id}/projets/4/suivi"))
    assert "Le conseil finance ce projet, que le résultat du vote ne finançait pas." in note
    assert "Financé sur le budget de voirie." in note
    # Project 2 is no longer funded: it has no follow-up.
    assert client.get(f"/budgets/{budget.process.id}/projets/2/suivi").status_code == 404
    acts = journal_acts(client, budget.commune, "budget.decision")
    assert acts[0].endswith("Le conseil s'écarte du résultat : il finance le projet 4, que le résultat ne "
                            "finançait pas ; il ne finance pas le projet 2, que le résultat finançait.")


def test_the_note_partial_says_what_the_council_decided_for_each_project(app, client, budget):
    from flask import render_template

    from plugins.budget import decisions

    with app.test_request_context():
        before = render_template("budget/_decision_note.html", project=budget.project(1))
    assert "Délibération" not in before  # nothing decided yet: nothing said
    login(client, budget.elected)
    p1 = budget.project(1)
    assert send(client, budget, decision_data(**{f"depart-{p1.id}": "1", f"reason-{p1.id}": "Trop cher."})
                ).status_code == 303
    with app.test_request_context():
        on_1 = render_template("budget/_decision_note.html", project=budget.project(1))
        on_3 = render_template("budget/_decision_note.html", project=budget.project(3))
        on_5 = render_template("budget/_decision_note.html", project=budget.project(5))
        assert decisions.note_for(budget.project(5)).funded is False
    assert "Le conseil ne finance pas ce projet, que le résultat du vote finançait." in on_1 and "Trop cher." in on_1
    assert "Le conseil adopte le résultat du vote : ce projet est financé." in on_3.replace("\u202f", " ")
    assert "Le conseil adopte le résultat du vote : ce projet n'est pas financé." in on_5.replace("\u202f", " ")
    assert "Délibération n° 2026-042 du 30 novembre 2026" in on_3


def test_only_an_elected_member_records_it(app, client, budget):
    for person in (budget.resident, budget.facilitator, budget.admin):
        client.get("/")  # a fresh page for each person
        login(client, person)
        response = send(client, budget, decision_data(number="2026-099"))
        assert response.status_code == 403
        text = visible_text(response)
        assert "Seuls les élus et élues de la commune enregistrent la délibération du conseil." in text
        client.post("/compte/deconnexion", data=browser_fields(client, "/"))
    assert decisions_count() == 0
    # A visitor is asked to log in.
    anonymous = client.post(url(budget), data={**decision_data(), **browser_fields(client, url(budget))})
    assert anonymous.status_code == 302 and "/compte/connexion" in anonymous.headers["Location"]
    assert decisions_count() == 0
    # The form is not offered to a resident either.
    login(client, budget.resident)
    assert 'name="number"' not in client.get(url(budget)).get_data(as_text=True)


def test_refused_before_the_result_is_published(app, client, make):
    b = build_budget(make, published=False)
    login(client, b.elected)
    page = client.get(url(b))
    assert "il n'est pas encore publié" in visible_text(page)
    data = {**decision_data(), "csrf_token": browser_fields(client, url(b))["csrf_token"]}
    response = client.post(url(b), data=data)
    assert response.status_code == 409
    assert "Le conseil décide sur un résultat publié" in visible_text(response)
    assert decisions_count() == 0


def test_a_form_sent_twice_records_one_decision_and_a_second_one_is_refused(app, client, budget):
    login(client, budget.elected)
    first, again = post_twice(client, url(budget), url(budget), decision_data())
    assert first.status_code == 303 and says_replayed(again)
    assert decisions_count() == 1
    # A new form (another token) is refused: the decision is recorded once.
    second = send(client, budget, decision_data(number="2026-050"))
    assert second.status_code == 409
    assert decisions_count() == 1 and db.session.scalar(db.select(Decision.number)) == "2026-042"
    assert len(journal_acts(client, budget.commune, "budget.decision")) == 1


def test_a_departure_without_a_reason_is_refused_with_what_was_typed(app, client, budget):
    login(client, budget.elected)
    p2, p4 = budget.project(2), budget.project(4)
    response = send(client, budget, decision_data(**{f"depart-{p2.id}": "1", f"reason-{p2.id}": "  ",
                                                     f"depart-{p4.id}": "1", f"reason-{p4.id}": "Voirie."}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Projet 2 : dites publiquement pourquoi le conseil s'écarte du résultat." in visible_text(response).replace(
        "\u202f", " ")
    assert f'id="reason-{p2.id}" rows="3" aria-invalid="true"' in page
    assert "Voirie." in page and 'value="2026-042"' in page and f'name="depart-{p4.id}" value="1" id="depart-{p4.id}" checked' in page
    assert decisions_count() == 0 and departures_count() == 0


def test_a_departure_for_a_project_not_on_the_ballot_is_refused(app, client, budget):
    login(client, budget.elected)
    outside = budget.project(6)  # not feasible
    response = send(client, budget, decision_data(**{f"depart-{outside.id}": "1", f"reason-{outside.id}": "Oui"}))
    assert response.status_code == 422
    assert "qui était sur le bulletin" in visible_text(response)
    assert decisions_count() == 0


def test_a_document_not_a_pdf_or_too_large_is_refused(app, client, budget):
    login(client, budget.elected)
    fake = send(client, budget, decision_data(), (b"<html>not a pdf</html>", "deliberation.pdf"))
    assert fake.status_code == 415
    assert "Le document doit être un fichier PDF." in visible_text(fake)
    assert 'value="2026-042"' in fake.get_data(as_text=True)
    large = send(client, budget, decision_data(), (PDF + b"0" * (DOCUMENT_MAX - len(PDF) + 1), "grand.pdf"))
    assert large.status_code == 413
    assert "Le document dépasse 5 Mo." in visible_text(large)
    assert 'value="2026-042"' in large.get_data(as_text=True)
    assert decisions_count() == 0


def test_missing_fields_are_said_next_to_them(app, client, budget):
    login(client, budget.elected)
    response = send(client, budget, {"number": "", "decided_on": "pas une date", "text": "Texte gardé"})
    assert response.status_code == 422
    text = visible_text(response)
    assert "Donnez le numéro de la délibération." in text and "Texte gardé" in text
    assert decisions_count() == 0


def test_the_document_is_served_back_as_a_safe_download(app, client, budget):
    login(client, budget.elected)
    assert send(client, budget, decision_data(), (PDF, 'dé"libé\\ration\r\n.pdf')).status_code == 303
    client.post("/compte/deconnexion", data=browser_fields(client, "/"))
    response = client.get(f"/budgets/{budget.process.id}/deliberation/document")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "\r" not in disposition and "\n" not in disposition and '\\' not in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # No document: 404.
    db.session.execute(db.update(Decision).values(document=None, document_name=None))
    db.session.commit()
    assert client.get(f"/budgets/{budget.process.id}/deliberation/document").status_code == 404


def test_the_decision_page_takes_a_bounded_number_of_queries(app, client, make):
    counts = []
    for size in (3, 12):
        b = build_budget(make, costs=[1_000 * (n + 1) for n in range(size)], funded_numbers=range(1, size, 2))
        login(client, b.elected)
        departures = {}
        for project in b.projects[:size]:
            departures[f"depart-{project.id}"] = "1"
            departures[f"reason-{project.id}"] = f"Raison {project.number}"
        assert send(client, b, decision_data(**departures)).status_code == 303
        with count_queries(app) as statements:
            assert client.get(url(b)).status_code == 200
        counts.append(len(statements))
        client.post("/compte/deconnexion", data=browser_fields(client, "/"))
    assert counts[0] == counts[1] and counts[1] <= 14, counts


def _two_at_once(app, b, monkeypatch, make):
    """Two elected members send their forms at the same instant: both pass the « already
    recorded? » check, then meet on the unique process id; one decision is kept."""
    import threading

    from plugins.budget import decisions

    second = make.user("Karim Élu")
    make.role(second, "elected", commune=b.commune)
    barrier, original = threading.Barrier(2), decisions.ballot_projects

    def held(process):
        try:
            barrier.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass
        return original(process)

    monkeypatch.setattr(decisions, "ballot_projects", held)
    posts = []
    for person, number in ((b.elected, "2026-042"), (second, "2026-043")):
        client = app.test_client()
        login(client, person)
        posts.append((client, {**decision_data(number=number), **browser_fields(client, url(b))}))
    statuses, errors = [], []

    def submit(client, data):
        try:
            statuses.append(client.post(url(b), data=data).status_code)
        except Exception as error:  # reported below, with the statuses
            errors.append(error)

    workers = [threading.Thread(target=submit, args=pair) for pair in posts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors, errors
    assert sorted(statuses) == [303, 409], statuses
    db.session.expire_all()
    assert decisions_count() == 1


def test_two_elected_members_at_once_record_one_decision_on_postgresql(app, make, monkeypatch):
    from tests.fixtures import require_postgres

    require_postgres()
    _two_at_once(app, build_budget(make), monkeypatch, make)



def test_a_decision_without_its_form_token_is_refused_and_nothing_is_stored(app, client, budget):
    login(client, budget.elected)
    for token in ({}, {"csrf_token": "forged"}):
        data = {**decision_data(), **token, "document": (io.BytesIO(PDF), "deliberation.pdf")}
        response = client.post(url(budget), data=data, content_type="multipart/form-data")
        assert response.status_code == 400, token
        assert "Le formulaire a expiré" in visible_text(response)
    assert (decisions_count(), departures_count()) == (0, 0)
