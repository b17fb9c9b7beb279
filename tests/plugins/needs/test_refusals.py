"""A refused action draws its own page again: the message next to the field it is about
(or at the top, for a button), what the person typed kept, a 4xx, and nothing written."""

from __future__ import annotations

import html
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import AgendaItem, AuditEntry, Circle
from convergence.participation.models import Comment, StatusChange, Support
from plugins.needs.models import Category, Need
from tests.fixtures import browser_fields, login, visible_text


def page_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def error_of(response, field_id: str) -> str | None:
    """The message shown next to the field ``field_id`` (tied to it by aria-describedby)."""
    text = response.get_data(as_text=True)
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', text)
    if match is None:
        return None
    assert re.search(rf'id="{re.escape(field_id)}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{re.escape(field_id)}"',
                     text) or f'aria-describedby="{field_id}-error"' in text, f"{field_id} is not marked invalid"
    return html.unescape(match.group(1))


def title_of(response) -> str:
    return html.unescape(re.search(r"<title>([^<]*)</title>", response.get_data(as_text=True)).group(1))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def need_page(client, place):
    need = place.need("Fuite rue Haute", neighbourhood=place.north)
    login(client, place.facilitator)
    return need, f"{place.base}/{need.id}"


def post(client, page: str, url: str, data: dict):
    return client.post(url, data={**browser_fields(client, page), **data})


# -- the need's page ------------------------------------------------------------------------

def test_not_retained_without_a_reason_is_the_need_page_with_the_message_by_the_reason(client, need_page):
    need, url = need_page
    response = post(client, url, url + "/statut", {"status": "not_retained", "reason": "   "})
    assert response.status_code == 422
    assert error_of(response, "reason") == "Dites pourquoi le besoin n'est pas retenu."
    assert title_of(response).startswith("Erreur")
    assert "<h1>Fuite rue Haute</h1>" in page_of(response)
    # The status asked for is still chosen in the form.
    assert re.search(r'<option selected value="not_retained">|<option value="not_retained" selected',
                     response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Need, need.id).status == "reported"
    assert count(StatusChange) == 0
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "needs.status")) == 0


def test_a_reason_too_long_keeps_what_was_typed(client, need_page):
    need, url = need_page
    reason = "Trop loin " * 201
    response = post(client, url, url + "/statut", {"status": "satisfied", "reason": reason})
    assert response.status_code == 422
    assert error_of(response, "reason") == "La raison dépasse 2000 caractères."
    assert f'value="{reason.strip()}"' in page_of(response)
    assert count(StatusChange) == 0 and db.session.get(Need, need.id).status == "reported"


def test_an_unknown_status_is_refused(client, need_page):
    need, url = need_page
    response = post(client, url, url + "/statut", {"status": "forgotten"})
    assert response.status_code == 422 and error_of(response, "status") == "Statut inconnu."
    assert count(StatusChange) == 0


@pytest.mark.parametrize("body, message", [
    ("   ", "Le commentaire est vide."),
    ("Oui " * 600, "Le commentaire dépasse 2000 caractères."),
])
def test_a_refused_comment_keeps_its_text_by_its_field(client, place, body, message):
    need = place.need("Fuite rue Haute")
    login(client, place.other)
    url = f"{place.base}/{need.id}"
    response = post(client, url, url + "/commentaires", {"body": body})
    assert response.status_code == 422
    assert error_of(response, "body") == message
    assert "<h1>Fuite rue Haute</h1>" in page_of(response)
    if body.strip():
        assert body.strip() in page_of(response)
    assert count(Comment) == 0
    db.session.expire_all()
    assert db.session.get(Need, need.id).subject.comments_count == 0


@pytest.mark.parametrize("typed, message", [
    ("", "Besoin de destination inconnu."),
    ("abc", "Besoin de destination inconnu."),
    ("999999", "Besoin de destination inconnu."),
    ("self", "Choisissez un autre besoin de la même commune."),
    ("merged", "Ce besoin a déjà été fusionné."),
    ("elsewhere", "Besoin de destination inconnu."),
])
def test_a_refused_merge_names_its_reason_by_the_field(client, place, make, need_page, typed, message):
    need, url = need_page
    merged, target = place.need("Ancien"), place.need("Cible")
    merged.merged_into_id = target.id
    other_commune = make.commune("Ailleurs")
    foreign = Need(commune_id=other_commune.id, category_id=place.category("eau").id, title="Loin")
    db.session.add(foreign)
    db.session.commit()
    db.session.add(Support(subject_id=need.subject_id, user_id=place.other.id))
    db.session.commit()
    value = {"self": str(need.id), "merged": f"#{merged.id}", "elsewhere": str(foreign.id)}.get(typed, typed)
    response = post(client, url, url + "/fusion", {"target_id": value})
    assert response.status_code == 422
    assert error_of(response, "target_id") == message
    if value:
        assert f'value="{value.lstrip("#")}"' in page_of(response)
    db.session.expire_all()
    assert db.session.get(Need, need.id).merged_into_id is None
    assert db.session.scalar(db.select(Support.subject_id)) == need.subject_id


