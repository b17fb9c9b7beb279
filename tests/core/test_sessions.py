"""Sessions with a server-side identity: logout, a password change or reset, and « déconnecter
mes autres appareils » end them for every copy of their cookies; cookies are Secure in
production; the check rides on the query that loads the person."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import UserSession
from convergence.models.base import utcnow
from tests.fixtures import CSRF_RE, PASSWORD, count_queries, csrf_token, login, make_test_app

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0 Safari/537.36")


def logged_in(client) -> bool:
    return client.get("/compte/profil").status_code == 200


def log_in(client, user, *, remember=False):
    data = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client, "/compte/connexion")}
    if remember:
        data["remember"] = "y"
    response = client.post("/compte/connexion", data=data)
    assert response.status_code == 302, response.data[:300]


def log_out(client):
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})


def with_cookie(app, name: str, value: str):
    other = app.test_client()
    other.set_cookie(name, value, domain="localhost")
    return other


def test_a_session_cookie_replayed_after_logout_opens_nothing(app, client, make):
    user = make.user()
    login(client, user)
    stolen = client.get_cookie("session", domain="localhost").value
    assert logged_in(with_cookie(app, "session", stolen))
    log_out(client)
    assert not logged_in(with_cookie(app, "session", stolen))
    assert db.session.scalar(db.select(UserSession.revoked_at)) is not None


def test_the_remember_me_cookie_names_a_session_that_logout_ends(app, client, make):
    user = make.user()
    log_in(client, user, remember=True)
    remembered = client.get_cookie("remember_token", domain="localhost").value
    # Not "<user id>|<signature>", the same for a year whatever happens.
    assert not remembered.startswith(f"{user.id}|")
    assert logged_in(with_cookie(app, "remember_token", remembered))
    log_out(client)
    assert not logged_in(with_cookie(app, "remember_token", remembered))


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, make):
    user = make.user()
    here, there = app.test_client(), app.test_client()
    log_in(here, user)
    log_in(there, user, remember=True)
    remembered = there.get_cookie("remember_token", domain="localhost").value
    response = here.post("/compte/profil", data={
        "display_name": user.display_name, "locale": "fr", "current_password": PASSWORD,
        "new_password": "un-tout-nouveau-secret", "csrf_token": csrf_token(here, "/compte/profil")})
    assert response.status_code == 302
    assert logged_in(here)
    assert not logged_in(there)
    assert not logged_in(with_cookie(app, "remember_token", remembered))


def test_a_reset_ends_every_session(app, client, make):
    from convergence.accounts.tokens import make_reset_token

    user = make.user()
    log_in(client, user, remember=True)
    remembered = client.get_cookie("remember_token", domain="localhost").value
    path = f"/compte/mot-de-passe/{make_reset_token(user)}"
    stranger = app.test_client()
    response = stranger.post(path, data={"password": "nouveau-secret-1", "confirm": "nouveau-secret-1",
                                         "csrf_token": csrf_token(stranger, path)})
    assert response.status_code == 302
    assert not logged_in(client)
    assert not logged_in(with_cookie(app, "remember_token", remembered))


def test_the_profile_lists_the_devices_and_logs_out_the_others(app, make):
    user = make.user()
    phone = app.test_client()
    phone.environ_base["HTTP_USER_AGENT"] = FIREFOX_ANDROID
    desktop = app.test_client()
    desktop.environ_base["HTTP_USER_AGENT"] = CHROME_WINDOWS
    log_in(phone, user)
    log_in(desktop, user)
    page = phone.get("/compte/profil").data.decode()
    assert "Vos appareils connectés" in page
    assert "Firefox, Android" in page and "Chrome, Windows" in page
    assert page.count("cet appareil") == 1
    assert "Déconnecter mes autres appareils" in page
    # Without the form's token nothing happens.
    assert phone.post("/compte/appareils/deconnecter-les-autres").status_code == 400
    assert logged_in(desktop)
    response = phone.post("/compte/appareils/deconnecter-les-autres",
                          data={"csrf_token": csrf_token(phone, "/compte/profil")})
    assert response.status_code == 302
    assert logged_in(phone) and not logged_in(desktop)
    page = phone.get("/compte/profil").data.decode()
    assert "Chrome, Windows" not in page and "Firefox, Android" in page


def test_every_cookie_is_secure_httponly_and_lax_when_served_over_https(test_database_url, make):
    app = make_test_app(test_database_url, PUBLIC_URL="https://convergence.example.org")
    with app.app_context():
        user = make.user()
        client = app.test_client()
        page = client.get("/compte/connexion", base_url="https://localhost")
        match = CSRF_RE.search(page.data)
        token = (match.group(1) or match.group(2)).decode()
        response = client.post("/compte/connexion", base_url="https://localhost", data={
            "email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token},
            headers={"Referer": "https://localhost/compte/connexion"})
        assert response.status_code == 302
        cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
        assert {"session", "remember_token"} <= set(cookies)
        for header in cookies.values():
            assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header, header


def test_development_over_http_keeps_cookies_usable(client, make):
    user = make.user()
    log_in(client, user, remember=True)
    assert not client.get_cookie("remember_token", domain="localhost").secure
    assert logged_in(client)


def test_the_session_is_checked_in_the_query_that_loads_the_person(app, client, make):
    commune = make.commune()
    user = make.user()
    make.role(user, "resident", commune=commune)
    login(client, user)
    client.get("/")  # warm-up
    with count_queries(app) as seen:
        for _ in range(3):
            assert client.get(f"/communes/{commune.slug}").status_code == 200
    loads = [s for s in seen if "FROM users" in s]
    assert len(loads) == 3 and all("user_sessions" in s and "memberships" in s for s in loads)
    assert not [s for s in seen if "user_sessions" in s and s not in loads]  # no round trip of its own
    # "Last seen" is written once it is a few minutes old, not on every request.
    db.session.execute(db.update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()
    with count_queries(app) as seen:
        for _ in range(3):
            client.get(f"/communes/{commune.slug}")
    assert len([s for s in seen if s.lstrip().upper().startswith("UPDATE USER_SESSIONS")]) == 1
    assert db.session.scalar(db.select(UserSession.last_seen_at)) > utcnow() - timedelta(minutes=1)


def test_a_session_unused_for_its_lifetime_is_over(app, client, make):
    user = make.user()
    login(client, user)
    days = app.config["SESSION_LIFETIME_DAYS"]
    db.session.execute(db.update(UserSession).values(last_seen_at=utcnow() - timedelta(days=days + 1)))
    db.session.commit()
    assert not logged_in(client)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cookie=st.text(st.characters(codec="ascii", exclude_characters=";,\\\" \t\r\n\x7f", min_codepoint=33),
                      max_size=300))
def test_any_remember_me_cookie_that_names_no_session_opens_nothing(app, make, cookie):
    if not db.session.scalar(db.select(db.func.count(UserSession.id))):  # the fixture outlives one example
        login(app.test_client(), make.user())  # a real session exists; guessing its key is what fails
    response = with_cookie(app, "remember_token", cookie).get("/compte/profil")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


@given(user_agent=st.text(max_size=500))
@settings(max_examples=200, deadline=None, database=None)
def test_a_device_is_named_in_a_few_words_whatever_its_user_agent(user_agent):
    from convergence.accounts.devices import device_summary

    name = device_summary(user_agent)
    assert len(name) <= 30 and (name == "" or all(part.strip() for part in name.split(", ")))
