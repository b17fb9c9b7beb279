"""Map data, open-data exports, import, Leaflet files and bounded queries."""

from __future__ import annotations

import csv
import io
import json
import re

from convergence.extensions import db
from convergence.participation.models import Comment
from plugins.needs.models import Need
from tests.fixtures import browser_fields, count_queries, csrf_token, login


def test_geojson_and_exports_hold_no_personal_data(client, place):
    need = place.need("Point", latitude=45.01, longitude=5.01, show_author=True)
    db.session.add(Comment(subject_id=need.subject_id, author_id=place.other.id, body="secret-comment"))
    db.session.commit()
    for url in ("/carte.geojson", "/export.geojson", "/export.csv"):
        body = client.get(place.base + url).data.decode()
        assert "Point" in body
        for private in ("Habitante", "Voisin", "secret-comment", "@example.org"):
            assert private not in body, (url, private)
    data = json.loads(client.get(place.base + "/carte.geojson").data)
    assert data["features"][0]["geometry"]["coordinates"] == [5.01, 45.01]


def _import(client, place, text):
    url = place.base + "/import"
    return client.post(url, data={**browser_fields(client, url),
                                  "file": (io.BytesIO(text.encode()), "besoins.csv")},
                       content_type="multipart/form-data")


HEADER = "category,title,description,community,neighbourhood,latitude,longitude,urgency\n"


def test_import_all_or_nothing(client, place):
    login(client, place.facilitator)
    bad = HEADER + ("eau,Puits,,,Nord,45.0,5.0,low\n"
                    "inconnue,Truc,,,,,,medium\n"
                    "eau,Loin,,,,10,10,medium\n")
    response = _import(client, place, bad)
    assert response.status_code == 422
    assert re.findall(r"<li>(Ligne [^<]+)</li>", response.data.decode()) == [
        "Ligne 3\u202f: Catégorie inconnue.", "Ligne 4\u202f: Ce point est à plus de 30 km de la commune."]
    assert db.session.scalar(db.select(db.func.count(Need.id))) == 0
    good = HEADER + "eau,Puits,,locataires,Nord,45.0,5.0,low\nlogement,Toit,,,Sud,,,high\n"
    assert _import(client, place, good).status_code == 302
    assert sorted(db.session.scalars(db.select(Need.title))) == ["Puits", "Toit"]


def test_import_malformed_file(client, place):
    login(client, place.facilitator)
    assert _import(client, place, "").status_code == 422
    assert _import(client, place, "foo,bar\n1,2\n").status_code == 422
    url = place.base + "/import"
    response = client.post(url, data={**browser_fields(client, url),
                                      "file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    client = client.application.test_client()
    login(client, place.resident)
    assert client.get(url).status_code == 403


def test_leaflet_files_only(client):
    assert client.get("/besoins/leaflet/leaflet.js").status_code == 200
    assert client.get("/besoins/leaflet/leaflet.css").status_code == 200
    assert client.get("/besoins/leaflet/images/marker-icon.png").status_code == 200
    assert client.get("/besoins/leaflet/leaflet-src.js").status_code == 404
    assert client.get("/besoins/leaflet/../__init__.py").status_code == 404


def _many(place, n):
    for i in range(n):
        db.session.add(Need(commune_id=place.commune.id, category_id=place.category("eau").id, title=f"B{i}",
                            neighbourhood_id=place.north.id if i % 2 else None,
                            community_id=place.community("jeunes").id if i % 3 else None,
                            latitude=45.0, longitude=5.0, author_id=place.resident.id))
    db.session.commit()


def test_bounded_queries(client, place, app):
    urls = [place.base, place.base + "/carte.geojson", place.base + "/synthese", place.base + "?category=eau"]
    _many(place, 5)
    client.get(place.base)  # warm-up (lazy defaults)
    counts = []
    for _round in range(2):
        row = []
        for url in urls:
            with count_queries(app) as statements:
                assert client.get(url).status_code == 200
            row.append(len(statements))
        counts.append(row)
        _many(place, 50)
    assert counts[0] == counts[1]


def test_disabled_plugin_is_404(test_database_url):
    from tests.fixtures import make_test_app

    app = make_test_app(test_database_url, PLUGINS=["mj"])
    with app.app_context():
        assert app.test_client().get("/communes/x/besoins").status_code == 404
        assert app.test_client().get("/besoins/leaflet/leaflet.js").status_code == 404


def test_the_csv_export_runs_no_formula_and_keeps_numbers(client, place):
    place.need('=HYPERLINK("http://exemple.invalid","clic")', description="-2+3", latitude=-0.5,
               longitude=-3.25)
    rows = list(csv.DictReader(io.StringIO(client.get(place.base + "/export.csv").data.decode(), newline="")))
    assert rows[0]["title"] == '\'=HYPERLINK("http://exemple.invalid","clic")'
    assert rows[0]["description"] == "'-2+3"
    assert (rows[0]["latitude"], rows[0]["longitude"]) == ("-0.5", "-3.25")  # numbers, readable as such


def test_the_personal_data_export_holds_the_persons_supports_and_comments(client, place):
    from plugins.needs import participation

    need, other = place.need("Fuite"), place.need("Égout")
    participation.add_support(need, place.other)
    participation.add_comment(other, place.other, "Chez moi aussi")
    participation.add_comment(other, place.resident, "Pas chez moi")
    db.session.commit()
    login(client, place.other)
    data = json.loads(client.get("/compte/mes-donnees.json").get_data(as_text=True))
    assert data["needs_supported"] == [need.id]
    assert [(c["need_id"], c["body"]) for c in data["needs_comments"]] == [(other.id, "Chez moi aussi")]


def test_a_need_page_costs_the_same_queries_whatever_its_comments_and_links(client, place, app):
    from convergence.participation import comments, history, links

    def page_cost(n):
        need = place.need(f"Besoin {n}")
        for k in range(n):
            comments.add(need.subject_id, place.other if k % 2 else place.resident, f"Avis {k}")
            history.record(need.subject_id, "reported", "recognised", place.facilitator, f"Étape {k}")
            links.link(place.need(f"Lié {n}-{k}").subject_id, need.subject_id)
        db.session.commit()
        url = f"{place.base}/{need.id}"
        client.get(url)  # warm-up
        with count_queries(app) as statements:
            html = client.get(url).get_data(as_text=True)
        assert f"Avis {n - 1}" in html and f"Lié {n}-{n - 1}" in html and f"Étape {n - 1}" in html
        return len(statements)

    login(client, place.other)
    assert page_cost(2) == page_cost(20)
