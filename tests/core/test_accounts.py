"""Registration, login, throttling, password reset, profile, data export."""

import json
import logging
import re

from convergence.accounts.tokens import make_reset_token
from convergence.extensions import db
from convergence.models import LoginThrottle, User
from tests.fixtures import PASSWORD, csrf_token, login


def register(client, **fields):
    data = {"display_name": "Zoé Habitante", "email": "zoe@example.org", "password": "un-long-secret",
            "confirm": "un-long-secret", "locale": "fr"}
    data.update(fields)
    data["csrf_token"] = csrf_token(client, "/compte/inscription")
    return client.post("/compte/inscription", data=data)


def confirmation_path(app, address: str) -> str:
    message = app.extensions["convergence.outbox"][-1]
    assert message["To"] == address
    line = next(line for line in message.get_content().splitlines() if "/compte/inscription/confirmer/" in line)
    return line[line.index("/compte/"):].strip()


def test_register_creates_account_with_scrypt_opened_by_the_mailed_link(app, client):
    response = register(client)
    assert response.status_code == 302
    assert "Vérifiez votre messagerie" in client.get(response.headers["Location"]).data.decode()
    user = db.session.scalar(db.select(User).where(User.email == "zoe@example.org"))
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("un-long-secret")
    assert not user.email_confirmed
    # Not logged in before the address answers, and the password alone does not open it.
    assert client.get("/compte/profil").status_code == 302
    token = csrf_token(client, "/compte/connexion")
    refused = client.post("/compte/connexion", data={"email": "zoe@example.org", "password": "un-long-secret",
                                                      "csrf_token": token})
    assert refused.status_code == 422 and "Adresse e-mail ou mot de passe incorrect." in refused.data.decode()
    path = confirmation_path(app, "zoe@example.org")
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email_confirmed
    assert "Zoé Habitante".encode() in client.get("/compte/profil").data
    # The link opens the account once.
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    assert client.get(path).status_code == 400


def test_register_rejects_bad_input_in_french_and_writes_nothing(client):
    response = register(client, email="pas-une-adresse", password="court", confirm="autre")
    assert response.status_code == 422
    page = response.data.decode()
    assert "Les deux mots de passe diffèrent." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_register_with_a_known_address_answers_as_for_a_new_one_and_mails_the_owner(app, client, make):
    new = register(client, email="nouvelle@example.org")
    without_token = re.compile(r'name="csrf_token" value="[^"]+"')
    new_page = without_token.sub("", client.get(new.headers["Location"]).data.decode())
    owner = make.user(email="zoe@example.org")
    known = register(client, email="ZOE@example.org", display_name="Quelqu'un d'autre", password="autre-secret-1",
                     confirm="autre-secret-1")
    assert (known.status_code, known.headers["Location"]) == (new.status_code, new.headers["Location"])
    assert without_token.sub("", client.get(known.headers["Location"]).data.decode()) == new_page
    assert "existe déjà" not in new_page
    message = app.extensions["convergence.outbox"][-1]
    assert message["To"] == "zoe@example.org"
    assert message["Subject"] == "Quelqu'un a essayé de créer un compte Convergence avec votre adresse"
    assert "/compte/mot-de-passe" in message.get_content()
    db.session.refresh(owner)
    assert owner.display_name != "Quelqu'un d'autre" and not owner.check_password("autre-secret-1")
    assert db.session.scalar(db.select(db.func.count()).select_from(User).where(User.email == "zoe@example.org")) == 1


def test_a_newer_registration_replaces_a_pending_one(app, client):
    register(client, display_name="Intrus", password="secret-de-l-intrus", confirm="secret-de-l-intrus")
    first = confirmation_path(app, "zoe@example.org")
    register(client)
    second = confirmation_path(app, "zoe@example.org")
    user = db.session.scalar(db.select(User).where(User.email == "zoe@example.org"))
    assert user.display_name == "Zoé Habitante" and user.check_password("un-long-secret")
    assert client.get(first).status_code == 400  # the earlier link no longer opens anything
    assert client.get(second).status_code == 200


