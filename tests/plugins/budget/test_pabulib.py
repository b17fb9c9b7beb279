"""Reading and writing Pabulib files: the real ones, malformed ones (a clear message with the
line), and random ones (hypothesis) written then read back."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.budget import pabulib
from plugins.budget.allocation import APPROVAL, POINTS

DATA = Path(__file__).parent / "data"

GOOD = """META
key;value
description;Test
num_projects;2
num_votes;2
budget;1000.50
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name
a;600;"Jardin; potager"
b;400,25;"Le ""grand"" banc"
VOTES
voter_id;vote
1;a,b
2;b
"""


def test_real_files_read():
    for path in sorted(DATA.glob("*.pb")):
        pb = pabulib.load(path)
        assert len(pb.projects) == int(pb.meta["num_projects"])
        assert len(pb.votes) == int(pb.meta["num_votes"])
        election = pabulib.election(pb)
        assert election.kind == (APPROVAL if pb.vote_type == "approval" else POINTS)


def test_quoting_decimals_and_exact_amounts():
    pb = pabulib.loads(GOOD)
    election = pabulib.election(pb)
    assert election.budget == Fraction(2001, 2)
    assert [p.cost for p in election.projects] == [600, Fraction(1601, 4)]
    assert pb.projects[0].values["name"] == "Jardin; potager"
    assert pb.projects[1].values["name"] == 'Le "grand" banc'
    assert pabulib.loads(pabulib.dumps(pb)).projects[1].values == pb.projects[1].values


def test_cumulative_and_ordinal_scores():
    pb = pabulib.load(DATA / "France_Toulouse_2019.pb")
    kind, ballots = pabulib.ballots(pb)
    assert kind == POINTS and ballots[0] == {"15": 2, "22": 2, "25": 2, "10": 1}
    pb = pabulib.load(DATA / "Switzerland_Zurich_S5R.pb")
    kind, ballots = pabulib.ballots(pb)
    assert ballots[0] == {"8": 5, "15": 4, "20": 3, "18": 2, "1": 1}


def replace(text, old, new):
    assert old in text
    return text.replace(old, new, 1)


MALFORMED = [
    # (change to GOOD, line of the error, words of the message)
    (("META\n", "PROJECTS\n"), 1, "section PROJECTS where META was expected"),
    (("budget;1000.50", "budget;mille"), 6, "budget is not a number"),
    (("budget;1000.50", "budget;-5"), 6, "budget is negative"),
    (("vote_type;approval", "vote_type;borda"), 7, "unknown vote_type"),
    (("b;400,25;", "b;beaucoup;"), 12, "cost of project 'b' is not a number"),
    (("b;400,25;", "a;400;"), 12, "project 'a' appears twice"),
    (("2;b\n", "2;b,c\n"), 16, "project 'c', which is not in PROJECTS"),
    (("2;b\n", "2;b,b\n"), 16, "appears twice in one vote"),
    (("2;b\n", "1;b\n"), 16, "voter '1' appears twice"),
    (("2;b\n", "2;b;extra\n"), 16, "3 fields where the header has 2"),
    (("voter_id;vote", "voter_id;ballot"), 14, "no vote column"),
    (("project_id;cost;name", "project_id;name"), 10, "no cost column"),
    (("VOTES\nvoter_id;vote\n1;a,b\n2;b\n", ""), 12, "section VOTES is missing"),
    (("VOTES\n", ""), 13, "2 fields where the header has 3"),
    (("description;Test\n", "description;Test\ndescription;Again\n"), 4, "META key 'description' appears twice"),
    (("a;600;\"Jardin; potager\"", "a;600;\"Jardin; potager"), 11, "is not closed"),
    (("rule;greedy\n", "rule;greedy\nmax_length;trois\n"), 9, "max_length is not a whole number"),
]


@pytest.mark.parametrize(("change", "line", "words"), MALFORMED)
def test_malformed_files_say_where(change, line, words):
    with pytest.raises(pabulib.PabulibError) as caught:
        pabulib.loads(replace(GOOD, *change))
    assert caught.value.line == line, str(caught.value)
    assert words in caught.value.message
    assert str(caught.value).startswith(f"line {line}: ")


def test_points_need_points():
    text = replace(GOOD, "vote_type;approval", "vote_type;cumulative")
    with pytest.raises(pabulib.PabulibError, match="need a points column"):
        pabulib.loads(text)
    text = replace(replace(text, "voter_id;vote", "voter_id;vote;points"), "1;a,b\n", "1;a,b;2\n")
    with pytest.raises(pabulib.PabulibError, match="line 15: 2 projects but 1 points"):
        pabulib.loads(text.replace("2;b\n", "2;b;1\n"))


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.pb"
    path.write_bytes(GOOD.replace("Jardin", "Jardin é").encode("latin-1"))
    with pytest.raises(pabulib.PabulibError, match="line 1: not UTF-8"):
        pabulib.load(path)


# -- random files --------------------------------------------------------------------------
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"),
               max_size=12).map(str.strip)
IDS = st.text("abcdefXYZ0123456789-_", min_size=1, max_size=6).filter(lambda s: s.lower() not in pabulib.SECTIONS)


@st.composite
def files(draw):
    ids = draw(st.lists(IDS, min_size=1, max_size=6, unique=True))
    pb = pabulib.PabulibFile()
    pb.meta = {"description": draw(TEXT), "budget": str(draw(st.integers(0, 10**7))),
               "vote_type": draw(st.sampled_from(["approval", "cumulative"])), "rule": "greedy"}
    pb.project_columns = ["project_id", "cost", "name"]
    pb.projects = [pabulib.Row(0, {"project_id": pid, "cost": str(draw(st.integers(0, 10**6))), "name": draw(TEXT)})
                   for pid in ids]
    cumulative = pb.meta["vote_type"] == "cumulative"
    pb.vote_columns = ["voter_id", "vote"] + (["points"] if cumulative else [])
    for number in range(draw(st.integers(0, 8))):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        row = {"voter_id": str(number), "vote": ",".join(chosen)}
        if cumulative:
            row["points"] = ",".join(str(draw(st.integers(1, 5))) for _ in chosen)
        pb.votes.append(pabulib.Row(0, row))
    return pb


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_written_then_read_back(pb):
    back = pabulib.loads(pabulib.dumps(pb))
    assert back.meta == pb.meta
    assert [r.values for r in back.projects] == [r.values for r in pb.projects]
    assert [r.values for r in back.votes] == [r.values for r in pb.votes]
    assert pabulib.ballots(back) == pabulib.ballots(pb)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["", GOOD[:60], GOOD[:150], GOOD]))
def test_anything_else_is_refused_with_a_line(noise, prefix):
    """Whatever the text, the reader either reads it or says which line is wrong."""
    try:
        pb = pabulib.loads(prefix + noise)
    except pabulib.PabulibError as error:
        assert error.line >= 1
        assert str(error).startswith(f"line {error.line}: ")
    else:
        pabulib.election(pb)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(GOOD) - 1), st.text(";,\n\"x1-", min_size=1, max_size=3))
def test_good_file_damaged_anywhere(position, damage):
    text = GOOD[:position] + damage + GOOD[position + 1:]
    try:
        pabulib.election(pabulib.loads(text))
    except pabulib.PabulibError as error:
        assert 1 <= error.line <= text.count("\n") + 1