def test_an_unknown_circle_is_refused_by_its_field(client, place, make, need_page):
    need, url = need_page
    foreign = Circle(commune_id=make.commune("Ailleurs").id, name="Loin")
    db.session.add(foreign)
    db.session.commit()
    for value in (str(foreign.id), "abc", "999999"):
        response = post(client, url, url + "/cercle", {"circle_id": value})
        assert response.status_code == 422
        assert error_of(response, "circle_id") == "Cercle inconnu."
        db.session.expire_all()
        assert db.session.get(Need, need.id).circle_id is None


def test_a_support_button_without_its_action_says_so_on_the_need_page(client, place):
    need = place.need("Fuite rue Haute")
    login(client, place.other)
    url = f"{place.base}/{need.id}"
    response = post(client, url, url + "/soutien", {"action": "maybe"})
    assert response.status_code == 400
    assert "Dites si vous soutenez ce besoin ou si vous retirez votre soutien." in visible_text(response)
    assert "<h1>Fuite rue Haute</h1>" in page_of(response)
    assert count(Support) == 0


# -- the report form -------------------------------------------------------------------------

@pytest.mark.parametrize("fields, field_id, message", [
    ({"category": ""}, "category", "Choisissez une catégorie."),
    ({"category": "999999"}, "category", "Catégorie inconnue."),
    ({"title": "  "}, "title", "Donnez un titre."),
    ({"latitude": "45,0", "longitude": ""}, "latitude", "Donnez la latitude et la longitude, ou aucune des deux."),
    ({"latitude": "nan", "longitude": "5"}, "latitude", "La latitude et la longitude doivent être des nombres."),
    ({"urgency": "extreme"}, "urgency", "L'urgence doit être faible, moyenne ou forte."),
    ({"neighbourhood": "x"}, "neighbourhood", "Quartier inconnu."),
])
def test_a_refused_report_keeps_what_was_typed(client, place, fields, field_id, message):
    login(client, place.resident)
    url = place.base + "/signaler"
    data = {"category": str(place.category("eau").id), "title": "Fuite « rue Haute »",
            "description": "L'eau coule depuis **trois jours**.", "urgency": "high", "show_author": "y", **fields}
    response = post(client, url, url, data)
    assert response.status_code == 422
    assert error_of(response, field_id) == message
    assert title_of(response).startswith("Erreur")
    text = page_of(response)
    if field_id != "title":
        assert 'value="Fuite « rue Haute »"' in text
    assert "L'eau coule depuis **trois jours**.</textarea>" in text
    assert re.search(r'<input checked[^>]*name="show_author"|name="show_author"[^>]*checked', text)
    assert count(Need) == 0 and count(StatusChange) == 0


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=st.text(max_size=250), latitude=st.one_of(st.text(max_size=12), st.floats().map(str)),
       longitude=st.one_of(st.text(max_size=12), st.floats(min_value=4.9, max_value=5.1).map(str)),
       urgency=st.sampled_from(["low", "high", "", "HIGH", "urgent"]))
def test_any_report_is_saved_as_typed_or_refused_with_nothing_saved(client, place, title, latitude, longitude,
                                                                     urgency):
    url = place.base + "/signaler"
    if client.get(url).status_code != 200:  # the fixtures are built once for all the examples
        login(client, place.resident)
    before = count(Need)
    response = post(client, url, url, {"category": str(place.category("eau").id), "title": title,
                                       "latitude": latitude, "longitude": longitude, "urgency": urgency})
    # 400: the core refuses control characters in any form before the page sees them.
    assert response.status_code in (302, 400, 422), response.status_code
    if response.status_code == 302:
        need = db.session.scalars(db.select(Need).order_by(Need.id.desc())).first()
        assert count(Need) == before + 1
        assert need.title == title.strip() and 0 < len(need.title) <= 200
        assert need.urgency == (urgency.lower() or "medium")
        assert (need.latitude is None) == (need.longitude is None)
    else:
        assert count(Need) == before
        assert response.status_code == 400 or 'class="error"' in response.get_data(as_text=True)


# -- the synthesis, the lists, the import, the filters ---------------------------------------

