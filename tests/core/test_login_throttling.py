"""Login throttling counted exactly under parallel attempts, per account and client so that a
stranger cannot lock a person out, with an unlock link by mail; login and registration say
nothing of whether an address has an account."""

from __future__ import annotations

import re
import statistics
import threading
import time

import pytest

from convergence.extensions import db
from convergence.models import User
from tests.fixtures import PASSWORD, csrf_token, require_postgres

WRONG = "pas-le-bon-secret"
STRANGER, PERSON, HALL = "203.0.113.9", "198.51.100.7", "192.0.2.44"


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def try_login(client, email: str, password: str, token: str | None = None):
    return client.post("/compte/connexion", data={
        "email": email, "password": password, "csrf_token": token or csrf_token(client, "/compte/connexion")})


@pytest.mark.postgres
def test_simultaneous_wrong_logins_check_exactly_the_limit(app, make):
    require_postgres()
    email = make.user().email
    limit, count = app.config["LOGIN_MAX_FAILURES"], 13
    clients = [client_at(app, STRANGER) for _ in range(count)]
    tokens = [csrf_token(client, "/compte/connexion") for client in clients]
    checked = []
    original = User.check_password

    def counting(self, password):
        checked.append(password)
        return original(self, password)

    User.check_password = counting
    start = threading.Barrier(count)
    statuses = []

    def attempt(client, token):
        start.wait(10)
        statuses.append(try_login(client, email, WRONG, token).status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        User.check_password = original
    assert len(checked) == limit
    assert sorted(statuses) == [422] * limit + [429] * (count - limit)


def test_a_strangers_failures_do_not_lock_the_person_out(app, make):
    user = make.user()
    stranger = client_at(app, STRANGER)
    statuses = [try_login(stranger, user.email, WRONG).status_code for _ in range(8)]
    assert statuses == [422] * 5 + [429] * 3
    person = client_at(app, PERSON)
    response = try_login(person, user.email, PASSWORD)
    assert response.status_code == 302
    assert person.get("/compte/profil").status_code == 200


def test_the_wider_bound_of_a_shared_network_counts_failures_only(app, make):
    app.config["LOGIN_MAX_FAILURES_PER_CLIENT"] = 3
    people = [make.user() for _ in range(5)]
    # Five people log in from the village hall: successes do not fill its bound.
    for person in people:
        assert try_login(client_at(app, HALL), person.email, PASSWORD).status_code == 302
    hall = client_at(app, HALL)
    assert [try_login(hall, p.email, WRONG).status_code for p in people[:3]] == [422] * 3
    assert try_login(hall, people[3].email, PASSWORD).status_code == 429
    # It binds that network only: the same person logs in from elsewhere.
    assert try_login(client_at(app, PERSON), people[3].email, PASSWORD).status_code == 302


def test_a_throttled_person_gets_a_french_page_and_an_unlock_link_by_mail(app, make):
    user = make.user()
    client = client_at(app, PERSON)
    for _ in range(5):
        try_login(client, user.email, WRONG)
    outbox = app.extensions.setdefault("convergence.outbox", [])
    refused = try_login(client, user.email, PASSWORD)
    assert refused.status_code == 429
    page = refused.data.decode()
    assert "Trop de tentatives" in page and 'lang="fr"' in page
    assert try_login(client, user.email, PASSWORD).status_code == 429
    unlock_mails = [m for m in outbox if "/compte/connexion/deblocage/" in m.get_content()]
    assert len(unlock_mails) == 1 and unlock_mails[0]["To"] == user.email  # once, not per attempt
    body = unlock_mails[0].get_content()
    path = re.search(r"https?://\S+(/compte/connexion/deblocage/\S+)", body).group(1)
    assert client.post(path, data={"csrf_token": csrf_token(client, path)}).status_code == 302
    assert try_login(client, user.email, PASSWORD).status_code == 302


def test_an_unknown_address_is_throttled_alike_and_nobody_is_mailed(app):
    client = client_at(app, PERSON)
    statuses = [try_login(client, "personne@nulle-part.fr", WRONG).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    assert not app.extensions.get("convergence.outbox")


def test_login_answers_alike_and_in_similar_time_for_known_and_unknown_addresses(app, make):
    app.config["LOGIN_MAX_FAILURES"] = 1000
    app.config["LOGIN_MAX_FAILURES_PER_CLIENT"] = 1000
    known = make.user(email="connue@example.org")
    known.set_password(PASSWORD)  # the real cost (scrypt), as every account has
    db.session.commit()
    client = client_at(app, PERSON)
    without_token = re.compile(r'value="[^"]{40,}"')
    timings = {"connue@example.org": [], "inconnue@example.org": []}
    pages = {}
    for _ in range(5):
        for email in timings:
            token = csrf_token(client, "/compte/connexion")
            started = time.perf_counter()
            response = try_login(client, email, WRONG, token)
            timings[email].append(time.perf_counter() - started)
            pages[email] = (response.status_code, without_token.sub("", response.data.decode())
                            .replace(email, "ADDRESS"))
    assert pages["connue@example.org"] == pages["inconnue@example.org"]
    ratio = statistics.median(timings["connue@example.org"]) / statistics.median(timings["inconnue@example.org"])
    assert 0.5 < ratio < 2, timings
