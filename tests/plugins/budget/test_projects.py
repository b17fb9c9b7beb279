"""Projects: reading amounts (pure, with hypothesis), submitting during the dépôt only with
the needs it answers, bad input refused in French with what was typed kept, supports and
comments through the core's services, duplicates merged, the list's filters and counts in
a bounded number of queries, on_ballot, and the person's data export and erasure."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from convergence.accounts import erasure
from convergence.extensions import db
from convergence.participation import comments, links, supports
from convergence.participation.models import Comment, Link, Support
from plugins.budget import amounts, projects
from plugins.budget.models import Process, Project
from plugins.needs import lists as needs_lists
from plugins.needs.models import Category, Need
from tests.fixtures import browser_fields, count_queries, csrf_token, journal_acts, post_twice, says_replayed, \
    visible_text

from .pb_projects_fixtures import as_user, town  # noqa: F401


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


# -- amounts, plain Python -----------------------------------------------------------------

SEPARATORS = st.sampled_from([" ", "\u00a0", "\u202f", "'", ""])


@given(st.integers(min_value=0, max_value=amounts.EUROS_MAX), SEPARATORS, st.sampled_from(["", " €", "€", ",00", ".0"]))
@settings(max_examples=300, deadline=None)
def test_a_whole_amount_written_any_usual_way_reads_back(value, separator, suffix):
    text = f"{value:,}".replace(",", separator) + suffix
    assert amounts.read_euros(text) == amounts.Reading(value)
    assert amounts.read_euros(amounts.format_euros(value)) == amounts.Reading(value)


def test_amounts_are_written_in_whole_euros_in_each_language():
    assert amounts.format_euros(20_624) == "20\u202f624\u00a0€"
    assert amounts.format_euros(20_624, "en") == "€20,624"
    assert amounts.format_euros(0) == "0\u00a0€"


@given(st.integers(min_value=1, max_value=10**12))
@settings(max_examples=200, deadline=None)
def test_a_negative_amount_is_refused_as_negative(value):
    assert amounts.read_euros(f"-{value}").problem == amounts.NEGATIVE
    assert amounts.read_euros(f"\u2212{value} €").problem == amounts.NEGATIVE


@given(st.text(max_size=30))
@settings(max_examples=500, deadline=None)
def test_any_text_is_an_amount_or_a_named_problem(text):
    reading = amounts.read_euros(text)
    if reading.problem is None:
        assert isinstance(reading.euros, int) and 0 <= reading.euros <= amounts.EUROS_MAX
        assert any(ch.isdigit() for ch in text)
    else:
        assert reading.euros is None
        assert reading.problem in (amounts.EMPTY, amounts.NOT_A_NUMBER, amounts.NEGATIVE, amounts.CENTS,
                                   amounts.TOO_LARGE)


def test_cents_and_huge_amounts_are_named():
    assert amounts.read_euros("12,50").problem == amounts.CENTS
    assert amounts.read_euros("2 000 000 000").problem == amounts.TOO_LARGE
    assert amounts.read_euros("douze").problem == amounts.NOT_A_NUMBER
    assert amounts.read_euros("1e5").problem == amounts.NOT_A_NUMBER
    assert amounts.read_euros("  ").problem == amounts.EMPTY
    assert amounts.read_euros("-0") == amounts.Reading(0)


# -- submitting --------------------------------------------------------------------------

def _need(town, title="Pas d'ombre au parc", commune=None):
    commune = commune or town.commune
    needs_lists.ensure_defaults(commune)
    category = db.session.scalar(db.select(Category).where(Category.commune_id == commune.id))
    need = Need(commune_id=commune.id, category_id=category.id, title=title, author_id=town.other.id)
    db.session.add(need)
    db.session.commit()
    return need


def _project_fields(process, **more):
    fields = {"title": "Des arbres rue Haute", "description": "Planter **dix** arbres.<script>x()</script>",
              "cost": "12 000 €", "area": str(process.areas[1].id), "category": str(process.categories[0].id),
              "latitude": "45.01", "longitude": "5.02", "needs": ""}
    fields.update(more)
    return fields


def test_a_member_submits_a_project_answering_needs(app, town):
    process = town.process("submission")
    with app.test_request_context():
        need = _need(town)
    client = as_user(app, town.resident)
    page = f"/budgets/{process.id}/projets/nouveau"
    first, again = post_twice(client, page, page, _project_fields(process, needs=f"#{need.id}"))
    assert first.status_code == 302 and says_replayed(again)
    project = db.session.scalar(db.select(Project))
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 1
    assert first.headers["Location"].endswith(f"/budgets/{process.id}/projets/1")
    assert (project.number, project.cost, project.area.name, project.category.name, project.latitude,
            project.status, project.author_id) == (1, 12_000, "Sud", "Mobilité", 45.01, "submitted", town.resident.id)
    assert "<strong>dix</strong>" in project.description_html and "<script" not in project.description_html
    assert [lk.target_id for lk in db.session.scalars(db.select(Link))] == [need.subject_id]
    text = visible_text(client.get(f"/budgets/{process.id}/projets/1"))
    assert "N° 1 — Des arbres rue Haute" in text and "Coût estimé : 12 000 €" in _plain(text)
    assert f"#{need.id} Pas d'ombre au parc" in text  # the needs plug-in names its need
    need_page = visible_text(client.get(f"/communes/{town.commune.slug}/besoins/{need.id}"))
    assert "Projet n° 1 : Des arbres rue Haute" in _plain(need_page)  # and the need's page names the project
    second = client.post(page, data={**_project_fields(process, title="Un banc"), **browser_fields(client, page)})
    assert second.status_code == 302
    assert db.session.scalar(db.select(db.func.max(Project.number))) == 2


def test_bad_costs_are_refused_in_french_and_the_typed_values_kept(app, town):
    process = town.process("submission")
    client = as_user(app, town.resident)
    page = f"/budgets/{process.id}/projets/nouveau"
    for cost, message in (("-300", "Le montant ne peut pas être négatif."),
                          ("douze mille", "Écrivez le montant en euros avec des chiffres, par exemple 12 000."),
                          ("12 000,50", "Indiquez le montant en euros entiers, sans centimes."),
                          ("", "Indiquez un montant en euros.")):
        response = client.post(page, data={**_project_fields(process, cost=cost, title="Mon projet gardé"),
                                           **browser_fields(client, page)})
        assert response.status_code == 422, cost
        html = response.get_data(as_text=True)
        assert message in _plain(visible_text(response)), cost
        assert f'value="{cost}"' in html and 'value="Mon projet gardé"' in html
        assert "Planter **dix** arbres." in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 0


def test_other_bad_input_is_refused_and_nothing_stored(app, town, make):
    process = town.process("submission")
    other_process = town.process("submission", title="Autre budget", areas=(("Ailleurs", None),), categories=())
    elsewhere = make.commune("Autre commune")
    with app.test_request_context():
        foreign_need = _need(town, "Besoin d'ailleurs", commune=elsewhere)
    client = as_user(app, town.resident)
    page = f"/budgets/{process.id}/projets/nouveau"
    for more, message in (({"area": str(other_process.areas[0].id)}, "Quartier inconnu."),
                          ({"needs": f"{foreign_need.id}"}, f"Il n'y a pas de besoin n° {foreign_need.id} dans cette commune."),
                          ({"needs": "douze"}, "Écrivez les numéros des besoins avec des chiffres"),
                          ({"latitude": "95", "longitude": "5"}, "Le lieu doit être une latitude entre -90 et 90"),
                          ({"latitude": "45", "longitude": ""}, "Indiquez la latitude et la longitude, ou aucune"),
                          ({"title": ""}, "Donnez un titre.")):
        response = client.post(page, data={**_project_fields(process, **more), **browser_fields(client, page)})
        assert response.status_code == 422, more
        assert message in _plain(visible_text(response)), more
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Link)) == 0


def test_submission_only_during_the_submission_phase_and_by_members(app, town):
    for phase in ("before", "review"):
        process = town.process(phase, title=f"Budget {phase}")
        client = as_user(app, town.resident)
        page = f"/budgets/{process.id}/projets/nouveau"
        assert "ne peuvent être déposés que pendant la phase de dépôt" in client.get(page).get_data(as_text=True)
        response = client.post(page, data={**_project_fields(process), **browser_fields(client, page)})
        assert response.status_code == 409
        assert "Les projets ne peuvent être déposés que pendant la phase de dépôt." in visible_text(response)
        assert "Des arbres rue Haute" in response.get_data(as_text=True)
    process = town.process("submission")
    outsider = as_user(app, town.outsider)
    assert outsider.get(f"/budgets/{process.id}/projets/nouveau").status_code == 403
    token = csrf_token(outsider, f"/budgets/{process.id}")
    assert outsider.post(f"/budgets/{process.id}/projets/nouveau",
                         data={**_project_fields(process), "csrf_token": token}).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 0


def test_a_project_of_another_budget_is_not_found_there(app, town):
    process, other = town.process(), town.process(title="Autre")
    town.project(process, "Le seul", number=1)
    town.project(other, "Un autre", number=1)
    town.project(other, "Un troisième", number=2)
    client = as_user(app, town.facilitator)
    assert client.get(f"/budgets/{process.id}/projets/2").status_code == 404
    assert "Le seul" in visible_text(client.get(f"/budgets/{process.id}/projets/1"))
    token = csrf_token(client, f"/budgets/{process.id}/projets/1")
    response = client.post(f"/budgets/{process.id}/projets/1/fusion", data={"csrf_token": token, "target": "2"})
    assert response.status_code == 422
    assert "Ce projet n'existe pas dans ce budget." in visible_text(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(Project).where(Project.status == "merged")) == 0


# -- supports, comments, duplicates ------------------------------------------------------

def test_supports_and_comments_through_the_core(app, town):
    process = town.process()
    project = town.project(process)
    client = as_user(app, town.other)
    url = f"/budgets/{process.id}/projets/{project.number}"
    token = csrf_token(client, url)
    assert client.post(url + "/soutien", data={"csrf_token": token, "action": "support"}).status_code == 302
    assert client.post(url + "/soutien", data={"csrf_token": token, "action": "support"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).supports_count == 1
    assert "1 soutien" in visible_text(client.get(url))
    assert client.post(url + "/commentaires", data={**browser_fields(client, url), "body": "Bonne idée"}).status_code == 302
    assert [c.body for c in db.session.scalars(db.select(Comment))] == ["Bonne idée"]
    empty = client.post(url + "/commentaires", data={**browser_fields(client, url), "body": ""})
    assert empty.status_code == 422 and "Le commentaire est vide." in visible_text(empty)
    outsider = as_user(app, town.outsider)
    token = csrf_token(outsider, url)
    assert outsider.post(url + "/soutien", data={"csrf_token": token, "action": "support"}).status_code == 403
    assert client.post(url + "/soutien", data={"csrf_token": csrf_token(client, url), "action": "withdraw"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).supports_count == 0


def test_a_duplicate_is_merged_with_its_supports_comments_and_links(app, town):
    process = town.process("review")
    with app.test_request_context():
        need = _need(town)
    kept, duplicate = town.project(process, "Jardin partagé"), town.project(process, "Un potager commun")
    for person in (town.resident, town.other):
        supports.add(duplicate.subject_id, person)
    supports.add(kept.subject_id, town.resident)
    comments.add(duplicate.subject_id, town.other, "Oui !")
    links.link(duplicate.subject_id, need.subject_id)
    db.session.commit()
    client = as_user(app, town.facilitator)
    url = f"/budgets/{process.id}/projets/{duplicate.number}"
    response = client.post(url + "/fusion", data={"csrf_token": csrf_token(client, url), "target": f"#{kept.number}"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/projets/{kept.number}")
    db.session.expire_all()
    kept, duplicate = db.session.get(Project, kept.id), db.session.get(Project, duplicate.id)
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", kept.id)
    assert kept.supports_count == 2 and duplicate.supports_count == 0  # once per person
    assert db.session.scalar(db.select(db.func.count()).select_from(Support).where(Support.subject_id == kept.subject_id)) == 2
    assert [c.subject_id for c in db.session.scalars(db.select(Comment))] == [kept.subject_id]
    assert need.subject_id in projects.linked_subjects(kept.subject_id)
    kept_page = _plain(visible_text(client.get(f"/budgets/{process.id}/projets/{kept.number}")))
    assert "Fusionnés dans ce projet : projet n° 2 — Un potager commun" in kept_page
    duplicate_page = _plain(visible_text(client.get(url)))
    assert "il a été fusionné dans le projet n° 1 — Jardin partagé" in duplicate_page
    assert journal_acts(client, town.commune, "budget.merge") == [
        f"Facilitatrice a fusionné le projet n° 2 du budget participatif n° {process.id}, un doublon, "
        "dans le projet n° 1."]
    again = client.post(url + "/fusion", data={"csrf_token": csrf_token(client, url), "target": "1"})
    assert again.status_code == 409 and "Ce projet a déjà été fusionné." in visible_text(again)
    assert projects.on_ballot(db.session.get(Process, process.id)) == []


def test_merging_is_for_facilitators_and_before_the_vote(app, town):
    process = town.process("vote")
    a, b = town.project(process, "A"), town.project(process, "B")
    resident = as_user(app, town.resident)
    url = f"/budgets/{process.id}/projets/{b.number}"
    assert resident.post(url + "/fusion", data={"csrf_token": csrf_token(resident, url), "target": "1"}).status_code == 403
    client = as_user(app, town.facilitator)
    response = client.post(url + "/fusion", data={"csrf_token": csrf_token(client, url), "target": str(a.number)})
    assert response.status_code == 409 and "Le vote est ouvert : les projets ne peuvent plus être fusionnés." in \
        _plain(visible_text(response))
    db.session.expire_all()
    assert db.session.get(Project, b.id).merged_into_id is None


# -- the list --------------------------------------------------------------------------------

def test_the_list_filters_by_area_category_and_status_with_counts(app, town):
    process = town.process()
    north, south = process.areas
    nature, mobility = sorted(process.categories, key=lambda c: c.name, reverse=True)
    town.project(process, "Arbres", area_id=north.id, category_id=nature.id, status="feasible")
    town.project(process, "Vélos", area_id=south.id, category_id=mobility.id, status="not_feasible")
    town.project(process, "Mare", area_id=north.id, category_id=nature.id)
    client = app.test_client()
    base = f"/budgets/{process.id}/projets"
    text = visible_text(client.get(base))
    assert "3 projets affichés · 3 en tout" in text and "Réalisable : 1" in _plain(text)
    north_text = visible_text(client.get(f"{base}?area={north.id}"))
    assert "Arbres" in north_text and "Mare" in north_text and "Vélos" not in north_text
    assert "2 projets affichés · 2 en tout" in north_text
    both = visible_text(client.get(f"{base}?area={north.id}&status=feasible"))
    assert "Arbres" in both and "Mare" not in both and "1 projet affiché · 2 en tout" in both
    moving = visible_text(client.get(f"{base}?category={mobility.id}"))
    assert "Vélos" in moving and "Arbres" not in moving
    assert client.get(f"{base}?area=99999&status=nonsense&category=x").status_code == 200


def test_the_list_and_the_project_page_cost_the_same_queries_whatever_the_projects(app, town):
    process = town.process()
    project = town.project(process, "Premier")

    def counts():
        client = as_user(app, town.facilitator)
        result = []
        for url in (f"/budgets/{process.id}/projets", f"/budgets/{process.id}/projets?status=submitted",
                    f"/budgets/{process.id}", f"/budgets/{process.id}/projets/{project.number}",
                    f"/budgets/{process.id}/etude"):
            client.get(url)
            with count_queries(app) as statements:
                assert client.get(url).status_code == 200
            result.append(len(statements))
        return result

    few = counts()
    north = process.areas[0]
    for i in range(25):
        other = town.project(process, f"Projet {i}", area_id=north.id, category_id=process.categories[i % 2].id,
                             status=("submitted", "feasible", "not_feasible")[i % 3])
        if i % 5 == 0:
            other.merged_into_id, other.status = project.id, "merged"
        comments.add(project.subject_id, town.other, f"Avis {i}")
    db.session.commit()
    assert counts() == few


def test_on_ballot_gives_the_feasible_projects_in_number_order_with_their_vote_cost(app, town):
    process = town.process("review")
    town.project(process, "Un", cost=5_000, status="feasible", number=3)
    town.project(process, "Deux", cost=9_000, status="feasible", revised_cost=11_000, number=1)
    town.project(process, "Non", status="not_feasible", number=2)
    town.project(process, "Attente", status="submitted", number=4)
    town.project(town.process(title="Autre"), "Ailleurs", status="feasible", number=1)
    assert [(p.number, p.vote_cost) for p in projects.on_ballot(process)] == [(1, 11_000), (3, 5_000)]


# -- a person's data -----------------------------------------------------------------------

def test_the_data_export_holds_the_persons_projects_supports_and_comments(app, town):
    process = town.process()
    mine = town.project(process, "Le mien", author=town.resident)
    theirs = town.project(process, "Le leur", author=town.other)
    supports.add(theirs.subject_id, town.resident)
    comments.add(theirs.subject_id, town.resident, "J'aime")
    db.session.commit()
    data = json.loads(as_user(app, town.resident).get("/compte/mes-donnees.json").get_data(as_text=True))
    assert [(p["number"], p["title"], p["cost"]) for p in data["budget_projects_submitted"]] == [(mine.number, "Le mien", 10_000)]
    assert data["budget_projects_supported"] == [{"process_id": process.id, "number": theirs.number}]
    assert [c["body"] for c in data["budget_comments"]] == ["J'aime"]
    nothing = json.loads(as_user(app, town.outsider).get("/compte/mes-donnees.json").get_data(as_text=True))
    assert "budget_projects_submitted" not in nothing


def test_erasing_an_account_keeps_or_deletes_its_projects(app, town):
    open_process, voting = town.process("submission"), town.process("vote", title="Au vote")
    draft = town.project(open_process, "Brouillon", author=town.other)
    on_ballot = town.project(voting, "Au bulletin", author=town.other, status="feasible")
    supports.add(draft.subject_id, town.resident)
    db.session.commit()
    draft_id, on_ballot_id = draft.id, on_ballot.id
    with app.test_request_context():
        erasure.erase(db.session.get(type(town.other), town.other.id), keep_contributions=False)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Project, draft_id) is None  # no vote yet: it goes with its supports
    kept = db.session.get(Project, on_ballot_id)
    assert kept is not None and kept.author_id is None  # people voted on it: it stays, unsigned
    assert db.session.scalar(db.select(db.func.count()).select_from(Support)) == 0


def test_erasing_an_account_that_keeps_contributions_unsigns_its_projects(app, town):
    process = town.process()
    project = town.project(process, "Signé", author=town.other)
    with app.test_request_context():
        lines = erasure.summary(db.session.get(type(town.other), town.other.id))
        erasure.erase(db.session.get(type(town.other), town.other.id), keep_contributions=True)
    db.session.commit()
    assert db.session.get(Project, project.id).author_id is None
    assert any("1 projet de budget participatif que vous avez déposé" in str(line) for line in lines)


def test_the_map_s_leaflet_files_only(app, town):
    client = app.test_client()
    assert client.get("/budgets/leaflet/leaflet.js").status_code == 200
    assert client.get("/budgets/leaflet/images/marker-icon.png").status_code == 200
    for name in ("leaflet-src.js", "../__init__.py", "images/../leaflet.js", "images/x/y.png"):
        assert client.get(f"/budgets/leaflet/{name}").status_code == 404, name


def test_the_project_s_place_is_said_in_words_and_drawn_on_a_small_map(app, town):
    process = town.process()
    project = town.project(process, "Placé", latitude=45.01, longitude=5.02)
    unplaced = town.project(process, "Sans lieu")
    html = app.test_client().get(f"/budgets/{process.id}/projets/{project.number}").get_data(as_text=True)
    assert 'data-point-lat="45.01"' in html and "Lieu : 45.01, 5.02" in visible_text_of(html)
    assert "leaflet.js" in html
    other = app.test_client().get(f"/budgets/{process.id}/projets/{unplaced.number}").get_data(as_text=True)
    assert "budget-map" not in other and "leaflet.js" not in other
    form = as_user(app, town.resident).get(f"/budgets/{process.id}/projets/nouveau").get_data(as_text=True)
    assert 'data-pick="1"' in form and 'id="latitude"' in form


def visible_text_of(html: str) -> str:
    import re

    return _plain(" ".join(re.sub(r"<[^>]+>", " ", html).split()))
