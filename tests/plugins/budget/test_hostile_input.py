"""Hostile input on the budget's forms: NUL bytes, numbers beyond 32 and 64 bits, digits of
other scripts, lone surrogates, very long texts — in the points of a ballot, the projects
ticked, the fields of a paper sheet and a project's cost. Each gets a 4xx page in French
with a message, nothing is written, never a 500."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convergence.balloting.models import Participation, SealedBallot
from convergence.extensions import db
from plugins.budget import paper
from plugins.budget.models import PaperSheet, Project
from tests.fixtures import browser_fields, csrf_token, form_token, login, visible_text

from .ballot_support import new_process
from .ballot_support import town as ballot_town
from .pb_projects_fixtures import as_user, town  # noqa: F401

HOSTILE = ["1\x00", "\x00", "2147483648", "9223372036854775808", "18446744073709551617", "-1", "١٢", "１２",
           "\ud800", "1\udfff", "9" * 10_000, "é" * 100_000, "1e3", "0x1f", "+1"]


def form_body(fields: dict) -> bytes:
    """A form as a browser would send it, lone surrogates included (UTF-8 can't encode them:
    written as a sloppy client does, each as its three bytes)."""
    pairs = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            raw = value.encode("utf-8", "surrogatepass")
            pairs.append(f"{quote_from_bytes(name.encode())}={quote_from_bytes(raw)}")
    return "&".join(pairs).encode()


def post(client, url: str, fields: dict):
    return client.post(url, data=form_body(fields), content_type="application/x-www-form-urlencoded")


CONTROL = "contient un caractère de contrôle invisible"  # the core's page for bytes no field accepts


def refused_in_french(response, *messages: str) -> None:
    """A 4xx page in French saying one of ``messages`` (or the core's word on NUL bytes)."""
    assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:500])
    assert 'lang="fr"' in response.get_data(as_text=True)
    text = " ".join(visible_text(response).split())
    assert any(message in text for message in (*messages, CONTROL)), text[:1500]


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def place(make):
    return ballot_town(make)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_points_on_a_ballot_are_refused(client, place, value):
    process = new_process(place.commune, ballot_kind="points", max_choices=None, max_points_per_project=3,
                          max_points=7)
    login(client, place.residents[0])
    url = f"/budgets/{process.id}/bulletin"
    refused_in_french(post(client, url, {"csrf_token": csrf_token(client, url), "points-1": value}),
                      "Les points sont des nombres entiers à partir de 1 (projet n° 1).")
    assert count(Participation) == 0 and count(SealedBallot) == 0


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_project_numbers_on_a_ballot_are_refused(client, place, value):
    process = new_process(place.commune)
    login(client, place.residents[0])
    url = f"/budgets/{process.id}/bulletin"
    refused_in_french(post(client, url, {"csrf_token": csrf_token(client, url), "project": [value]}),
                      "Ce bulletin n'est pas de ceux que cette page envoie.")
    assert count(Participation) == 0 and count(SealedBallot) == 0


SHEET_MESSAGES = {"place": ["Indiquez le bureau de vote", "contient un caractère abîmé"], "sheet": ["Le numéro d'une feuille est un nombre entier"],
                  "content": ["n'est pas un numéro de projet", "Saisissez les numéros", "est saisi deux fois",
                              "Ce bulletin ne prend pas de points"]}
# A polling place is free text: « -1 » or « 1e3 » could name one. Not text: NUL, halves of
# a surrogate pair, thousands of characters.
# A browser sends a lone surrogate as U+FFFD; a client sending its bytes raw gets them
# kept by Werkzeug as their %-escapes, plain text (the test after this one).
NOT_A_PLACE = [v for v in HOSTILE if "\x00" in v or len(v) > 120] + ["Mairie \ufffd", "\ufffd"]


@pytest.mark.parametrize("field,value", [("place", v) for v in NOT_A_PLACE] + [
    (field, v) for field in ("sheet", "content") for v in HOSTILE])
