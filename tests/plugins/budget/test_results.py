"""The result of a process: counted from the box and the paper sheets that count, computed
as deferred work (eagerly here: no TASK_QUEUE_URL), stored, published; its page."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence import hooks
from convergence.extensions import db
from plugins.budget import paper, results
from plugins.budget.allocation import TieOrder, allocate
from plugins.budget.models import COMPUTED, FAILED, NOT_FEASIBLE, PUBLISHED, QUEUED, Result
from tests.fixtures import count_queries, csrf_token, login

from .conftest import add_area, add_projects, cast, new_process, sheets


def computed(process) -> Result:
    results.request(process)
    db.session.commit()  # the task runs after the commit (immediate mode)
    db.session.expire_all()
    return db.session.get(Result, process.id)


def close(process) -> None:
    process.vote_state = "closed"
    db.session.commit()


# -- what is counted ----------------------------------------------------------------------

def test_box_and_paper_sheets_are_counted_and_stored(town):
    process = new_process(town, 100, rule="greedy")
    one, two, three = add_projects(process, [60, 50, 30])
    cast(process, ["1.2", "2", "2.3", "-"])
    sheets(process, ["1", "3"])
    result = computed(process)
    assert result.state == COMPUTED and result.progress == 100 and result.computed_at is not None
    assert result.funded == [two.id, three.id]
    assert result.total_cost == 80 and result.details["left"] == 20
    assert result.ballots_count == 6
    assert result.details["ballots"] == {"online": 4, "paper": 2, "spoiled": 0, "disagreeing": 0, "waiting": 0}
    part = result.details["parts"][0]
    assert [(p["number"], p["votes"], p["funded"]) for p in part["projects"]] == [(1, 2, False), (2, 3, True),
                                                                                 (3, 2, True)]
    assert result.rule == "greedy" and result.parameters["tie_seed"] == process.tie_seed
    assert result.tie_order == [int(n) for n in TieOrder(_election(["1", "2", "3"]), process.tie_seed).lot]


def _election(ids):
    from plugins.budget.allocation import Election, Project

    return Election(budget=1, projects=tuple(Project(i, 1) for i in ids), ballots=())


def test_the_hash_is_sha256_of_the_sorted_canonical_texts(town):
    process = new_process(town, 100)
    add_projects(process, [10, 20, 30])
    cast(process, ["3.1", "2", "-"])
    sheets(process, ["1.3"])
    result = computed(process)
    texts = sorted(["1.3", "2", "-", "1.3"])
    assert result.ballots_hash == hashlib.sha256("".join(t + "\n" for t in texts).encode()).hexdigest()


def test_double_entry_counts_only_sheets_whose_entries_agree(town):
    process = new_process(town, 100, rule="greedy", double_entry=True)
    add_projects(process, [60, 50])
    sheets(process, ["1", "2", "1.2"], entry=1)  # sheets 1, 2, 3
    sheets(process, ["1", "1"], entry=2)  # sheet 1 agrees, sheet 2 differs, sheet 3 waits
    result = computed(process)
    assert result.details["ballots"] == {"online": 0, "paper": 1, "spoiled": 0, "disagreeing": 1, "waiting": 1}
    assert result.ballots_count == 1


def test_without_double_entry_one_entry_counts_but_two_must_agree():
    assert paper.sheet_counts({1: "1.2"}, double_entry=False) == "1.2"
    assert paper.sheet_counts({1: "1.2"}, double_entry=True) is None
    assert paper.sheet_counts({1: "2.1", 2: "1.2"}, double_entry=True) == "2.1"
    assert paper.sheet_counts({1: "1", 2: "1.2"}, double_entry=False) is False


def test_a_sheet_typed_nul_is_counted_apart_and_the_result_is_computed(town):
    process = new_process(town, 100)
    add_projects(process, [60, 40])
    cast(process, ["1", "1.2"])
    sheets(process, ["2", "nul"])
    result = computed(process)
    assert result.state == COMPUTED and result.ballots_count == 3
    assert result.details["ballots"]["spoiled"] == 1 and result.details["ballots"]["paper"] == 1


def test_only_feasible_projects_are_on_the_ballot_and_a_sheet_naming_another_is_spoiled(town):
    process = new_process(town, 100, rule="greedy")
    add_projects(process, [60])
    add_projects(process, [10], status=NOT_FEASIBLE)
    cast(process, ["1"])
    sheets(process, ["2", "1"])
    result = computed(process)
    assert result.details["ballots"]["spoiled"] == 1 and result.ballots_count == 2
    assert [p["number"] for p in result.details["parts"][0]["projects"]] == [1]


def test_equal_shares_details_hold_greedy_beside_the_rule(town):
    # Three voters want 1 and 3, two want 2 and 3: greedy funds 3 and 1, the most voted;
    # equal shares gives the two their share: 3 and 2.
    process = new_process(town, 100, rule="equalshares/add1")
    one, two, three = add_projects(process, [50, 30, 50])
    cast(process, ["1.3"] * 3 + ["2.3"] * 2)
    result = computed(process)
    part = result.details["parts"][0]
    assert part["greedy"] == [3, 1] and part["greedy_cost"] == 100
    assert part["funded"] == [3, 2] and part["cost"] == 80 and part["left"] == 20
    assert result.funded == [three.id, two.id]
    by_number = {p["number"]: p for p in part["projects"]}
    assert by_number[1]["funded_by_greedy"] and not by_number[1]["funded"]
    assert by_number[2]["funded"] and not by_number[2]["funded_by_greedy"]


def test_every_project_is_stored_with_why_it_is_funded_or_not_and_the_fairness_beside_greedy(town):
    # The same five voters: equal shares funds 3 and 2, not 1 (the most voted after 3).
    process = new_process(town, 100, rule="equalshares/add1")
    add_projects(process, [50, 30, 50])
    cast(process, ["1.3"] * 3 + ["2.3"] * 2)
    part = computed(process).details["parts"][0]
    why = {p["number"]: p["why"] for p in part["projects"]}
    assert why[3]["method"] == why[2]["method"] == "equal-shares"
    assert why[3]["round"] == 1 and why[3]["payers"] == 5 and why[2]["round"] == 2
    # Project 1's three supporters paid 30 of project 3 (10 each); what they had left does
    # not buy it, and the page says what would have: checked against the rule run again.
    assert why[1]["round"] is None and why[1]["spent_on"] == [[3, 30]]
    assert why[1]["more_supporters"] >= 1 and 0 < why[1]["max_cost"] < 50
    voters = part["fairness"]
    assert voters["rule"]["with_a_funded_project"] == voters["greedy"]["with_a_funded_project"] == "1.000000"
    assert voters["rule"]["count_satisfaction"] == "0.700000"  # 3 voters get 1 of 2, 2 voters 2 of 2
    assert voters["greedy"]["count_satisfaction"] == "0.800000"  # 3 voters 2 of 2, 2 voters 1 of 2


def test_the_results_page_says_in_french_why_and_how_many_voters_are_satisfied(client, town):
    process = new_process(town, 100, rule="equalshares/add1")
    add_projects(process, [50, 30, 50])
    cast(process, ["1.3"] * 3 + ["2.3"] * 2)
    close(process)
    result = computed(process)
    results.publish(process, town.facilitator)
    db.session.commit()
    more = {p["number"]: p["why"] for p in result.details["parts"][0]["projects"]}[1]["more_supporters"]
    text = re.sub(r"\s+", " ", client.get(f"/budgets/{process.id}/resultats").get_data(as_text=True))
    assert "Financé au tour 1 : 5 personnes en ont partagé le coût." in text
    assert "Non financé" in text and f"avec {more} " in text and "projet 3 (30" in text
    assert "Combien de personnes votantes sont satisfaites" in text and "70.0 %" in text and "80.0 %" in text


def test_the_results_page_writes_whole_euros_without_cents(client, town):
    process = new_process(town, 100_000, rule="greedy")
    add_projects(process, [20_624, 30_000])
    cast(process, ["1", "1.2"])
    close(process)
    computed(process)
    results.publish(process, town.facilitator)
    db.session.commit()
    html = client.get(f"/budgets/{process.id}/resultats").get_data(as_text=True)
    # French: narrow no-break space between thousands, no-break space before the sign, no cents.
    assert "20\u202f624\u00a0€" in html and "50\u202f624\u00a0€" in html and "49\u202f376\u00a0€" in html
    assert ",00" not in html


def test_areas_with_envelopes_are_allocated_apart(town):
    process = new_process(town, 200, rule="greedy")
    north, south = add_area(process, "Nord", 50), add_area(process, "Sud", 60)
    (n1, n2) = add_projects(process, [40, 30], area=north)
    (s1,) = add_projects(process, [60], area=south)
    (c1,) = add_projects(process, [90])  # of no area: the 200 - 110 left
    cast(process, ["1.2", "1", "3", "4", "1"])
    result = computed(process)
    parts = {p["name"]: p for p in result.details["parts"]}
    assert set(parts) == {None, "Nord", "Sud"}
    assert parts["Nord"]["envelope"] == 50 and parts["Nord"]["funded"] == [1]  # 40 fits, then 30 no longer
    assert parts["Nord"]["voters"] == 3  # only the ballots that name a project of the area
    assert parts["Sud"]["funded"] == [3] and parts[None]["envelope"] == 90 and parts[None]["funded"] == [4]
    assert set(result.funded) == {n1.id, s1.id, c1.id} and result.total_cost == 190
    assert result.parameters["area_envelopes"] == {"Nord": 50, "Sud": 60}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sets(st.integers(1, 5), max_size=5), min_size=1, max_size=30), st.sampled_from(
    ["greedy", "equalshares/add1", "equalshares/add1-comparison"]))
def test_stored_result_is_the_engines_on_the_same_ballots(town, votes, rule):
    """Whatever the ballots, what is stored is what the engine gives on them."""
    process = new_process(town, 100, rule=rule)
    projects = add_projects(process, [10, 25, 40, 55, 70])
    texts = [".".join(str(n) for n in sorted(v)) or "-" for v in votes]
    cast(process, texts)
    result = computed(process)
    part = results.Part(None, None, 100, projects)
    election = results.election_of(part, texts, "approval", everyone=True)
    expected = allocate(election, rule, TieOrder(election, process.tie_seed))
    assert result.funded == [projects[i].id for i in expected.funded]
    assert result.total_cost == expected.cost <= 100
    assert result.ballots_count == len(texts)


# -- deferred, idempotent, published -----------------------------------------------------------

def test_asking_twice_computes_once(town, monkeypatch):
    process = new_process(town, 100, rule="greedy")
    add_projects(process, [60])
    cast(process, ["1"])
    runs = []
    real = results.compute
    monkeypatch.setattr(results, "compute", lambda *a, **k: runs.append(1) or real(*a, **k))
    results.request(process)
    results.request(process)
    db.session.commit()
    results.request(process)
    db.session.commit()
    assert len(runs) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Result)) == 1


def test_the_close_asks_for_the_result(app, town):
    process = new_process(town, 100, rule="greedy")
    add_projects(process, [60])
    cast(process, ["1"])
    close(process)
    hooks.phase_changed.send(process, kind="budget.vote", old="open", new="closed")
    db.session.expire_all()
    assert db.session.get(Result, process.id).state == COMPUTED
    other = new_process(town, 100)
    hooks.phase_changed.send(other, kind="mj.vote", old="open", new="closed")
    assert db.session.get(Result, other.id) is None


def test_a_failure_is_stored_and_a_recompute_fixes_it(town, monkeypatch):
    process = new_process(town, 100, rule="greedy")
    add_projects(process, [60])
    cast(process, ["1"])

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(results, "compute", broken)
    results.request(process)
    db.session.commit()
    db.session.expire_all()
    result = db.session.get(Result, process.id)
    assert result.state == FAILED and "disk full" in result.error
    monkeypatch.undo()
    results.recompute(db.session.get(type(process), process.id))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Result, process.id).state == COMPUTED


def test_recompute_takes_the_sheets_entered_since_and_a_published_result_stays(town):
    process = new_process(town, 100, rule="greedy")
    add_projects(process, [60, 50])
    cast(process, ["1"])
    assert computed(process).ballots_count == 1
    sheets(process, ["2", "2"])
    results.recompute(process)
    db.session.commit()
    db.session.expire_all()
    result = db.session.get(Result, process.id)
    assert result.ballots_count == 3 and result.details["parts"][0]["funded"] == [2]
    results.publish(process, town.facilitator)
    db.session.commit()
    from convergence.refusal import Refused

    with pytest.raises(Refused):
        results.recompute(process)


# -- the page -------------------------------------------------------------------------------------

def published_process(town, n_ballots: int = 5, **fields):
    process = new_process(town, 100, rule=fields.pop("rule", "equalshares/add1"), **fields)
    area = add_area(process, "Quartier des Lilas", None)
    add_projects(process, [60], area=area, latitude=48.871, longitude=2.381)
    add_projects(process, [40, 40])
    cast(process, (["1", "2.3", "1.2"] * n_ballots)[:n_ballots])
    close(process)
    computed(process)
    results.publish(process, town.facilitator)
    db.session.commit()
    return process


def test_results_page_before_publication_shows_the_state_only(client, town):
    process = new_process(town, 100)
    add_projects(process, [60])
    cast(process, ["1"])
    page = client.get(f"/budgets/{process.id}/resultats")
    assert page.status_code == 200
    assert "Le résultat sera calculé à la clôture du vote" in page.get_data(as_text=True)
    close(process)
    computed(process)
    text = client.get(f"/budgets/{process.id}/resultats").get_data(as_text=True)
    assert "l'équipe d'animation le vérifie avant de le publier" in text
    assert "Projet 1" not in text
    login(client, town.facilitator)
    text = client.get(f"/budgets/{process.id}/resultats").get_data(as_text=True)
    assert "Projet 1" in text and "Publier le résultat" in text


def test_a_facilitator_publishes_and_a_resident_may_not(client, town):
    process = new_process(town, 100)
    add_projects(process, [60])
    cast(process, ["1"])
    close(process)
    computed(process)
    login(client, town.resident)
    token = csrf_token(client, f"/budgets/{process.id}/resultats")
    assert client.post(f"/budgets/{process.id}/resultats/publier", data={"csrf_token": token}).status_code == 403
    assert db.session.get(Result, process.id).state == COMPUTED
    client.post("/compte/deconnexion", data={"csrf_token": token})
    login(client, town.facilitator)
    token = csrf_token(client, f"/budgets/{process.id}/resultats")
    response = client.post(f"/budgets/{process.id}/resultats/publier", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    result = db.session.get(Result, process.id)
    assert result.state == PUBLISHED and result.published_by_id == town.facilitator.id


def test_compute_button_before_the_close_is_refused_in_french(client, town):
    process = new_process(town, 100)
    login(client, town.facilitator)
    token = csrf_token(client, f"/budgets/{process.id}/resultats")
    response = client.post(f"/budgets/{process.id}/resultats/calculer", data={"csrf_token": token})
    assert response.status_code == 409
    assert "une fois le vote clos" in response.get_data(as_text=True)
    assert db.session.get(Result, process.id) is None


def test_published_page_shows_funded_greedy_map_rule_and_hash(client, town):
    process = published_process(town, 6)
    result = db.session.get(Result, process.id)
    page = client.get(f"/budgets/{process.id}/resultats")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Projets financés" in text and "Projets non financés" in text
    assert "Côte à côte avec la règle gloutonne" in text
    assert result.ballots_hash in text and process.tie_seed in text and "equalshares/add1" in text
    assert "Carte des projets financés" in text and "latitude 48.87100" in text
    assert 'id="budget-map"' in text and "parts égales" in text.lower()
    for extension in ("csv", "json", "pb"):
        assert f"/budgets/{process.id}/resultats.{extension}" in text


def test_projector_view_has_no_site_header_and_large_list(client, town):
    import re

    process = published_process(town, 3)
    page = client.get(f"/budgets/{process.id}/resultats/projection")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    # The core's layout always writes the header and footer; the projector's body class and
    # the plug-in's style sheet it links take them off the screen. Both halves are checked:
    # the class on <body>, and the sheet served at the linked address hiding them.
    body_classes = re.search(r'<body class="([^"]*)"', text).group(1).split()
    assert "budget-projector" in body_classes
    sheet = re.search(r'<link rel="stylesheet" href="([^"]*results\.css)"', text).group(1)
    css = client.get(sheet).get_data(as_text=True)
    # A rule of the sheet's top level (a line of its own, not inside an @media block).
    hidden = set()
    for line in css.splitlines():
        rule = re.fullmatch(r"([^@{}]+)\{\s*display:\s*none;?\s*\}", line.strip())
        if rule:
            hidden |= {selector.strip() for selector in rule.group(1).split(",")}
    assert {"body.budget-projector .site-header", "body.budget-projector .site-footer"} <= hidden
    # The large list of the funded projects, and not the results page's tables.
    items = re.findall(r'<li><span class="budget-number">(\d+)</span> ([^<]*)<', text)
    funded = {n for n in db.session.get(Result, process.id).funded}
    assert len(items) == len(funded) > 0 and all(title.strip().startswith("Projet ") for _n, title in items)
    assert "budget-table" not in text


def test_geojson_of_funded_projects_with_a_place(client, town):
    process = published_process(town, 6)
    data = client.get(f"/budgets/{process.id}/resultats/carte.geojson").get_json()
    assert [f["properties"]["number"] for f in data["features"]] == [1]
    assert data["features"][0]["geometry"]["coordinates"] == [2.381, 48.871]


def _statements(app, client, url):
    client.get(url)
    with count_queries(app) as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen)


def test_pages_read_a_bounded_number_of_queries(app, client, town):
    small, large = published_process(town, 3), published_process(town, 300)
    for page in ("/resultats", "/resultats/projection", "/resultats.csv", "/resultats.json",
                 "/resultats/carte.geojson"):
        few = _statements(app, client, f"/budgets/{small.id}{page}")
        many = _statements(app, client, f"/budgets/{large.id}{page}")
        assert few == many, (page, few, many)
        assert many <= 8, (page, many)


def test_progress_is_shown_while_computing(client, town):
    process = new_process(town, 100)
    add_projects(process, [60])
    db.session.add(Result(process_id=process.id, state="computing", progress=40))
    db.session.commit()
    text = client.get(f"/budgets/{process.id}/resultats").get_data(as_text=True)
    assert re.search(r'<progress[^>]*value="40"', text)
    assert "Actualiser la page" in text  # without JavaScript


def test_a_queued_result_is_not_published(town):
    process = new_process(town, 100)
    db.session.add(Result(process_id=process.id, state=QUEUED))
    db.session.commit()
    from convergence.refusal import Refused

    with pytest.raises(Refused):
        results.publish(process, town.facilitator)


def test_a_close_racing_another_writes_one_row_and_defers_nothing(town, monkeypatch):
    """The other transaction wrote the row after this one looked: the insert meets the
    primary key, this call takes the row written and computes nothing itself."""
    process = new_process(town, 100, rule="greedy")
    add_projects(process, [60])
    db.session.add(Result(process_id=process.id, state=QUEUED))
    db.session.commit()
    deferred = []
    monkeypatch.setattr(results.tasks, "defer", lambda *a, **k: deferred.append(a))
    real_get = db.session.get
    looked = []

    def first_look_misses(model, key, **kw):
        if model is Result and not looked:
            looked.append(key)
            return None
        return real_get(model, key, **kw)

    monkeypatch.setattr(db.session, "get", first_look_misses)
    result = results.request(process)
    assert result.state == QUEUED and deferred == []
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Result)) == 1