def test_over_long_name_is_refused(client):
    response = register(client, display_name="x" * 500)
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_missing_or_wrong_csrf_token_is_refused_in_french(client):
    response = client.post("/compte/inscription", data={"display_name": "A", "email": "a@example.org",
                                                          "password": "un-long-secret", "confirm": "un-long-secret"})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.data.decode()
    response = client.post("/compte/connexion", data={"email": "a@example.org", "password": "x",
                                                       "csrf_token": "forged"})
    assert response.status_code == 400


def test_login_logout(client, make):
    user = make.user()
    login(client, user)
    assert user.display_name.encode() in client.get("/compte/profil").data
    response = client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert client.get("/compte/profil").status_code == 302


def test_wrong_password_message_and_throttling(client, make, caplog):
    user = make.user()
    caplog.set_level(logging.DEBUG)
    for _ in range(5):
        token = csrf_token(client, "/compte/connexion")
        response = client.post("/compte/connexion", data={"email": user.email, "password": "mauvais-secret",
                                                           "csrf_token": token})
        assert response.status_code == 422
        assert "Adresse e-mail ou mot de passe incorrect." in response.data.decode()
    token = csrf_token(client, "/compte/connexion")
    response = client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD,
                                                       "csrf_token": token})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.data.decode()
    # Nothing about passwords is logged, and attempts are stored without the address in clear.
    assert "mauvais-secret" not in caplog.text and PASSWORD not in caplog.text
    stored = db.session.scalars(db.select(LoginThrottle.account_digest)).all()
    assert stored and all(user.email not in digest for digest in stored)


def test_password_reset_by_mailed_link(app, client, make):
    user = make.user()
    token = csrf_token(client, "/compte/mot-de-passe")
    response = client.post("/compte/mot-de-passe", data={"email": user.email, "csrf_token": token})
    assert response.status_code == 302
    message = app.extensions["convergence.outbox"][-1]
    link = next(line for line in message.get_content().splitlines() if "/compte/mot-de-passe/" in line)
    path = link[link.index("/compte/"):].strip()
    token = csrf_token(client, path)
    response = client.post(path, data={"password": "nouveau-secret-1", "confirm": "nouveau-secret-1",
                                       "csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password("nouveau-secret-1")
    # The link works once: the password changed, so the signature no longer matches.
    assert client.get(path).status_code == 400


def test_reset_request_for_unknown_address_says_the_same(app, client):
    token = csrf_token(client, "/compte/mot-de-passe")
    response = client.post("/compte/mot-de-passe", data={"email": "personne@nulle-part.fr", "csrf_token": token},
                           follow_redirects=True)
    assert "Si un compte existe pour cette adresse" in response.data.decode()
    assert not app.extensions.get("convergence.outbox")


def test_expired_reset_link_is_410(app, client, make):
    user = make.user()
    token = make_reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.get(f"/compte/mot-de-passe/{token}")
    assert response.status_code == 410
    assert "expiré" in response.data.decode()


def test_forged_reset_link_is_400(client):
    assert client.get("/compte/mot-de-passe/nimporte-quoi").status_code == 400


def test_profile_language_and_password_change(client, make):
    user = make.user()
    login(client, user)
    token = csrf_token(client, "/compte/profil")
    response = client.post("/compte/profil", data={"display_name": "Nouveau nom", "locale": "en",
                                                   "current_password": "faux", "new_password": "encore-un-secret",
                                                   "csrf_token": token})
    assert response.status_code == 422
    assert "Le mot de passe actuel est incorrect." in response.data.decode()
    token = csrf_token(client, "/compte/profil")
    response = client.post("/compte/profil", data={"display_name": "Nouveau nom", "locale": "en",
                                                   "csrf_token": token})
    assert response.status_code == 302
    page = client.get("/").data.decode()
    assert 'lang="en"' in page


def test_data_export_contains_own_data(client, make):
    user = make.user(name="Inès")
    commune = make.commune()
    make.role(user, "resident", commune=commune)
    login(client, user)
    response = client.get("/compte/mes-donnees.json")
    data = json.loads(response.data)
    assert data["account"]["display_name"] == "Inès"
    assert data["memberships"][0]["role"] == "resident"
    assert [device["device"] for device in data["devices"]] == [""]  # the test client sends no User-Agent


def test_next_parameter_only_follows_local_paths(client, make):
    user = make.user()
    token = csrf_token(client, "/compte/connexion")
    response = client.post("/compte/connexion?next=https://evil.example/", data={
        "email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"
