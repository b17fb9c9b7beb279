"""The page frame (web/chrome.py) is gathered once per language and mount prefix: a page
must still get its own language, its own prefix and its own current menu entry."""

import re

from tests.fixtures import login


def _menu(page: str) -> str:
    return re.search(r'<nav aria-label="[^"]+">(.*?)</nav>', page, re.S).group(1)


def test_the_frame_follows_the_language_of_each_page(client):
    french = client.get("/communes/").get_data(as_text=True)
    english = client.get("/communes/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    again = client.get("/communes/").get_data(as_text=True)
    assert "Se connecter" in _menu(french) and "Créer un compte" in _menu(french)
    assert "Log in" in _menu(english) and "Se connecter" not in english
    assert _menu(again) == _menu(french)
    assert "Données personnelles" in french and "Personal data" in english
    assert "<title>" in french and "· Convergence</title>" in french


def test_the_menu_marks_the_page_shown_and_only_it(client):
    communes = _menu(client.get("/communes/").get_data(as_text=True))
    login = _menu(client.get("/compte/connexion").get_data(as_text=True))
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', communes) == ["/communes/"]
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', login) == ["/compte/connexion"]


def test_the_frame_follows_the_prefix_the_site_is_mounted_under(client):
    mounted = client.get("/communes/", base_url="http://localhost/convergence/").get_data(as_text=True)
    plain = client.get("/communes/").get_data(as_text=True)
    assert 'href="/convergence/static/css/convergence.css"' in mounted
    assert 'href="/convergence/communes/"' in _menu(mounted) and 'href="/communes/"' in _menu(plain)
    assert 'href="/static/css/convergence.css"' in plain and "/convergence/" not in _menu(plain)


def test_a_logged_in_person_gets_their_own_menu_and_token(app, client, make):
    login(client, make.user("Camille Chrome"))
    menu = _menu(client.get("/communes/").get_data(as_text=True))
    assert "Mon profil" in menu and "Se déconnecter" in menu and "Se connecter" not in menu
    token = re.search(r'name="csrf_token" value="([^"]+)"', menu).group(1)
    other = _menu(app.test_client().get("/communes/").get_data(as_text=True))
    assert "Se connecter" in other and token not in other