def test_an_unknown_assembly_is_refused_by_its_field(client, place, make):
    open_one = make.assembly(place.commune, "Assemblée ouverte")
    closed = make.assembly(place.commune, "Assemblée close", status="closed")
    foreign = make.assembly(make.commune("Ailleurs"), "Assemblée d'ailleurs")
    login(client, place.facilitator)
    url = place.base + "/synthese"
    for value in (str(closed.id), str(foreign.id), "abc", ""):
        response = post(client, url, url + "/ordre-du-jour", {"assembly_id": value})
        assert response.status_code == 422
        assert error_of(response, "assembly_id") == "Choisissez une assemblée de la commune."
        assert "Synthèse des besoins" in page_of(response)
    assert count(AgendaItem) == 0
    assert open_one.id


@pytest.mark.parametrize("code, label, field_id, message", [
    ("", "Culture", "code-community", "Donnez un code."),
    ("cul ture", "Culture", "code-community", "Un code est fait de lettres, de chiffres et de _."),
    ("c" * 41, "Culture", "code-community", "Le code est trop long (40 caractères au plus)."),
    ("culture", " ", "label-community", "Donnez un libellé."),
    ("culture", "C" * 121, "label-community", "Le libellé est trop long (120 caractères au plus)."),
])
def test_a_refused_list_entry_keeps_what_was_typed(client, place, code, label, field_id, message):
    login(client, place.facilitator)
    url = place.base + "/listes"
    before = count(Category)
    response = post(client, url, url, {"kind": "community", "code": code, "label": label})
    assert response.status_code == 422
    assert error_of(response, field_id) == message
    text = page_of(response)
    if label.strip():
        assert f'value="{label}"' in text
    # The categories' form, not sent, stays empty and without a message.
    assert error_of(response, "code-category") is None and error_of(response, "label-category") is None
    assert count(Category) == before
    assert place.community("culture") is None


def test_an_unknown_list_is_refused(client, place):
    login(client, place.facilitator)
    url = place.base + "/listes"
    response = post(client, url, url, {"kind": "quartier", "code": "nord", "label": "Nord"})
    assert response.status_code == 400
    assert "Liste inconnue." in visible_text(response)


def test_an_import_refused_lists_its_lines_on_the_import_page(client, place):
    login(client, place.facilitator)
    url = place.base + "/import"
    response = client.post(url, data={**browser_fields(client, url),
                                      "file": (io.BytesIO("category,title\neau,\n".encode()), "b.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Ligne 2 : Donnez un titre." in visible_text(response)
    assert 'aria-describedby="import-problems"' in response.get_data(as_text=True)
    response = client.post(url, data=browser_fields(client, url), content_type="multipart/form-data")
    assert response.status_code == 422 and "Choisissez un fichier CSV." in visible_text(response)
    assert count(Need) == 0


def test_a_filter_naming_nothing_is_the_list_with_the_message_by_the_filter(client, place):
    place.need("Eau nord", "eau", place.north)
    response = client.get(place.base + "?neighbourhood=abc&category=eau")
    assert response.status_code == 400
    assert error_of(response, "filter-neighbourhood") == "Quartier inconnu."
    assert "Eau nord" in page_of(response)  # the other filters still apply
    assert re.search(r'<option selected value="eau">|<option value="eau" selected', response.get_data(as_text=True))


# Cells as a spreadsheet writes them without quoting: no separator, quote or line break inside.
cells = st.one_of(st.text(st.characters(codec="utf-8", blacklist_characters='",;\t\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'),
                          max_size=30), st.sampled_from(["eau", "EAU", "logement", "Nord", "sud", "45.01", "5,01",
                                                         "low", "high", "", "inconnue"]))


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(cells, cells, cells, cells, cells), min_size=0, max_size=4),
       separator=st.sampled_from([",", ";", "\t"]))
def test_any_csv_is_imported_whole_or_not_at_all(client, place, rows, separator):
    url = place.base + "/import"
    if client.get(url).status_code != 200:  # the fixtures are built once for all the examples
        login(client, place.facilitator)
    header = ["category", "title", "neighbourhood", "latitude", "longitude"]
    text = "\n".join(separator.join(cells) for cells in [header, *rows])
    before = count(Need)
    response = client.post(url, data={**browser_fields(client, url),
                                      "file": (io.BytesIO(text.encode()), "b.csv")},
                           content_type="multipart/form-data")
    assert response.status_code in (302, 400, 422), response.status_code
    if response.status_code == 302:
        assert count(Need) > before
        titles = set(db.session.scalars(db.select(Need.title)))
        assert all(" ".join(row[1].split()) in titles or row[1].strip() in titles
                   for row in rows if any(c.strip() for c in row))
    else:
        assert count(Need) == before
