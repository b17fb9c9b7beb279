"""A Pabulib file imported into a process: projects, ballots as paper sheets, the process's
rules from META; a malformed file names its line in French, stores nothing, answers 422."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest

from convergence.extensions import db
from plugins.budget import pabulib, pb_import, pb_messages, results
from plugins.budget.models import FEASIBLE, PaperSheet, Process, Project, ProjectCategory, Result
from tests.fixtures import browser_fields, login

from .conftest import add_projects, new_process

DATA = Path(__file__).parent / "data"


def count(model, process) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(model.process_id == process.id))


def post_file(client, process, text: str | bytes, name: str = "budget.pb"):
    url = f"/budgets/{process.id}/import"
    body = text if isinstance(text, bytes) else text.encode()
    return client.post(url, data={**browser_fields(client, url), "file": (io.BytesIO(body), name)},
                       content_type="multipart/form-data")


def official(name: str) -> set[str]:
    pb = pabulib.load(DATA / f"{name}.pb")
    return {row.values["project_id"] for row in pb.projects if row.values.get("selected") == "1"}


def funded_refs(process) -> set[str]:
    result = db.session.get(Result, process.id)
    return set(db.session.scalars(db.select(Project.source_ref).where(Project.id.in_(result.funded))))


def import_and_compute(town, name: str) -> Process:
    process = new_process(town, 1)
    pb_import.import_pb(process, (DATA / f"{name}.pb").read_text(encoding="utf-8"), town.facilitator, f"{name}.pb")
    db.session.commit()
    results.request(process)
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Process, process.id)


@pytest.mark.parametrize(("name", "rule", "funded"), [
    ("Netherlands_Assen_2024", "equalshares/add1", 9),
    ("Poland_Swiecie_2023", "equalshares/add1", 17),
    ("Poland_Warszawa_2023_Wesola", "greedy", 17),
])
def test_an_imported_file_computed_gives_the_official_outcome(town, name, rule, funded):
    process = import_and_compute(town, name)
    assert process.rule == rule
    assert db.session.get(Result, process.id).state == "computed"
    assert funded_refs(process) == official(name) and len(official(name)) == funded


def test_wieliczka_imported_gives_its_30_projects_with_the_comparison(town):
    process = import_and_compute(town, "Poland_Wieliczka_2023_Green_Budget")
    result = db.session.get(Result, process.id)
    assert process.rule == "equalshares/add1-comparison" and process.envelope == 1_000_000
    assert funded_refs(process) == official("Poland_Wieliczka_2023_Green_Budget")
    assert result.ballots_count == 6586 and result.details["ballots"]["paper"] == 6586
    comparison = result.details["parts"][0]["comparison"]
    assert comparison["prefer_equal_shares"] > comparison["prefer_greedy"]


def test_what_the_import_stores(town):
    process = new_process(town, 1, double_entry=False)
    text = (DATA / "Poland_Warszawa_2023_Wesola.pb").read_text(encoding="utf-8")
    imported = pb_import.import_pb(process, text, town.facilitator, "wesola.pb")
    db.session.commit()
    pb = pabulib.loads(text)
    assert imported.projects == len(pb.projects) == count(Project, process) == 29
    assert imported.sheets == len(pb.votes) == count(PaperSheet, process)
    assert process.envelope == 1_011_308 and process.ballot_kind == "approval"
    assert process.min_choices == 1 and process.max_choices == 15
    first = pb.projects[0].values
    project = db.session.scalar(db.select(Project).where(Project.process_id == process.id,
                                                         Project.source_ref == first["project_id"]))
    assert project.number == int(first["project_id"])  # numeric ids are the numbers
    assert project.cost == int(first["cost"]) and project.title == first["name"] and project.status == FEASIBLE
    assert project.description_html == ""  # Wesoła's file has no description
    assert project.category.name == first["category"].split(",")[0]
    assert project.latitude == pytest.approx(float(first["latitude"]))
    assert count(ProjectCategory, process) >= 1
    sheet = db.session.scalar(db.select(PaperSheet).where(PaperSheet.process_id == process.id, PaperSheet.sheet == 1))
    assert sheet.entered_by_id == town.facilitator.id and sheet.place == "Fichier Pabulib wesola.pb"
    chosen = sorted(int(pid) for pid in pb.votes[0].values["vote"].split(","))
    assert sheet.content == ".".join(map(str, chosen))
    # The file's voter ids are not kept anywhere.
    assert pb.votes[0].values["voter_id"] not in {s.place for s in db.session.scalars(db.select(PaperSheet))}


def test_points_files_keep_their_points_and_limits(town):
    process = new_process(town, 1)
    pb_import.import_pb(process, (DATA / "France_Toulouse_2019.pb").read_text(encoding="utf-8"), town.facilitator)
    db.session.commit()
    assert process.ballot_kind == "points" and process.max_points_per_project == 3 and process.max_points == 7
    assert process.rule == "greedy"
    sheet = db.session.scalar(db.select(PaperSheet).where(PaperSheet.process_id == process.id, PaperSheet.sheet == 1))
    assert ":" in sheet.content
    # Toulouse's project ids are numbers: ballot 0 (15,22,25,10 with 2,2,2,1).
    assert sheet.content == "10:1.15:2.22:2.25:2"
    # The area of a project is its subunit.
    pb = pabulib.load(DATA / "France_Toulouse_2019.pb")
    subunits = {r.values["project_id"]: r.values["subunit"] for r in pb.projects}
    for project in db.session.scalars(db.select(Project).where(Project.process_id == process.id)):
        assert (project.area.name if project.area else "") == subunits[project.source_ref]


def test_non_numeric_ids_are_numbered_in_the_files_order(town):
    process = new_process(town, 1)
    pb_import.import_pb(process, (DATA / "Poland_Swiecie_2023.pb").read_text(encoding="utf-8"), town.facilitator)
    db.session.commit()
    numbers = dict(db.session.execute(db.select(Project.source_ref, Project.number)
                                      .where(Project.process_id == process.id)).all())
    assert numbers["c1"] == 1 and numbers["c2"] == 2 and sorted(numbers.values()) == list(range(1, 23))


# -- through the page -----------------------------------------------------------------------------

def test_facilitator_imports_through_the_page(client, town):
    process = new_process(town, 1)
    login(client, town.facilitator)
    response = post_file(client, process, (DATA / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/budgets/{process.id}/resultats")
    assert count(Project, process) == 14 and count(PaperSheet, process) == 84
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "14 projets" in page and "84 bulletins" in page


MALFORMED = [
    ("META\nkey;value\nbudget;abc\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\nVOTES\nvoter_id;vote\n1;1\n",
     "ligne 3", "n'est pas un nombre"),
    ("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\nVOTES\nvoter_id;vote\n1;2\n",
     "ligne 10", "n'est pas dans PROJECTS"),
    ("PROJECTS\nproject_id;cost\n1;10\n", "ligne 1", "META"),
    ("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10.5\nVOTES\nvoter_id;vote\n1;1\n",
     "ligne 7", "pas un nombre entier d'euros"),
]


@pytest.mark.parametrize(("text", "line", "words"), MALFORMED)
def test_a_malformed_file_names_its_line_in_french_and_stores_nothing(client, town, text, line, words):
    process = new_process(town, 50)
    login(client, town.facilitator)
    response = post_file(client, process, text)
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert f"Erreur\u202f: {line}\u202f:" in body and words in body, body[body.find("error-summary"):][:600]
    assert "Rien n'a été importé" in body
    assert count(Project, process) == 0 and count(PaperSheet, process) == 0
    assert db.session.get(Process, process.id).envelope == 50


def test_not_utf8_is_refused(client, town):
    process = new_process(town, 50)
    login(client, town.facilitator)
    response = post_file(client, process, b"\xff\xfe\x00META")
    assert response.status_code == 422 and "UTF-8" in response.get_data(as_text=True)
    assert count(PaperSheet, process) == 0


def test_only_before_the_vote_and_into_an_empty_process(client, town):
    text = (DATA / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    opened = new_process(town, 50, vote_state="open")
    login(client, town.facilitator)
    assert "avant l'ouverture du vote" in html.unescape(client.get(f"/budgets/{opened.id}/import").get_data(as_text=True))
    with_projects = new_process(town, 50)
    add_projects(with_projects, [10])
    url = f"/budgets/{with_projects.id}/import"
    fields = browser_fields(client, f"/budgets/{opened.id}/resultats")  # the page has no form: take a token
    response = client.post(url, data={**fields, "file": (io.BytesIO(text.encode()), "a.pb")},
                           content_type="multipart/form-data")
    assert response.status_code == 409 and count(PaperSheet, with_projects) == 0
    assert count(Project, with_projects) == 1


def test_double_entry_processes_are_refused(town):
    process = new_process(town, 50, double_entry=True)
    from convergence.refusal import Refused

    with pytest.raises(Refused):
        pb_import.import_pb(process, (DATA / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8"),
                            town.facilitator)


def test_a_resident_may_not_import(client, town):
    process = new_process(town, 50)
    login(client, town.resident)
    assert client.get(f"/budgets/{process.id}/import").status_code == 403


def test_sending_the_form_twice_imports_once(client, town):
    process = new_process(town, 1)
    login(client, town.facilitator)
    url = f"/budgets/{process.id}/import"
    fields = browser_fields(client, url)
    text = (DATA / "Netherlands_Assen_2024.pb").read_bytes()
    for status in (302, 303):  # the second: « déjà envoyé », to the page of what was created
        response = client.post(url, data={**fields, "file": (io.BytesIO(text), "a.pb")},
                               content_type="multipart/form-data")
        assert response.status_code == status
        assert response.headers["Location"].endswith(f"/budgets/{process.id}/resultats")
    assert count(Project, process) == 14 and count(PaperSheet, process) == 84


BROKEN = [
    "META\nkey;value\nbudget;1\nbudget;2\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;1\nVOTES\nvoter_id;vote\n",
    "META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;1\nVOTES\nvoter_id;vote\n",
    "META\nkey;value\nbudget;1\nvote_type;rank\nPROJECTS\nproject_id;cost\n1;1\nVOTES\nvoter_id;vote\n",
    "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;1\n1;2\nVOTES\nvoter_id;vote\n",
    "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;-1\nVOTES\nvoter_id;vote\n",
    "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id\n1\nVOTES\nvoter_id;vote\n",
    "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;1\nVOTES\nvoter_id;vote\n1;1,1\n",
    "META\nkey;value\nbudget;1\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;1\nVOTES\nvoter_id;vote\n1;1\n",
    "META\nkey;value\nbudget;1\nvote_type;approval\nVOTES\nvoter_id;vote\n",
    "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;1\nVOTES\nvoter_id;vote\n1;1;3\n",
    'META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n"1;1\nVOTES\nvoter_id;vote\n',
    "META\nkey;value\nbudget;1\nvote_type;choose-1\nPROJECTS\nproject_id;cost\n1;1\n2;1\nVOTES\nvoter_id;vote\n1;1,2\n",
    "META\nkey;value\nbudget;1\nvote_type;approval\nmin_length;x\nPROJECTS\nproject_id;cost\n1;1\nVOTES\nvoter_id;vote\n",
]


@pytest.mark.parametrize("text", BROKEN)
def test_every_reader_message_has_its_french(app, text):
    with pytest.raises(pabulib.PabulibError) as caught:
        pabulib.loads(text)
    assert pb_messages.translated(caught.value.message), caught.value.message
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        french = pb_messages.french(caught.value.message)
    assert french != caught.value.message


def test_descriptions_are_sanitised_markdown(town):
    process = new_process(town, 1)
    text = ("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost;name;description\n"
            "1;10;Jardin;Un **jardin** <script>alert(1)</script>\nVOTES\nvoter_id;vote\nv1;1\n")
    pb_import.import_pb(process, text, town.facilitator)
    db.session.commit()
    project = db.session.scalar(db.select(Project).where(Project.process_id == process.id))
    assert "<strong>jardin</strong>" in project.description_html and "<script" not in project.description_html
    assert project.description == "Un **jardin** <script>alert(1)</script>"
