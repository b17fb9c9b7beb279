"""The result's files: CSV (neutralised), JSON and Pabulib .pb (anonymised), only once the
result is published; the .pb export imported again gives the same result and hash."""

from __future__ import annotations

import csv
import hashlib
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from plugins.budget import pabulib, pb_import, results
from plugins.budget.models import Project, Result

from .conftest import add_area, add_projects, cast, new_process, sheets


def publish(town, process):
    process.vote_state = "closed"
    db.session.commit()
    results.request(process)
    db.session.commit()
    db.session.expire_all()
    results.publish(process, town.facilitator)
    db.session.commit()
    return db.session.get(Result, process.id)


def budget(town, **fields):
    process = new_process(town, 100, rule=fields.pop("rule", "equalshares/add1"), **fields)
    area = add_area(process, "Les Lilas", None)
    add_projects(process, [50], area=area, latitude=48.87, longitude=2.38)
    add_projects(process, [30, 50])
    projects = list(db.session.scalars(db.select(Project).where(Project.process_id == process.id)
                                       .order_by(Project.number)))
    projects[1].title = "=HYPERLINK(\"http://example.org\")"
    db.session.commit()
    cast(process, ["1.3"] * 3 + ["2.3"] * 2)
    sheets(process, ["3"])
    return process


def test_files_are_refused_before_publication_with_a_french_reason(client, town):
    process = budget(town)
    for extension in ("csv", "json", "pb"):
        response = client.get(f"/budgets/{process.id}/resultats.{extension}")
        assert response.status_code == 403
        assert "publiés avec le résultat" in response.get_data(as_text=True)
    process.vote_state = "closed"
    db.session.commit()
    results.request(process)
    db.session.commit()
    assert client.get(f"/budgets/{process.id}/resultats.pb").status_code == 403  # computed, not published


def test_csv_is_neutralised_and_lists_every_project(client, town):
    process = budget(town)
    publish(town, process)
    response = client.get(f"/budgets/{process.id}/resultats.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Numéro", "Titre", "Quartier"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    assert rows[2][1].startswith("'=HYPERLINK")  # a formula made text
    assert rows[1][2] == "Les Lilas" and rows[1][7] == "non" and rows[3][7] == "oui"
    assert rows[1][8] == "oui"  # greedy funds project 1


def test_json_holds_what_computes_it_again(client, town):
    process = budget(town)
    result = publish(town, process)
    data = json.loads(client.get(f"/budgets/{process.id}/resultats.json").get_data(as_text=True))
    assert data["rule"] == "equalshares/add1" and data["ballots_hash"] == result.ballots_hash
    assert data["parameters"]["tie_seed"] == process.tie_seed and data["tie_order"] == result.tie_order
    assert data["funded"] == [2, 3] and data["total_cost"] == 80 and data["left"] == 20
    assert data["ballots_count"] == 6 and data["parts"][0]["greedy"] == [3, 1]
    assert [p["number"] for p in data["projects"]] == [1, 2, 3]


def test_pb_export_is_anonymous_and_hashes_to_the_published_hash(client, town):
    process = budget(town)
    result = publish(town, process)
    text = client.get(f"/budgets/{process.id}/resultats.pb").get_data(as_text=True)
    pb = pabulib.loads(text)
    assert pb.meta["budget"] == "100" and pb.meta["rule"] == "equalshares/add1"
    assert pb.meta["ballots_hash"] == result.ballots_hash and pb.meta["tie_seed"] == process.tie_seed
    assert [r.values["voter_id"] for r in pb.votes] == [str(k) for k in range(1, 7)]
    # The receipts of the box are nowhere in the file.
    from convergence.balloting.models import Ballot

    for receipt in db.session.scalars(db.select(Ballot.receipt).where(Ballot.box_id == process.box_id)):
        assert receipt not in text
    assert "Mairie" not in text  # nor the polling place of the paper sheets
    texts = [".".join(sorted(r.values["vote"].split(","), key=int)) or "-" for r in pb.votes]
    assert hashlib.sha256("".join(t + "\n" for t in texts).encode()).hexdigest() == result.ballots_hash
    assert [r.values["selected"] for r in pb.projects] == ["0", "1", "1"]


def roundtrip(town, process) -> Result:
    result = publish(town, process)
    from plugins.budget import exports

    text = exports.pb_text(process, result, exports.projects_of(process))
    again = new_process(town, 1, rule="greedy")
    pb_import.import_pb(again, text, town.facilitator, "export.pb")
    db.session.commit()
    again.vote_state = "closed"
    db.session.commit()
    results.request(again)
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Result, again.id)


def test_export_then_import_gives_the_same_result(town):
    process = budget(town)
    second = roundtrip(town, process)
    first = db.session.get(Result, process.id)
    assert second.rule == first.rule and second.ballots_hash == first.ballots_hash
    assert second.details["parts"][0]["funded"] == first.details["parts"][0]["funded"]
    assert second.total_cost == first.total_cost and second.ballots_count == first.ballots_count


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(costs=st.lists(st.integers(1, 60), min_size=1, max_size=6),
       votes=st.lists(st.lists(st.integers(0, 5), max_size=4), min_size=1, max_size=20),
       points=st.booleans(), rule=st.sampled_from(["greedy", "equalshares/add1"]))
def test_round_trip_on_any_budget(town, costs, votes, points, rule):
    fields = dict(ballot_kind="points", max_points_per_project=3) if points else {}
    process = new_process(town, 100, rule=rule, **fields)
    add_projects(process, costs)
    texts = []
    for k, chosen in enumerate(votes):
        numbers = sorted({n % len(costs) + 1 for n in chosen})
        texts.append(".".join(f"{n}:{(n + k) % 3 + 1}" if points else str(n) for n in numbers) or "-")
    cast(process, texts)
    second = roundtrip(town, process)
    first = db.session.get(Result, process.id)
    assert second.ballots_hash == first.ballots_hash
    assert second.details["parts"][0]["funded"] == first.details["parts"][0]["funded"]
