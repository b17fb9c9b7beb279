"""Paper ballots typed one by one: reading what a teller types (hypothesis), the rules
checked, « nul » only when ticked, double entry by two people with differences listed and
corrected, counted only when agreeing, and only while the vote is open."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from plugins.budget import ballots, paper, status
from plugins.budget.models import PaperSheet, Process
from tests.fixtures import csrf_token, form_token, login, visible_text

from .ballot_support import new_process, town


@pytest.fixture
def place(make):
    return town(make)


def sheets(process_id: int) -> list[tuple[str, int, int, str]]:
    return [tuple(row) for row in db.session.execute(
        sa.select(PaperSheet.place, PaperSheet.sheet, PaperSheet.entry, PaperSheet.content)
        .where(PaperSheet.process_id == process_id).order_by(PaperSheet.id))]


# -- reading what is typed (pure) --------------------------------------------------------

@given(content=st.dictionaries(st.integers(1, 999_999), st.just(1), max_size=12),
       separator=st.sampled_from([" ", ", ", ".", " ; ", "  "]))
def test_typed_numbers_read_back(content, separator):
    text = separator.join(str(n) for n in content) if content else "-"
    assert paper.parse(text, "approval") == content


@given(content=st.dictionaries(st.integers(1, 999), st.integers(1, 99), max_size=8))
def test_typed_points_read_back(content):
    text = " ".join(f"{n}:{p}" for n, p in content.items()) if content else "-"
    assert paper.parse(text, "points") == content
    assert paper.parse(ballots.serialise(content, "points"), "points") == content


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=30))
def test_anything_typed_is_read_or_refused(app, text):
    with app.test_request_context():
        for kind in ("approval", "points"):
            try:
                content = paper.parse(text, kind)
            except paper.SheetError as refused:
                assert str(refused)
            else:
                assert all(isinstance(n, int) and n > 0 and p > 0 for n, p in content.items())


def test_typos_are_refused(app):
    with app.test_request_context():
        for text, kind in (("", "approval"), ("3 x", "approval"), ("3 3", "approval"), ("3:2", "approval"),
                           ("3", "points"), ("-3", "approval"), ("0", "approval"), ("3:0", "points")):
            with pytest.raises(paper.SheetError):
                paper.parse(text, kind)


# -- typing sheets -----------------------------------------------------------------------

def type_sheet(client, process_id: int, place: str, sheet, content: str, **extra):
    url = f"/budgets/{process_id}/bulletins-papier"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "form_token": form_token(client, url),
                                  "place": place, "sheet": str(sheet), "content": content, **extra})


def test_sheets_are_typed_grouped_by_place_and_counted(client, place):
    process = new_process(place.commune)
    login(client, place.facilitator)
    assert type_sheet(client, process.id, "Mairie", 1, "1 3").status_code == 302
    assert type_sheet(client, process.id, "Mairie", 2, "2, 5").status_code == 302
    after = type_sheet(client, process.id, "École Jules-Ferry", 1, "4")
    assert after.status_code == 302 and "lieu=" in after.headers["Location"] and "feuille=2" in after.headers["Location"]
    assert sheets(process.id) == [("Mairie", 1, 1, "1.3"), ("Mairie", 2, 1, "2.5"), ("École Jules-Ferry", 1, 1, "4")]
    page = visible_text(client.get(f"/budgets/{process.id}/bulletins-papier"))
    assert "Mairie 2 2" in page and "École Jules-Ferry 1 1" in page
    assert sorted(paper.counted_ballots(db.session.get(Process, process.id))) == ["1.3", "2.5", "4"]


def test_a_sheet_that_breaks_the_rules_is_refused_unless_ticked_nul(client, place):
    process = new_process(place.commune, max_choices=2)
    login(client, place.facilitator)
    refused = type_sheet(client, process.id, "Mairie", 1, "1 2 3")
    assert refused.status_code == 422
    text = visible_text(refused)
    assert "Vous avez choisi 3 projets : 2 au plus." in text and "Bulletin nul" in text
    assert 'value="1 2 3"' in refused.get_data(as_text=True) and 'value="Mairie"' in refused.get_data(as_text=True)
    unknown = type_sheet(client, process.id, "Mairie", 1, "1 99")
    assert unknown.status_code == 422 and "Le projet n° 99 n'est pas sur ce bulletin." in visible_text(unknown)
    assert sheets(process.id) == []
    assert type_sheet(client, process.id, "Mairie", 1, "1 2 3", void="1").status_code == 302
    assert sheets(process.id) == [("Mairie", 1, 1, paper.VOID)]
    counted = db.session.get(Process, process.id)
    assert paper.counted_texts(counted) == [paper.VOID] and paper.counted_ballots(counted) == []


def test_a_sheet_is_typed_once_without_double_entry(client, place):
    process = new_process(place.commune)
    login(client, place.facilitator)
    assert type_sheet(client, process.id, "Mairie", 1, "1").status_code == 302
    again = type_sheet(client, process.id, "Mairie", 1, "2")
    assert again.status_code == 409 and "déjà été saisie" in visible_text(again)
    assert sheets(process.id) == [("Mairie", 1, 1, "1")]


def test_the_same_form_sent_twice_types_one_sheet(client, place):
    process = new_process(place.commune)
    login(client, place.facilitator)
    url = f"/budgets/{process.id}/bulletins-papier"
    data = {"csrf_token": csrf_token(client, url), "form_token": form_token(client, url), "place": "Mairie",
            "sheet": "1", "content": "4"}
    assert client.post(url, data=data).status_code == 302
    client.post(url, data=data)
    assert sheets(process.id) == [("Mairie", 1, 1, "4")]


def test_double_entry_by_two_people_counts_agreeing_sheets_only(app, client, make, place):
    process = new_process(place.commune, double_entry=True)
    second = make.user("Dominique Assesseur")
    make.role(second, "facilitator", commune=place.commune)
    login(client, place.facilitator)
    assert type_sheet(client, process.id, "Mairie", 1, "1 3").status_code == 302
    assert type_sheet(client, process.id, "Mairie", 2, "2").status_code == 302
    same_person = type_sheet(client, process.id, "Mairie", 1, "1 3")
    assert same_person.status_code == 409 and "une autre personne" in visible_text(same_person)
    other = app.test_client()
    login(other, second)
    assert type_sheet(other, process.id, "Mairie", 1, "1 3").status_code == 302
    assert type_sheet(other, process.id, "Mairie", 2, "2 4").status_code == 302  # a typo: differs
    counted = db.session.get(Process, process.id)
    assert paper.counted_ballots(counted) == ["1.3"]
    listed = client.get(f"/budgets/{process.id}/bulletins-papier/differences")
    text = visible_text(listed)
    assert "Feuille 2 de « Mairie »" in text and "Feuille 1 de « Mairie »" not in text
    assert "Saisie 1 : 2" in text and "Saisie 2 : 2.4" in text
    wrong = db.session.scalar(sa.select(PaperSheet.id).where(PaperSheet.process_id == process.id,
                                                             PaperSheet.sheet == 2, PaperSheet.entry == 2))
    url = f"/budgets/{process.id}/bulletins-papier/differences"
    corrected = client.post(url, data={"csrf_token": csrf_token(client, url), "sheet_id": str(wrong), "content": "2"})
    assert corrected.status_code == 302
    db.session.expire_all()
    assert sorted(paper.counted_ballots(db.session.get(Process, process.id))) == ["1.3", "2"]
    assert "Chaque feuille saisie deux fois a deux saisies concordantes." in visible_text(client.get(url))


def test_a_sheet_waiting_for_its_second_entry_is_listed(client, place):
    process = new_process(place.commune, double_entry=True)
    login(client, place.facilitator)
    type_sheet(client, process.id, "Mairie", 1, "5")
    assert paper.counted_ballots(db.session.get(Process, process.id)) == []
    assert "Saisie 2 : pas encore faite" in visible_text(client.get(f"/budgets/{process.id}/bulletins-papier/differences"))


def test_no_sheet_after_the_close_nor_before_the_opening(app, client, place):
    process = new_process(place.commune)
    upcoming = new_process(place.commune, opens=30)
    login(client, place.facilitator)
    token_page = type_sheet(client, process.id, "Mairie", 1, "1")
    assert token_page.status_code == 302
    with app.test_request_context():
        locked = db.session.get(Process, process.id)
        status.close_now(locked)
        db.session.commit()
    url = f"/budgets/{process.id}/bulletins-papier"
    page = client.get(url)
    assert "Ce vote est clos" in visible_text(page)
    late = client.post(url, data={"csrf_token": csrf_token(client, url), "place": "Mairie", "sheet": "2",
                                  "content": "1"})
    assert late.status_code == 410 and "Ce vote est clos" in visible_text(late)
    early = client.post(f"/budgets/{upcoming.id}/bulletins-papier", data={
        "csrf_token": csrf_token(client, url), "place": "Mairie", "sheet": "1", "content": "1"})
    assert early.status_code == 409 and "pendant que le vote est ouvert" in visible_text(early)
    assert sheets(process.id) == [("Mairie", 1, 1, "1")] and sheets(upcoming.id) == []


def test_paper_pages_are_the_facilitators(client, place):
    process = new_process(place.commune)
    login(client, place.residents[0])
    assert client.get(f"/budgets/{process.id}/bulletins-papier").status_code == 403
    assert client.get(f"/budgets/{process.id}/bulletins-papier/differences").status_code == 403
