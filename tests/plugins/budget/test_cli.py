"""``convergence pb-allocate FILE.pb [--rule greedy|mes] [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from plugins.budget import pabulib
from plugins.budget.cli import pb_allocate

DATA = Path(__file__).parent / "data"


def run(*args):
    return CliRunner().invoke(pb_allocate, [str(a) for a in args])


def official(name):
    pb = pabulib.load(DATA / name)
    return pb, [r.values["project_id"] for r in pb.projects if r.values.get("selected") == "1"]


def test_rule_of_the_file_by_default_json():
    pb, selected = official("Netherlands_Assen_2024.pb")
    result = run("--json", DATA / "Netherlands_Assen_2024.pb")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) == {"rule", "selected", "cost"}
    assert answer["rule"] == "equalshares/add1"
    assert sorted(answer["selected"]) == sorted(selected)  # ids as written in the file
    assert answer["cost"] == sum(int(r.values["cost"]) for r in pb.projects if r.values["project_id"] in selected)


def test_short_rules():
    _, selected = official("Poland_Warszawa_2023_Wesola.pb")
    greedy = json.loads(run("--json", "--rule", "greedy", DATA / "Poland_Warszawa_2023_Wesola.pb").stdout)
    assert greedy["rule"] == "greedy" and sorted(greedy["selected"]) == sorted(selected)
    _, selected = official("Poland_Swiecie_2023.pb")
    mes = json.loads(run("--json", "--rule", "mes", DATA / "Poland_Swiecie_2023.pb").stdout)
    assert mes["rule"] == "equalshares/add1" and sorted(mes["selected"]) == sorted(selected)
    assert all(pid.startswith("c") for pid in mes["selected"])


def test_text_output_publishes_the_tie_order():
    result = run("--seed", "tirage du 3 mars", DATA / "Netherlands_Assen_2024.pb")
    assert result.exit_code == 0
    assert "rule: equalshares/add1" in result.stdout
    assert "funded: 9 projects, cost 76700 of 100000" in result.stdout
    assert "tie order (seed 'tirage du 3 mars')" in result.stdout


def test_ordinal_file_whose_rule_is_unknown(tmp_path):
    path = DATA / "Switzerland_Zurich_S5R.pb"
    result = run("--json", path)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: line 11: rule 'unknown' cannot be applied")
    scored = json.loads(run("--json", "--rule", "greedy", path).stdout)
    assert scored["cost"] <= 60000 and scored["selected"]


def test_malformed_files(tmp_path):
    text = (DATA / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    cases = {
        "budget;100000": ("budget;cent mille", 9, "budget is not a number"),
        "3;7200;": ("3;-7200;", 20, "cost of project '3' is negative"),
        "vote_type;approval": ("vote_type;knapsack", 10, "unknown vote_type"),
        "PROJECTS\n": ("PROJETS\n", 18, "fields where the header has 2"),
    }
    for old, (new, line, words) in cases.items():
        path = tmp_path / "bad.pb"
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        result = run("--json", path)
        assert result.exit_code == 2, (old, result.stdout)
        assert result.stderr.startswith(f"Error: line {line}: "), result.stderr
        assert words in result.stderr
        assert result.stdout == ""


def test_greedy_threshold(tmp_path):
    text = (DATA / "Poland_Warszawa_2023_Wesola.pb").read_text(encoding="utf-8")
    path = tmp_path / "threshold.pb"
    path.write_text(text.replace("rule;greedy", "rule;greedy-threshold\nmin_project_score_threshold;400"), encoding="utf-8")
    answer = json.loads(run("--json", path).stdout)
    pb = pabulib.load(path)
    votes = {r.values["project_id"]: int(r.values["votes"]) for r in pb.projects}
    assert answer["rule"] == "greedy-threshold" and answer["selected"]
    assert all(votes[pid] >= 400 for pid in answer["selected"])
    path.write_text(text.replace("rule;greedy", "rule;greedy-threshold"), encoding="utf-8")
    result = run("--json", path)
    assert result.exit_code == 2 and "needs min_project_score_threshold" in result.stderr


def test_registered_in_the_application(app):
    result = app.test_cli_runner().invoke(args=["pb-allocate", "--json", str(DATA / "Poland_Swiecie_2023.pb")])
    assert result.exit_code == 0, result.output
    _, selected = official("Poland_Swiecie_2023.pb")
    assert sorted(json.loads(result.stdout)["selected"]) == sorted(selected)
