"""What no cache may keep: pages with secrets, and every page made for one person."""

from __future__ import annotations

from flask import Flask

from convergence.accounts.tokens import make_reset_token
from convergence.web.security import no_store, register_security_headers
from tests.fixtures import login

NO_STORE = "private, no-store"


def test_pages_with_secrets_are_not_cached(app, client, make):
    user = make.user("Alix")
    token = make_reset_token(user)
    reset = client.get(f"/compte/mot-de-passe/{token}")
    assert reset.status_code == 200 and reset.headers["Cache-Control"] == NO_STORE
    login(client, user)
    for url in ("/compte/profil", "/compte/mes-donnees.json"):
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == NO_STORE, url
    assert b"Alix" in client.get("/compte/mes-donnees.json").data


def test_any_page_for_a_logged_in_person_is_not_cached(app, client, make):
    login(client, make.user())
    page = client.get("/communes/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == NO_STORE


def test_a_view_setting_its_own_cache_control_keeps_it(app, client, make):
    login(client, make.user())
    sheet = client.get("/static/css/convergence.css")
    assert sheet.status_code == 200 and "no-store" not in sheet.headers.get("Cache-Control", "")


def test_no_store_wins_over_a_view_and_an_anonymous_request_without_session_is_left_alone():
    app = Flask(__name__)
    app.secret_key = "tests"
    register_security_headers(app)

    @app.get("/secret")
    @no_store
    def secret():
        return "code", 200, {"Cache-Control": "public, max-age=3600"}

    @app.get("/public")
    def public():
        return "hello"

    client = app.test_client()
    assert client.get("/secret").headers["Cache-Control"] == NO_STORE
    assert "Cache-Control" not in client.get("/public").headers
