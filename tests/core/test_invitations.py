"""Invitation links and QR codes that add a person to a commune, an assembly or a circle."""

from datetime import timedelta

from convergence.extensions import db
from convergence.models import CircleMembershipEvent, Invitation, Membership
from convergence.models.base import utcnow
from tests.fixtures import browser_fields, csrf_token, login


def create_invitation(client, query: str, **fields) -> Invitation:
    url = f"/invitations/nouvelle?{query}"
    data = {"label": "Projecteur", "valid_days": "7", **browser_fields(client, url)}
    data.update(fields)
    response = client.post(url, data=data)
    assert response.status_code == 302, response.data[:300]
    return db.session.scalar(db.select(Invitation).order_by(Invitation.id.desc()))


def join(client, token: str):
    return client.post(f"/i/{token}", data=browser_fields(client, f"/i/{token}"))


def test_join_assembly_by_invitation_and_qr(app, client, make):
    commune = make.commune()
    assembly = make.assembly(commune)
    facilitator = make.user()
    make.role(facilitator, "facilitator", commune=commune)
    login(client, facilitator)
    invitation = create_invitation(client, f"assembly={assembly.id}")
    page = client.get(f"/invitations/{invitation.id}").data.decode()
    assert f"/i/{invitation.token}" in page
    qr = client.get(f"/invitations/{invitation.id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    client.post("/compte/deconnexion", data=browser_fields(client, "/"))

    resident = make.user()
    landing = client.get(f"/i/{invitation.token}")
    assert landing.status_code == 200 and "/compte/connexion?next=" in landing.data.decode()
    login(client, resident)
    response = join(client, invitation.token)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/assemblees/{assembly.id}")
    join(client, invitation.token)  # twice: still one membership, one use
    rows = db.session.scalars(db.select(Membership).where(Membership.user_id == resident.id)).all()
    assert [(m.space_id, m.role) for m in rows] == [(assembly.space_id, "resident")]
    db.session.refresh(invitation)
    assert invitation.uses == 1


def test_invitation_for_closed_assembly_is_refused(client, make):
    commune = make.commune()
    assembly = make.assembly(commune, status="closed")
    invitation = Invitation(token="ferme", space_id=assembly.space_id, role="resident")
    db.session.add(invitation)
    db.session.commit()
    login(client, make.user())
    response = client.get("/i/ferme")
    assert response.status_code == 410
    assert "Cette assemblée est close" in response.data.decode()


def test_expired_revoked_used_up_and_unknown_invitations(client, make):
    commune = make.commune()
    db.session.add_all([
        Invitation(token="perimee", space_id=commune.space_id, expires_at=utcnow() - timedelta(days=1)),
        Invitation(token="retiree", space_id=commune.space_id, revoked=True),
        Invitation(token="pleine", space_id=commune.space_id, max_uses=1, uses=1),
    ])
    db.session.commit()
    login(client, make.user())
    assert client.get("/i/perimee").status_code == 410
    assert "a expiré" in client.get("/i/perimee").data.decode()
    assert client.get("/i/retiree").status_code == 410
    assert client.get("/i/pleine").status_code == 410
    assert client.get("/i/inconnue").status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(Membership)) == 0


def test_circle_invitation_records_the_entry(client, make):
    from convergence.models import Circle

    commune = make.commune()
    circle = Circle(commune_id=commune.id, name="Alimentation", purpose="Manger")
    db.session.add(circle)
    db.session.commit()
    facilitator = make.user()
    make.role(facilitator, "co_lead", circle=circle)
    login(client, facilitator)
    invitation = create_invitation(client, f"circle={circle.id}", label="Réunion du 3 mars")
    person = make.user()
    other_client = client.application.test_client()
    login(other_client, person)
    join(other_client, invitation.token)
    event = db.session.scalar(db.select(CircleMembershipEvent))
    assert event.user_id == person.id and "Réunion du 3 mars" in event.decision


def test_only_facilitators_create_invitations(client, make):
    commune = make.commune()
    resident = make.user()
    make.role(resident, "resident", commune=commune)
    login(client, resident)
    assert client.get(f"/invitations/nouvelle?commune={commune.slug}").status_code == 403
    assert client.get("/invitations/nouvelle").status_code == 400


def test_projector_shows_the_invitation_qr_to_the_facilitator_only(client, make):
    commune = make.commune()
    assembly = make.assembly(commune)
    db.session.add(Invitation(token="salle", space_id=assembly.space_id, role="resident"))
    db.session.commit()
    assert "/i/salle" not in client.get(f"/assemblees/{assembly.id}/projection").get_data(as_text=True)
    facilitator = make.user()
    make.role(facilitator, "facilitator", assembly=assembly)
    login(client, facilitator)
    page = client.get(f"/assemblees/{assembly.id}/projection").get_data(as_text=True)
    assert "/i/salle" in page and "/qr.svg" in page