def test_hostile_paper_sheet_fields_are_refused(client, place, field, value):
    process = new_process(place.commune)
    login(client, place.facilitator)
    url = f"/budgets/{process.id}/bulletins-papier"
    fields = {"csrf_token": csrf_token(client, url), "form_token": form_token(client, url),
              "place": "Mairie", "sheet": "1", "content": "1 3"}
    fields[field] = value
    refused_in_french(post(client, url, fields), *SHEET_MESSAGES[field])
    assert count(PaperSheet) == 0


@pytest.mark.parametrize("value", ["\ud800", "Mairie \udfff"])
def test_a_lone_surrogate_sent_raw_is_never_stored_as_one(client, place, value):
    process = new_process(place.commune)
    login(client, place.facilitator)
    url = f"/budgets/{process.id}/bulletins-papier"
    response = post(client, url, {"csrf_token": csrf_token(client, url), "form_token": form_token(client, url),
                                  "place": value, "sheet": "1", "content": "1 3"})
    assert response.status_code in (302, 422)
    stored = db.session.scalars(db.select(PaperSheet.place)).all()
    assert all(not any(0xD800 <= ord(c) < 0xE000 for c in name) for name in stored)
    stored[0].encode("utf-8")  # text PostgreSQL can store


def _project_fields(process, **more):
    fields = {"title": "Des arbres rue Haute", "description": "Planter dix arbres.", "cost": "12 000 €",
              "area": str(process.areas[1].id), "category": str(process.categories[0].id),
              "latitude": "", "longitude": "", "needs": ""}
    fields.update(more)
    return fields


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_costs_are_refused(app, town, value):  # noqa: F811
    process = town.process("submission")
    client = as_user(app, town.resident)
    page = f"/budgets/{process.id}/projets/nouveau"
    refused_in_french(post(client, page, {**_project_fields(process, cost=value), **browser_fields(client, page)}),
                      "Le montant ne peut pas être négatif.", "Écrivez le montant en euros avec des chiffres",
                      "Le montant est trop élevé")
    assert count(Project) == 0


ANY_TEXT = st.text(st.characters(codec=None), max_size=40) | st.sampled_from(HOSTILE)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])



def test_any_text_as_points_is_a_ballot_or_refused_in_french(client, place):
    process = new_process(place.commune, ballot_kind="points", max_choices=None, max_points_per_project=3,
                          max_points=7)
    login(client, place.residents[0])
    url = f"/budgets/{process.id}/bulletin"

    @FUZZ
    @given(value=ANY_TEXT)
    def refused(value):
        assume(value.strip() not in ("", "0", "1", "2", "3") and "\x00" not in value)  # NUL: the core's page
        refused_in_french(post(client, url, {"csrf_token": csrf_token(client, url), "points-1": value}),
                          "Les points sont des nombres entiers à partir de 1 (projet n° 1).",
                          "Le projet n° 1 a reçu plus de 3 points")
        assert count(Participation) == 0 and count(SealedBallot) == 0

    refused()


def test_any_text_on_a_paper_sheet_is_typed_or_refused_in_french(app, client, place):
    process = new_process(place.commune)
    login(client, place.facilitator)
    url = f"/budgets/{process.id}/bulletins-papier"

    @FUZZ
    @given(value=ANY_TEXT)
    def refused(value):
        with app.test_request_context():
            try:
                paper.parse(value, "approval")
            except paper.SheetError:
                pass
            else:
                assume(False)  # a sheet that reads is typed (test_paper.py)
        refused_in_french(post(client, url, {"csrf_token": csrf_token(client, url),
                                             "form_token": form_token(client, url), "place": "Mairie",
                                             "sheet": "1", "content": value}),
                          *SHEET_MESSAGES["content"])
        assert count(PaperSheet) == 0

    refused()
