"""Tests of the `convergence mj-tally FILE` input parser."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from plugins.mj.ballots_file import BallotsData, BallotsFileError, load, parse
from plugins.mj.engine import rank

DATA = Path(__file__).parent / "data"


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of the first occurrence of needle in text."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --------------------------------------------------------------------------
# Good input
# --------------------------------------------------------------------------

GOOD_CSV = """\
,Alice,"Bob, Jr.",Chloé
b1,4,0,1
b2,3,2,1

b3,4,1,0
"""


def test_good_csv():
    data = parse(GOOD_CSV)
    assert isinstance(data, BallotsData)
    # Scale inferred as 1..4 (highest grade seen); grade g -> index g-1; 0 -> missing.
    assert data.tallies == {"Alice": [0, 0, 1, 2], "Bob, Jr.": [1, 1, 0, 0], "Chloé": [2, 0, 0, 0]}
    assert data.participants == 3
    tallies, participants = data  # plain tuple unpacking works too
    assert rank(tallies, participants=participants).ranks() == {"Alice": 1, "Bob, Jr.": 2, "Chloé": 3}


def test_csv_scale_is_at_least_two_grades_and_can_be_forced():
    assert parse(",A\n1,1\n2,0\n").tallies == {"A": [1, 0]}
    assert parse(",A\n1,1\n2,3\n", n_grades=6).tallies == {"A": [1, 0, 1, 0, 0, 0]}


def test_csv_crlf_and_bom(tmp_path):
    path = tmp_path / "ballots.csv"
    path.write_bytes("\ufeff,A,B\r\n1,2,1\r\n2,1,2\r\n".encode("utf-8"))
    assert load(path) == BallotsData({"A": [1, 1], "B": [1, 1]}, 2)
    assert load(str(path)) == load(path)


def test_orsay_file():
    data = load(DATA / "bureau_01.csv")
    assert data.participants == 559
    assert len(data.tallies) == 12 and "Bové" in data.tallies
    assert all(len(counts) == 6 for counts in data.tallies.values())


def test_good_json():
    text = '{"participants": 10, "tallies": {"Yes": [1, 2, 3], "No": [3, 2, 1]}}'
    assert parse(text) == BallotsData({"Yes": [1, 2, 3], "No": [3, 2, 1]}, 10)
    # participants defaults to the largest tally sum.
    assert parse('  \n {"tallies": {"a": [1, 1], "b": [0, 1]}}') == BallotsData({"a": [1, 1], "b": [0, 1]}, 2)


def test_json_huge_counts_stay_exact():
    text = json.dumps({"tallies": {"a": [10**20, 1], "b": [1, 10**20]}})
    assert parse(text).tallies["a"][0] == 10**20


def test_load_sources(tmp_path):
    text = '{"tallies": {"a": [1, 1]}}'
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    expected = BallotsData({"a": [1, 1]}, 2)
    assert load(path) == load(str(path)) == load(text) == load(io.StringIO(text)) == expected
    assert load(",A\n1,1\n") == BallotsData({"A": [1, 0]}, 1)


def test_error_text():
    error = BallotsFileError("'x' is not an integer grade", 7, 3)
    assert str(error) == "line 7, column 3: 'x' is not an integer grade"
    assert (error.line, error.column, error.message) == (7, 3, "'x' is not an integer grade")
    assert isinstance(error, ValueError)


# --------------------------------------------------------------------------
# Malformed CSV: (text, line, column, message)
# --------------------------------------------------------------------------

BAD_CSV = [
    ("", 1, 1, "empty file"),
    ("  \n\n", 1, 1, "empty file"),
    (",A,B\n", 2, 1, "no ballot after the header line"),
    ("\n,A,B\n\n", 3, 1, "no ballot after the header line"),
    ("id,A,B\n1,2,3\n", 1, 1, "the first cell of the header must be empty"),
    (",A,,B\n1,1,1,1\n", 1, 3, "empty option name"),
    (",A,B,A\n1,1,1,1\n", 1, 4, "duplicate option name 'A' (also in column 2)"),
    (",A,B\n1,2,3\n2,2\n", 3, 3, "expected 3 cells (a ballot id then one grade per option), found 2"),
    (",A,B\n1,2,3,4\n", 2, 4, "expected 3 cells (a ballot id then one grade per option), found 4"),
    (",A,B\n1\n", 2, 2, "expected 3 cells"),
    (",A,B\n1,2,3\n\n2,x,3\n", 4, 2, "'x' is not an integer grade"),
    (",A,B\n1,2,2.5\n", 2, 3, "'2.5' is not an integer grade"),
    (",A,B\n1,,3\n", 2, 2, "'' is not an integer grade"),
    (",A,B\n1,2,+3\n", 2, 3, "'+3' is not an integer grade"),
    (",A,B\n1,-1,3\n", 2, 2, "'-1' is a negative grade"),
    (",A,B\n1,11,3\n", 2, 2, "grade 11 is above the highest grade 10"),
    (',A,B\n1,"2\n', 2, 1, "unreadable CSV: unexpected end of data"),
    (',A,B\n1,"2"x,3\n', 2, 1, "unreadable CSV: ',' expected after '\"'"),
    (',"A\nB",C\n1,2,x\n', 3, 3, "'x' is not an integer grade"),
    (',"A\nB",C\n1,2\n', 3, 3, "expected 3 cells"),
]


@pytest.mark.parametrize("text, line, column, message", BAD_CSV)
def test_bad_csv(text, line, column, message):
    with pytest.raises(BallotsFileError) as caught:
        parse(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.message.startswith(message)
    assert str(caught.value).startswith(f"line {line}, column {column}: {message}")


def test_grade_above_forced_scale():
    with pytest.raises(BallotsFileError) as caught:
        parse(",A,B\n1,2,3\n2,7,1\n", n_grades=6)
    assert str(caught.value) == "line 3, column 2: grade 7 is above the highest grade 6"


def test_bad_encoding(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(",A\n1,1\n2,\xe9\n".encode("latin-1"))
    with pytest.raises(BallotsFileError) as caught:
        load(path)
    assert (caught.value.line, caught.value.column) == (3, 3)


# --------------------------------------------------------------------------
# Malformed JSON: (text, needle where the error must point, message)
# --------------------------------------------------------------------------

BAD_JSON = [
    ('{"tallies": {"A": [1, 2,]}}', "]}}", "Expecting value"),
    ('{"tallies": {"A": [1, 2]}', None, "Expecting ',' delimiter"),
    ('{"participants": 3}', '{"participants"', "missing key 'tallies'"),
    ('{"tallies": {"A": [1, 2]}, "title": "x"}', '"title"', "unknown key 'title'"),
    ('{"tallies": {"A": [1, 2]}, "tallies": {"B": [1, 2]}}', '"tallies": {"B"', "duplicate key 'tallies'"),
    ('{"tallies": [[1, 2]]}', "[[", "'tallies' must be an object"),
    ('{"tallies": {}}', "{}", "'tallies' has no option"),
    ('{"tallies": {"A": [1, 2], "A": [2, 1]}}', '"A": [2', "duplicate option name 'A'"),
    ('{"tallies": {" ": [1, 2]}}', '" "', "empty option name"),
    ('{"tallies": {"A": 3}}', "3}", "the tally of 'A' must be a list of counts"),
    ('{"tallies": {"A": [1, 1.5]}}', "1.5", "1.5 is not an integer count"),
    ('{"tallies": {"A": [1, "2"]}}', '"2"', '"2" is not an integer count'),
    ('{"tallies": {"A": [1, true]}}', "true", "true is not an integer count"),
    ('{"tallies": {"A": [1, [2]]}}', "[2]", "[...] is not an integer count"),
    ('{"tallies": {"A": [1, -2]}}', "-2", "negative count -2"),
    ('{"tallies": {"A": [1, 2], "B": [1, 2, 3]}}', "[1, 2, 3]", "the tally of 'B' has 3 counts but the tally of 'A' has 2"),
    ('{"tallies": {"A": [1]}}', "[1]", "the tally of 'A' has 1 counts; a scale has 2 to 10 grades"),
    ('{"tallies": {"A": [0,0,0,0,0,0,0,0,0,0,0]}}', "[0", "the tally of 'A' has 11 counts"),
    ('{"participants": -1, "tallies": {"A": [1, 2]}}', "-1", "participants must be a non-negative integer, not -1"),
    ('{"participants": "3", "tallies": {"A": [1, 2]}}', '"3"', 'participants must be a non-negative integer, not "3"'),
    ('{"participants": 3, "tallies": {"A": [1, 2], "B": [2, 2]}}', '"B"', "the tally of 'B' sums to 4, more than the 3 participants"),
]


@pytest.mark.parametrize("text, needle, message", BAD_JSON)
def test_bad_json(text, needle, message):
    with pytest.raises(BallotsFileError) as caught:
        parse(text)
    expected = position(text, needle) if needle else (1, len(text) + 1)
    assert (caught.value.line, caught.value.column) == expected
    assert caught.value.message.startswith(message)


def test_json_errors_point_at_the_right_line():
    text = (
        "{\n"
        '  "participants": 10,\n'
        '  "tallies": {\n'
        '    "Yes": [1, 2, 3],\n'
        '    "No":  [3, -2, 1]\n'
        "  }\n"
        "}\n"
    )
    with pytest.raises(BallotsFileError) as caught:
        parse(text)
    assert str(caught.value) == "line 5, column 16: negative count -2"

    with pytest.raises(BallotsFileError) as caught:
        parse(text.replace("[1, 2, 3]", "[1, 2, 3,]"))
    assert (caught.value.line, caught.value.column) == (4, 21)  # the "]" after the extra comma

    with pytest.raises(BallotsFileError) as caught:
        parse(text.replace("[3, -2, 1]", "[3, 2]"))
    assert str(caught.value) == "line 5, column 12: the tally of 'No' has 2 counts but the tally of 'Yes' has 3"


def test_json_forced_scale():
    with pytest.raises(BallotsFileError, match="has 3 counts, expected 4"):
        parse('{"tallies": {"A": [1, 2, 3]}}', n_grades=4)
    assert parse('{"tallies": {"A": [1, 2, 3, 4]}}', n_grades=4).participants == 10


def test_json_with_escaped_keys_and_strings():
    text = '{"tallies": {"Caf\\u00e9 \\"x\\"": [1, 2], "b": [1, -1]}}'
    with pytest.raises(BallotsFileError) as caught:
        parse(text)
    assert (caught.value.line, caught.value.column) == position(text, "-1")
    assert parse(text.replace("-1", "1")).tallies == {'Café "x"': [1, 2], "b": [1, 1]}
