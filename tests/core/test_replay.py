"""A creating form of the core sent twice creates once; its token cannot be forged, reused
by someone else, or left out."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from flask import g

from convergence.extensions import db
from convergence.models import (AgendaItem, Assembly, Circle, CircleMembershipEvent, Commune, FormSubmission,
                                Invitation, Membership)
from convergence.models.base import utcnow
from convergence.web import replay
from tests.fixtures import browser_fields, form_token, login, post_twice, require_postgres, says_replayed


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def space(make):
    commune = make.commune("Saint-Rejoue")
    circle = Circle(commune_id=commune.id, name="Eau", purpose="Boire")
    db.session.add(circle)
    db.session.commit()
    admin, neighbour = make.user("Admin"), make.user("Voisine")
    make.role(admin, "admin", commune=commune)
    assembly = make.assembly(commune, "Assemblée d'hiver")
    return commune, assembly, circle, admin, neighbour


def creating_forms(commune, assembly, circle, neighbour):
    """(form page, POST address, fields, table that gets one row) of every creating form."""
    return [
        ("/communes/nouvelle", "/communes/nouvelle", {"name": "Rejouée", "kind": "commune"}, Commune),
        (f"/communes/{commune.slug}/assemblees/nouvelle", f"/communes/{commune.slug}/assemblees/nouvelle",
         {"title": "Assemblée rejouée", "kind": "assemblee_populaire", "starts_at": "2026-12-12T18:00",
          "status": "planned"}, Assembly),
        (f"/communes/{commune.slug}/cercles/nouveau", f"/communes/{commune.slug}/cercles/nouveau",
         {"name": "Logement", "purpose": "Se loger"}, Circle),
        (f"/assemblees/{assembly.id}/ordre-du-jour", f"/assemblees/{assembly.id}/ordre-du-jour",
         {"title": "Accueil", "kind": "accueil"}, AgendaItem),
        (f"/invitations/nouvelle?commune={commune.slug}", f"/invitations/nouvelle?commune={commune.slug}",
         {"label": "Projecteur", "valid_days": "7"}, Invitation),
        (f"/cercles/{circle.id}", f"/cercles/{circle.id}/decisions",
         {"email": neighbour.email, "kind": "join", "role": "member", "decided_on": date.today().isoformat(),
          "decision": "Consentement du 3 mars"}, CircleMembershipEvent),
    ]


def test_every_creating_form_of_the_core_sent_twice_creates_once(client, space):
    commune, assembly, circle, admin, neighbour = space
    login(client, admin)
    for page, url, data, model in creating_forms(commune, assembly, circle, neighbour):
        before = count(model)
        first, second = post_twice(client, page, url, data)
        assert first.status_code == 302, (url, first.data[:300])
        assert count(model) == before + 1, url
        # The second answer is the page of what the first created, saying nothing was created again.
        assert says_replayed(second), (url, second.status_code)
        assert second.request.path == urlsplit(first.headers["Location"]).path, url
    assert count(FormSubmission) == 6
    assert count(Membership) == 3  # the admin's two (the commune created) and the circle entry


def test_a_corrected_form_is_accepted_after_its_errors(client, space):
    commune, _assembly, _circle, admin, _neighbour = space
    login(client, admin)
    data = {"name": "", "kind": "commune", **browser_fields(client, "/communes/nouvelle")}
    assert client.post("/communes/nouvelle", data=data).status_code == 422
    # Nothing was created, so the token was not used up: the same form, corrected, goes through.
    assert client.post("/communes/nouvelle", data={**data, "name": "Corrigée"}).status_code == 302
    assert count(Commune) == 2 and count(FormSubmission) == 1


def test_a_token_is_the_persons_own_and_cannot_be_forged_or_left_out(app, client, space):
    commune, _assembly, _circle, admin, neighbour = space
    login(client, admin)
    url = f"/communes/{commune.slug}/cercles/nouveau"
    token = form_token(client, url)
    other = app.test_client()
    login(other, neighbour)
    make_admin = Membership(user_id=neighbour.id, space_id=commune.space_id, role="admin")
    db.session.add(make_admin)
    db.session.commit()
    fields = {"name": "Volé", "purpose": "Bloquer celui de l'autre"}
    # The neighbour cannot send (and so use up) the admin's token, nor a forged one, nor none.
    for forged in (token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "abc.def.ghi", None):
        data = {**fields, **browser_fields(other, url)}
        data.pop("form_token")
        if forged is not None:
            data["form_token"] = forged
        response = other.post(url, data=data)
        assert response.status_code == 400, forged
        assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Circle.name)).all() == ["Eau"] and count(FormSubmission) == 0
    # The admin's own form still goes through.
    data = {**fields, "name": "Le sien", **browser_fields(client, url), "form_token": token}
    assert client.post(url, data=data).status_code == 302
    assert db.session.scalars(db.select(Circle.name).order_by(Circle.id)).all() == ["Eau", "Le sien"]


def test_a_form_older_than_its_life_is_refused(app, client, space):
    commune, _assembly, _circle, admin, _neighbour = space
    login(client, admin)
    url = f"/communes/{commune.slug}/cercles/nouveau"
    data = {"name": "Tard", "purpose": "Trop tard", **browser_fields(client, url)}
    app.config["FORM_TOKEN_MAX_AGE"] = -1
    assert client.post(url, data=data).status_code == 400
    assert count(Circle) == 1  # the space's own


def test_tokens_older_than_a_form_can_live_are_forgotten(client, space):
    commune, _assembly, _circle, admin, _neighbour = space
    old = FormSubmission(token="o" * 64, url="/", created_at=utcnow() - timedelta(days=8))
    recent = FormSubmission(token="r" * 64, url="/", created_at=utcnow() - timedelta(days=6))
    db.session.add_all([old, recent])
    db.session.commit()
    login(client, admin)
    url = f"/communes/{commune.slug}/cercles/nouveau"
    assert client.post(url, data={"name": "Jardins", "purpose": "Semer",
                                  **browser_fields(client, url)}).status_code == 302
    db.session.expire_all()
    tokens = set(db.session.scalars(db.select(FormSubmission.token)))
    assert "o" * 64 not in tokens and "r" * 64 in tokens and len(tokens) == 2  # the old one, the new one


def test_copies_meeting_in_the_transaction_create_once(app, space):
    """The copy that passed the first look while the other was being written stops on the
    unique token when it tries to consume it: its own writes are rolled back."""
    commune, _assembly, _circle, admin, _neighbour = space
    db.session.add(FormSubmission(token="d" * 64, url=f"/communes/{commune.slug}"))
    db.session.commit()
    with app.test_request_context("/communes/nouvelle", method="POST"):
        g.form_token_key = "d" * 64  # as check_posted_token leaves it, before the first copy committed
        db.session.add(Commune(slug="copie", name="Copie"))
        with pytest.raises(replay.Replayed) as replayed:
            replay.claim("/communes/copie")
        assert replayed.value.url == f"/communes/{commune.slug}"
        db.session.commit()
    assert count(Commune) == 1 and count(FormSubmission) == 1


@pytest.mark.postgres
def test_simultaneous_copies_create_once_on_postgresql(app, space):
    require_postgres()
    commune, _assembly, _circle, admin, _neighbour = space
    clients = [app.test_client(), app.test_client()]  # two tabs of one person
    for client in clients:
        login(client, admin)
    url = f"/communes/{commune.slug}/cercles/nouveau"
    token = form_token(clients[0], url)
    sent = [{"name": "Double clic", "purpose": "Une fois", **browser_fields(client, url), "form_token": token}
            for client in clients]  # each tab its own CSRF token, one form's token
    start, answers, errors = threading.Barrier(2), [], []

    def send(client, data):
        try:
            start.wait(timeout=10)
            answers.append(client.post(url, data=data).status_code)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, sent)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(answers) == [302, 303]
    assert count(Circle) == 2 and count(FormSubmission) == 1
