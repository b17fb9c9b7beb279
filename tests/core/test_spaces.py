"""Communes, assemblies, agenda and circles through the pages, with permissions."""

import re
from datetime import date

from convergence.extensions import db
from convergence.models import AgendaItem, Assembly, AuditEntry, Circle, CircleMembershipEvent, Commune, Membership
from tests.fixtures import browser_fields, csrf_token, login


def post(client, url, data, page=None):
    data = dict(data, **browser_fields(client, page or url))
    return client.post(url, data=data)


def test_create_commune_makes_creator_admin_and_journal(client, make):
    user = make.user()
    login(client, user)
    response = post(client, "/communes/nouvelle", {
        "name": "Saint-Martin-des-Champs", "kind": "commune", "description": "Une **commune**",
        "neighbourhoods": "Centre\nLa Gare\ncentre\n", "latitude": "48.1", "longitude": "2.3"})
    assert response.status_code == 302
    commune = db.session.scalar(db.select(Commune))
    assert commune.slug == "saint-martin-des-champs"
    assert [n.name for n in commune.neighbourhoods] == ["Centre", "La Gare"]
    assert db.session.scalar(db.select(Membership.role).where(Membership.user_id == user.id)) == "admin"
    page = client.get(f"/communes/{commune.slug}").data.decode()
    assert "<strong>commune</strong>" in page
    journal = client.get(f"/communes/{commune.slug}/journal").data.decode()
    assert "commune.created" in journal


def test_commune_coordinates_out_of_range(client, make):
    login(client, make.user())
    response = post(client, "/communes/nouvelle", {"name": "X", "kind": "commune", "latitude": "123"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Commune)) == 0


def test_unknown_ids_are_404_in_french(client):
    for url in ["/communes/inconnue", "/assemblees/999", "/cercles/999", "/assemblees/abc"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.data.decode()


def test_resident_cannot_manage(client, make):
    commune = make.commune()
    resident = make.user()
    make.role(resident, "resident", commune=commune)
    assembly = make.assembly(commune)
    login(client, resident)
    assert client.get(f"/communes/{commune.slug}/modifier").status_code == 403
    assert client.get(f"/communes/{commune.slug}/assemblees/nouvelle").status_code == 403
    assert client.get(f"/assemblees/{assembly.id}/ordre-du-jour").status_code == 403
    assert client.get(f"/assemblees/{assembly.id}/outils").status_code == 403
    response = post(client, f"/assemblees/{assembly.id}/en-cours", {"item_id": ""}, page="/")
    assert response.status_code == 403
    assert "Accès refusé" in client.get(f"/communes/{commune.slug}/modifier").data.decode()


def test_anonymous_is_sent_to_login(client, make):
    commune = make.commune()
    response = client.get(f"/communes/{commune.slug}/modifier")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_facilitator_plans_assembly_and_runs_agenda(app, client, make):
    commune = make.commune()
    facilitator = make.user()
    make.role(facilitator, "facilitator", commune=commune)
    login(client, facilitator)
    response = post(client, f"/communes/{commune.slug}/assemblees/nouvelle", {
        "title": "Assemblée de quartier", "kind": "assemblee_populaire", "starts_at": "2026-12-05T10:00",
        "place": "Maison du peuple", "status": "planned", "description": ""})
    assert response.status_code == 302
    assembly = db.session.scalar(db.select(Assembly))
    agenda_url = f"/assemblees/{assembly.id}/ordre-du-jour"
    for title, kind, at in [("Accueil", "accueil", "10:00"), ("Plénière", "pleniere", "10:30"),
                            ("Restitution", "restitution", "12:00")]:
        assert post(client, agenda_url, {"title": title, "kind": kind, "starts_at": at,
                                         "duration_minutes": "30"}).status_code == 302
    items = db.session.scalars(db.select(AgendaItem).order_by(AgendaItem.position)).all()
    assert [i.title for i in items] == ["Accueil", "Plénière", "Restitution"]
    # Typed in Paris time, stored in UTC (winter: one hour behind), shown in Paris time.
    assert items[1].starts_at.strftime("%Y-%m-%d %H:%M") == "2026-12-05 09:30"
    assert assembly.starts_at.strftime("%H:%M") == "09:00"
    assert "10:30" in client.get(f"/assemblees/{assembly.id}").get_data(as_text=True)
    # Move "Restitution" up, then start it; the live channel carries the change.
    assert post(client, f"{agenda_url}/{items[2].id}/up", {}, page=agenda_url).status_code == 302
    titles = [i.title for i in db.session.scalars(db.select(AgendaItem).order_by(AgendaItem.position))]
    assert titles == ["Accueil", "Restitution", "Plénière"]
    from convergence.live import subscribe

    with subscribe(assembly) as subscription:
        assert post(client, f"/assemblees/{assembly.id}/en-cours", {"item_id": items[2].id},
                    page=agenda_url).status_code == 302
        message = subscription.get(timeout=1)
    assert message == {"event": "agenda.moved", "data": {"item_id": items[2].id, "title": "Restitution"}}
    page = client.get(f"/assemblees/{assembly.id}").data.decode()
    assert 'aria-current="step"' in page and "Restitution" in page
    projector = client.get(f"/assemblees/{assembly.id}/projection").data.decode()
    assert "Restitution" in projector
    # Bad input: unknown kind, negative duration, an item of another assembly.
    assert post(client, agenda_url, {"title": "X", "kind": "inconnu"}).status_code == 422
    assert post(client, agenda_url, {"title": "X", "kind": "pause", "duration_minutes": "-5"}).status_code == 422
    other = make.assembly(commune)
    assert post(client, f"/assemblees/{other.id}/ordre-du-jour/{items[0].id}/supprimer", {},
                page=agenda_url).status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(AgendaItem)) == 3


