"""``convergence mj-tally FILE``: ranking from a ballots file, without any database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from plugins.mj.cli import mj_tally

DATA = Path(__file__).parent / "data"
ORSAY_ORDER = ["Bayrou", "Royal", "Sarkozy", "Voynet", "Besancenot", "Buffet", "Bové", "Laguiller",
               "Nihous", "de Villiers", "Schivardi", "Le Pen"]


def orsay_csv(tmp_path) -> Path:
    """The three polling stations of Orsay 2007 in one file (same header)."""
    lines = []
    for number in ("01", "06", "12"):
        text = (DATA / f"bureau_{number}.csv").read_text(encoding="utf-8").splitlines()
        lines += text if not lines else text[1:]
    path = tmp_path / "orsay.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(mj_tally, [str(a) for a in args])


def test_orsay_json_output(tmp_path):
    result = run("--json", orsay_csv(tmp_path))
    assert result.exit_code == 0, result.output
    ranking = json.loads(result.output)["ranking"]
    assert [r["option"] for r in ranking] == ORSAY_ORDER
    assert [r["rank"] for r in ranking] == list(range(1, 13))
    # The three leaders at "Assez bien" (grade 4 of 6 = index 3).
    assert [r["majority_grade"] for r in ranking[:3]] == [3, 3, 3]
    assert set(ranking[0]) == {"option", "rank", "majority_grade"}


def test_orsay_text_output(tmp_path):
    result = run(orsay_csv(tmp_path))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 13
    names = [line.split()[1] for line in lines[1:]]
    assert names[:3] == ["Bayrou", "Royal", "Sarkozy"]
    assert lines[1].split()[0] == "1"


def test_json_tallies(tmp_path):
    path = tmp_path / "tallies.json"
    path.write_text(json.dumps({"participants": 10, "tallies": {
        "Pizza": [1, 1, 2, 3, 3], "Tacos": [0, 2, 2, 2, 4], "Salade": [5, 2, 1, 1, 1]}}), encoding="utf-8")
    result = run("--json", path)
    assert result.exit_code == 0
    assert json.loads(result.output) == {"ranking": [
        {"option": "Tacos", "rank": 1, "majority_grade": 3},
        {"option": "Pizza", "rank": 2, "majority_grade": 3},
        {"option": "Salade", "rank": 3, "majority_grade": 0},
    ]}
    text = run(path)
    assert text.exit_code == 0 and text.output.splitlines()[1].split()[:2] == ["1", "Tacos"]


def test_missing_policies(tmp_path):
    path = tmp_path / "missing.json"
    # B got few judgments but all excellent: "worst" punishes it, "normalized" does not.
    path.write_text(json.dumps({"participants": 10, "tallies": {"A": [2, 2, 6], "B": [0, 0, 3]}}))
    worst = json.loads(run("--json", path).output)["ranking"]
    normalized = json.loads(run("--json", "--missing", "normalized", path).output)["ranking"]
    median = json.loads(run("--json", "--missing", "median", path).output)["ranking"]
    assert [r["option"] for r in worst] == ["A", "B"]
    assert [r["option"] for r in normalized] == ["B", "A"]
    assert [r["option"] for r in median] == ["B", "A"]
    assert run("--missing", "nimporte", path).exit_code == 2


def test_malformed_csv(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(",A,B\n1,3,2\n2,4,x\n", encoding="utf-8")
    result = CliRunner().invoke(mj_tally, [str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "Error: line 3, column 3: 'x' is not an integer grade"


def test_malformed_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"tallies": {\n  "A": [1, 2],\n  "B": [1, -2]\n}}', encoding="utf-8")
    result = CliRunner().invoke(mj_tally, [str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert "line 3, column" in result.stderr and "negative count" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"tallies": {"A": [1, 2]', encoding="utf-8")
    result = CliRunner().invoke(mj_tally, [str(broken)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: line 1, column")


def test_nothing_to_rank_and_missing_file(tmp_path):
    path = tmp_path / "zero.json"
    path.write_text('{"participants": 0, "tallies": {"A": [0, 0], "B": [0, 0]}}')
    result = CliRunner().invoke(mj_tally, [str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert CliRunner().invoke(mj_tally, [str(tmp_path / "absent.csv")]).exit_code == 2


def test_registered_on_the_convergence_command(app, tmp_path):
    # Through the application's CLI, as `convergence mj-tally` runs it.
    result = app.test_cli_runner().invoke(args=["mj-tally", "--json", str(orsay_csv(tmp_path))])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ranking"][0]["option"] == "Bayrou"
    text = app.test_cli_runner().invoke(args=["mj-tally", str(orsay_csv(tmp_path))])
    assert text.exit_code == 0 and "Bayrou" in text.output
