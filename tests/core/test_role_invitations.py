"""The roles form offers a role by e-mail: it never tells whether an address has an
account, and nobody holds a role they have not accepted."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import AuditEntry, Invitation, Membership
from tests.fixtures import PASSWORD, browser_fields, csrf_token, login

LINK = re.compile(r"http://localhost/i/[\w-]+")


def offer(client, commune, email: str, role: str = "facilitator"):
    members = f"/communes/{commune.slug}/membres"
    return client.post(f"{members}/roles", data={"email": email, "role": role,
                                                 "csrf_token": csrf_token(client, members)})


def outbox(app) -> list:
    return app.extensions.setdefault("convergence.outbox", [])


def link_in(message) -> str:
    return LINK.search(message.get_content()).group()


def test_the_answer_is_the_same_with_or_without_an_account_and_nobody_is_added(app, client, make):
    stranger, person = make.user("Créateur de commune"), make.user("Dominique", "dominique@example.org")
    login(client, stranger)
    commune_page = client.post("/communes/nouvelle", data={
        "name": "Commune sonde", "kind": "commune", **browser_fields(client, "/communes/nouvelle")})
    assert commune_page.status_code == 302
    from convergence.models import Commune

    commune = db.session.scalar(db.select(Commune).where(Commune.name == "Commune sonde"))
    known, unknown = offer(client, commune, "Dominique@example.org"), offer(client, commune, "personne@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    page = client.get(f"/communes/{commune.slug}/membres").data.decode()
    assert "Une invitation a été envoyée à cette adresse" in page
    assert "dominique@example.org" in page and "personne@example.org" in page  # offered, pending
    # Nobody was given the role.
    assert db.session.scalar(db.select(Membership.id).where(Membership.user_id == person.id)) is None
    sent = {m["To"]: m for m in outbox(app)}
    assert set(sent) == {"dominique@example.org", "personne@example.org"}
    assert "Dominique" not in sent["dominique@example.org"].get_content()
    # The journal names neither the person nor the address.
    journal = " ".join(f"{e.target} {e.details}" for e in db.session.scalars(db.select(AuditEntry)))
    assert "dominique" not in journal.lower() and "personne@" not in journal


def test_the_role_is_given_when_the_addressee_accepts(app, client, make):
    commune = make.commune("Commune invitante")
    admin, person, other = make.user(), make.user("Eugénie", "eugenie@example.org"), make.user()
    make.role(admin, "admin", commune=commune)
    login(client, admin)
    assert offer(client, commune, "eugenie@example.org", "guarantor").status_code == 302
    assert offer(client, commune, "eugenie@example.org", "guarantor").status_code == 302  # replayed
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 1
    link = link_in(outbox(app)[-1])
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})

    login(client, other)
    assert "Cette invitation a été envoyée à une autre adresse e-mail" in client.get(link).data.decode()
    refused = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert refused.status_code == 403
    assert db.session.scalar(db.select(Membership.id).where(Membership.user_id == other.id)) is None
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})

    login(client, person)
    page = client.get(link).data.decode()
    assert "Une invitation vous propose le rôle «\u202fGarant·e\u202f»" in page
    assert client.post(link, data={"csrf_token": csrf_token(client, link)}).status_code == 302
    roles = db.session.scalars(db.select(Membership.role).where(Membership.user_id == person.id)).all()
    assert roles == ["guarantor"]
    invitation = db.session.scalar(db.select(Invitation))
    assert invitation.email is None and invitation.uses == 1
    given = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "role.given"))
    assert given.target == "Eugénie" and given.details["person_id"] == person.id


def test_an_address_without_account_registers_then_accepts(app, client, make):
    commune = make.commune()
    admin = make.user()
    make.role(admin, "admin", commune=commune)
    login(client, admin)
    offer(client, commune, "nouvelle@example.org", "resident")
    link = link_in(outbox(app)[-1])
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    register = "/compte/inscription"
    client.post(register, data={"display_name": "Nouvelle", "email": "nouvelle@example.org", "password": PASSWORD,
                                "confirm": PASSWORD, "locale": "fr", "csrf_token": csrf_token(client, register)})
    # The account opens from the confirmation link mailed to that address.
    confirm = re.search(r"http://localhost/compte/inscription/confirmer/\S+", outbox(app)[-1].get_content()).group()
    assert client.post(confirm, data={"csrf_token": csrf_token(client, confirm)}).status_code == 302
    assert client.post(link, data={"csrf_token": csrf_token(client, link)}).status_code == 302
    assert db.session.scalar(db.select(Membership.role).where(Membership.space_id == commune.space_id,
                                                             Membership.role == "resident")) == "resident"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=st.one_of(st.emails(), st.text(max_size=300)), role=st.sampled_from(["resident", "admin", "chef", ""]))
def test_whatever_is_typed_in_the_roles_form_nobody_is_given_a_role(app, client, make, email, role):
    from convergence.models import Commune

    commune = db.session.scalar(db.select(Commune).where(Commune.name == "Commune aux hypothèses"))
    if commune is None:
        commune = make.commune("Commune aux hypothèses")
        admin = make.user()
        make.role(admin, "admin", commune=commune)
        login(client, admin)
    response = offer(client, commune, email, role)
    assert response.status_code in (302, 400, 422), response.status_code
    assert db.session.scalar(db.select(db.func.count()).select_from(Membership)) == 1  # the administrator's