def test_assembly_end_before_start_is_refused(client, make):
    commune = make.commune()
    facilitator = make.user()
    make.role(facilitator, "facilitator", commune=commune)
    login(client, facilitator)
    response = post(client, f"/communes/{commune.slug}/assemblees/nouvelle", {
        "title": "A", "kind": "assemblee_populaire", "starts_at": "2026-12-05T10:00",
        "ends_at": "2026-12-05T09:00", "status": "planned"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Assembly)) == 0


def test_circle_entries_and_exits_decided_by_consent(client, make):
    commune = make.commune()
    facilitator, person = make.user(), make.user(name="Léa")
    make.role(facilitator, "facilitator", commune=commune)
    login(client, facilitator)
    response = post(client, f"/communes/{commune.slug}/cercles/nouveau", {
        "name": "Eau", "purpose": "Une eau publique et saine", "decision_perimeter": "Enquêtes"})
    assert response.status_code == 302
    circle = db.session.scalar(db.select(Circle))
    url = f"/cercles/{circle.id}/decisions"
    decision = {"email": person.email, "kind": "join", "role": "co_lead", "decided_on": "2026-11-20",
                "decision": "Réunion du 20 novembre, consentement sans objection"}
    assert post(client, url, decision, page=f"/cercles/{circle.id}").status_code == 302
    # Joining twice in the same role is refused and writes nothing.
    assert post(client, url, decision, page=f"/cercles/{circle.id}").status_code == 422
    assert post(client, url, dict(decision, kind="leave", decided_on="2026-11-22"),
                page=f"/cercles/{circle.id}").status_code == 302
    events = db.session.scalars(db.select(CircleMembershipEvent).order_by(CircleMembershipEvent.id)).all()
    assert [(e.kind, e.decided_on) for e in events] == [("join", date(2026, 11, 20)), ("leave", date(2026, 11, 22))]
    assert db.session.scalar(db.select(db.func.count()).select_from(Membership).where(
        Membership.space_id == circle.space_id)) == 0
    page = client.get(f"/cercles/{circle.id}").data.decode()
    assert "Réunion du 20 novembre" in page
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert "circle.join" in actions and "circle.leave" in actions


def test_roles_given_and_withdrawn_by_admin_keep_one_admin(client, make):
    commune = make.commune()
    admin, person = make.user(), make.user()
    admin_role = make.role(admin, "admin", commune=commune)
    login(client, admin)
    members = f"/communes/{commune.slug}/membres"
    assert post(client, f"{members}/roles", {"email": person.email, "role": "elected"}, page=members).status_code == 302
    # Offered, not given: the person accepts it from the link mailed to them.
    assert db.session.scalar(db.select(Membership.id).where(Membership.user_id == person.id)) is None
    link = re.search(r"http://localhost/i/[\w-]+", client.application.extensions["convergence.outbox"][-1]
                     .get_content()).group()
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    login(client, person)
    assert post(client, link, {}).status_code == 302
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    login(client, admin)
    response = post(client, f"{members}/roles/{admin_role.id}/retirer", {}, page=members)
    assert response.status_code == 409
    roles = db.session.scalars(db.select(Membership.role).where(Membership.space_id == commune.space_id)).all()
    assert sorted(roles) == ["admin", "elected"]


def test_markdown_is_sanitised(client, make):
    commune = make.commune(description='<script>alert(1)</script>[x](javascript:alert(2)) <img src=x onerror=alert(3)> **ok**')
    page = client.get(f"/communes/{commune.slug}").data.decode()
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page
    assert "<strong>ok</strong>" in page


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_too_large_request_is_413_in_french(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/compte/connexion", data={"email": "x" * 5000})
    assert response.status_code == 413
    assert "lang=\"fr\"" in response.data.decode()


def test_unexpected_error_is_a_french_500_without_trace(app, client):
    @app.get("/boum")
    def boom():
        raise RuntimeError("secret internal detail")

    response = client.get("/boum")
    assert response.status_code == 500
    page = response.data.decode()
    assert "secret internal detail" not in page and "Traceback" not in page


def test_edit_an_agenda_item(client, make):
    from datetime import datetime

    commune = make.commune()
    assembly = make.assembly(commune, starts_at=datetime(2026, 12, 5, 8, 0))  # 9:00 in Paris
    item = AgendaItem(assembly_id=assembly.id, title="Accueil", kind="accueil")
    db.session.add(item)
    db.session.commit()
    facilitator = make.user()
    make.role(facilitator, "facilitator", assembly=assembly)
    login(client, facilitator)
    url = f"/assemblees/{assembly.id}/ordre-du-jour/{item.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Accueil"' in page
    assert post(client, url, {"title": "Accueil café", "kind": "accueil", "starts_at": "09:00"}).status_code == 302
    db.session.refresh(item)
    assert item.title == "Accueil café" and item.starts_at.hour == 8  # 09:00 in Paris, UTC in the database
    assert 'value="09:00"' in client.get(url).get_data(as_text=True)
