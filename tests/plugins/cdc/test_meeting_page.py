"""The meeting's page leads to its declaration: the committee to write it while there is
none, everyone to read it once it exists (no link to a page that would answer 404)."""

from __future__ import annotations

from tests.fixtures import login, visible_text

from .test_declaration_page import create


def declaration_links(page) -> list[str]:
    html = page.get_data(as_text=True)
    return [part.split('"', 1)[0] for part in html.split('href="')[1:] if part.split('"', 1)[0].endswith(
        "/declaration")]


def test_a_visitor_sees_no_declaration_before_there_is_one(app, place):
    page = app.test_client().get(place.base)
    assert page.status_code == 200
    assert "Déclaration commune" not in visible_text(page)
    assert declaration_links(page) == []


def test_the_committee_is_led_to_write_it_then_everyone_to_read_it(app, client, place):
    login(client, place.organiser)
    before = client.get(place.base)
    assert "Déclaration commune Écrire ou importer la déclaration" in visible_text(before)
    assert declaration_links(before) == [f"{place.base}/declaration"]
    assert client.get(declaration_links(before)[0]).status_code == 200

    assert create(client, place).status_code == 303
    after = app.test_client().get(place.base)
    assert "Déclaration commune Déclaration de Commercy" in visible_text(after)
    assert declaration_links(after) == [f"{place.base}/declaration"]
    assert app.test_client().get(declaration_links(after)[0]).status_code == 200
