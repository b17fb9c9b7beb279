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


# -- spaces ----------------------------------------------------------------------------------

def test_creating_a_circle_creates_its_space_in_the_same_transaction(client, make):
    from convergence.models import Space

    commune = make.commune()
    facilitator = make.user()
    make.role(facilitator, "facilitator", commune=commune)
    login(client, facilitator)
    created = []
    from convergence import hooks

    hooks.space_created.connect(lambda space: created.append((space.id, space.kind)), weak=False)
    try:
        response = post(client, f"/communes/{commune.slug}/cercles/nouveau",
                        {"name": "Eau", "purpose": "L'eau", "decision_perimeter": ""})
    finally:
        hooks.space_created.receivers.clear()
    assert response.status_code == 302
    circle = db.session.scalar(db.select(Circle))
    space = db.session.get(Space, circle.space_id)
    assert (space.kind, space.commune_id, space.parent_id) == ("circle", commune.id, commune.space_id)
    assert created == [(space.id, "circle")]  # announced once, after the commit
    # Rolled back with its owner: no space without its circle.
    before = db.session.scalar(db.select(db.func.count()).select_from(Space))
    db.session.add(Circle(commune_id=commune.id, name="Logement", purpose="p"))
    db.session.flush()
    assert db.session.scalar(db.select(db.func.count()).select_from(Space)) == before + 1
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Space)) == before


def test_every_commune_assembly_and_circle_has_exactly_one_space(app, make):
    from convergence.models import Space

    commune = make.commune()
    assembly = make.assembly(commune)
    circle = Circle(commune_id=commune.id, name="Eau", purpose="p")
    db.session.add(circle)
    # A commune created in the same flush as its assembly: the assembly hangs under it.
    other = Commune(slug="autre", name="Autre")
    meeting = Assembly(commune=other, title="Réunion", starts_at=assembly.starts_at)
    db.session.add_all([other, meeting])
    db.session.commit()
    rows = db.session.execute(db.select(Space.id, Space.kind, Space.commune_id, Space.parent_id)
                              .order_by(Space.id)).all()
    assert sorted((kind, commune_id) for _i, kind, commune_id, _p in rows) == sorted([
        ("commune", commune.id), ("assembly", commune.id), ("circle", commune.id),
        ("commune", other.id), ("assembly", other.id)])
    assert len({commune.space_id, assembly.space_id, circle.space_id, other.space_id, meeting.space_id}) == 5
    assert db.session.get(Space, meeting.space_id).parent_id == other.space_id
    assert db.session.get(Space, commune.space_id).parent_id is None


def test_the_space_api_says_the_same_for_every_kind(app, make):
    from convergence.spaces import space_of

    commune = make.commune("Belleville")
    assembly = make.assembly(commune, "Plénière")
    circle = Circle(commune_id=commune.id, name="Eau", purpose="p")
    db.session.add(circle)
    db.session.commit()
    person = make.user()
    membership = make.role(person, "member", circle=circle)
    with app.test_request_context():
        seen = [(s.kind, s.commune.id, s.title, s.url, s.owner) for s in map(space_of, (commune, assembly, circle))]
        assert seen == [("commune", commune.id, "Belleville", f"/communes/{commune.slug}", commune),
                        ("assembly", commune.id, "Plénière", f"/assemblees/{assembly.id}", assembly),
                        ("circle", commune.id, "Eau", f"/cercles/{circle.id}", circle)]
        assert space_of(membership) is space_of(circle)
        # The owner is found from the space alone too.
        db.session.expunge_all()
        from convergence.models import Space

        assert db.session.get(Space, circle.space_id).owner.name == "Eau"


def test_roles_hold_where_the_kind_says(app, make):
    from convergence.permissions import can, roles

    commune = make.commune()
    assembly = make.assembly(commune)
    circle = Circle(commune_id=commune.id, name="Eau", purpose="p")
    db.session.add(circle)
    db.session.commit()
    resident, facilitator, member = make.user(), make.user(), make.user()
    make.role(resident, "resident", commune=commune)
    make.role(facilitator, "facilitator", commune=commune)
    make.role(member, "member", circle=circle)
    with app.test_request_context():
        # Commune roles hold in its assemblies, not in its circles…
        assert roles(resident, assembly) == {"resident"} and roles(resident, circle) == set()
        assert not can("circle.member", circle, user=resident)
        # …where only the commune's facilitators facilitate.
        assert can("circle.facilitate", circle, user=facilitator) and can("space.facilitate", circle.space,
                                                                            user=facilitator)
        assert not can("circle.facilitate", circle, user=member) and can("circle.member", circle, user=member)
        assert roles(member, commune) == set() and roles(member, circle) == {"member"}


def test_a_plugin_gives_roles_and_widens_a_rule_without_replacing_it(test_database_url):
    from convergence.permissions import can, extend_rule, roles, rule
    from convergence.plugin_engine import Plugin
    from tests.fixtures import Factory, _empty_all_tables, make_test_app

    class Delegations(Plugin):
        name, title, space_kinds = "delegations", "Délégations", ("assembly",)

        def init(self):
            # The delegate of the demo's meeting: a role held through the plug-in.
            self.connect_hook("space-roles", lambda user, space: ["delegate"] if user.email == "d@example.org" else [])

    app = make_test_app(test_database_url, PLUGINS=[])
    plugin = Delegations(app)
    app.extensions["convergence.plugins"]["delegations"] = plugin
    plugin.init()

    @rule("test.speak")
    def _speak(user, assembly):
        return "delegate" in roles(user, assembly)

    extend_rule("test.speak", lambda user, assembly, context: context.get("invited") is True)
    with app.app_context():
        try:
            make = Factory(app)
            commune = make.commune()
            assembly = make.assembly(commune)
            delegate, other = make.user(email="d@example.org"), make.user()
            with app.test_request_context():
                assert "delegate" in roles(delegate, assembly) and roles(other, assembly) == set()
                assert can("test.speak", assembly, user=delegate)
                assert not can("test.speak", assembly, user=other)
                assert can("test.speak", assembly, user=other, invited=True)  # the widened rule
                # A role from the plug-in does not reach a circle, where the plug-in is not offered.
                circle = Circle(commune_id=commune.id, name="Eau", purpose="p")
                db.session.add(circle)
                db.session.commit()
                assert roles(delegate, circle) == set()
        finally:
            _empty_all_tables(app)


def test_a_site_administrator_manages_but_casts_supports_signs_and_answers_nothing(app, make):
    """The participation rules are membership-only: listed here, each refused to a site
    administrator holding no role, and granted to a resident."""
    from convergence.permissions import _MEMBERSHIP_ONLY, can, clear_cache
    from plugins.mj import api as mj
    from plugins.needs.models import Need
    from plugins.proposals.models import DISCUSSION, Proposal

    participation = {"mj.vote.cast", "needs.support", "proposals.support", "proposals.answer"}
    assert participation <= _MEMBERSHIP_ONLY
    admin, resident = make.user(admin=True), make.user()
    commune = make.commune()
    assembly = make.assembly(commune, status="open")
    make.role(resident, "resident", commune=commune)
    with app.test_request_context():
        targets = {
            "mj.vote.cast": mj.create_vote(assembly, "Question ?", ["Oui", "Non"]),
            # Not added to the session: the rules read them as they are.
            "needs.support": Need(commune=commune, title="Un banc"),
            "proposals.support": Proposal(assembly=assembly, title="Un banc", status=DISCUSSION),
            "proposals.answer": Proposal(assembly=assembly, title="Un banc", status=DISCUSSION),
        }
        assert can("commune.manage", commune, user=admin) and can("space.manage_features", assembly, user=admin)
        assert {action for action, target in targets.items() if can(action, target, user=admin)} == set()
        clear_cache()
        assert {action for action, target in targets.items() if can(action, target, user=resident)} == participation


def test_the_upgrade_to_spaces_keeps_every_membership_invitation_and_switch(app, make):
    """A database at the revision before spaces (0005_account_erasure, then
    0006_participation), with memberships in communes, assemblies and circles (and
    invitations and switches), upgrades with every row kept on its space."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from convergence.models import Invitation, Membership, Space, SpaceFeature

    commune = make.commune()
    assembly = make.assembly(commune)
    circle = Circle(commune_id=commune.id, name="Eau", purpose="p")
    db.session.add(circle)
    db.session.commit()
    people = [make.user() for _ in range(4)]
    make.role(people[0], "admin", commune=commune)
    make.role(people[1], "resident", assembly=assembly)
    make.role(people[2], "co_lead", circle=circle)
    db.session.add(Invitation(token="salle", space_id=assembly.space_id, role="resident"))
    db.session.add(SpaceFeature(space_id=assembly.space_id, plugin_name="mj", active=False))
    db.session.commit()
    ids = {"commune": commune.id, "assembly": assembly.id, "circle": circle.id}
    people = [person.id for person in people]
    db.session.remove()
    downgrade(revision="0006_participation")
    try:
        legacy = db.session.execute(sa.text(
            "SELECT user_id, commune_id, assembly_id, circle_id, role FROM memberships ORDER BY id")).all()
        assert [tuple(row) for row in legacy] == [
            (people[0], ids["commune"], None, None, "admin"), (people[1], None, ids["assembly"], None, "resident"),
            (people[2], None, None, ids["circle"], "co_lead")]
        # Written the old way, as the application before spaces did.
        for column, role in (("commune_id", "resident"), ("assembly_id", "facilitator"), ("circle_id", "member")):
            db.session.execute(sa.text(
                f"INSERT INTO memberships (user_id, {column}, role, created_at) VALUES (:u, :s, :r, :t)"),
                {"u": people[3], "s": ids[column.split("_")[0]], "r": role, "t": utcnow_naive()})
        db.session.execute(sa.text(
            "INSERT INTO invitations (token, circle_id, role, label, uses, revoked, created_at) "
            "VALUES ('cercle', :c, 'member', '', 0, :f, :t)"), {"c": ids["circle"], "f": False, "t": utcnow_naive()})
        db.session.execute(sa.text("INSERT INTO assembly_plugins (assembly_id, plugin_name, active) "
                                   "VALUES (:a, 'proposals', :t)"), {"a": ids["assembly"], "t": True})
        db.session.commit()
    finally:
        db.session.remove()
        upgrade(revision="heads")

    owners = {kind: db.session.get(model, ids[kind]) for kind, model in
              (("commune", Commune), ("assembly", Assembly), ("circle", Circle))}
    space_kind = {owner.space_id: kind for kind, owner in owners.items()}
    assert {s.id: s.kind for s in db.session.scalars(db.select(Space))} == space_kind
    assert {s.commune_id for s in db.session.scalars(db.select(Space))} == {ids["commune"]}
    assert db.session.get(Space, owners["circle"].space_id).parent_id == owners["commune"].space_id
    kept = {(m.user_id, space_kind[m.space_id], m.role) for m in db.session.scalars(db.select(Membership))}
    assert kept == {(people[0], "commune", "admin"), (people[1], "assembly", "resident"),
                    (people[2], "circle", "co_lead"), (people[3], "commune", "resident"),
                    (people[3], "assembly", "facilitator"), (people[3], "circle", "member")}
    invitations = {(i.token, space_kind[i.space_id]) for i in db.session.scalars(db.select(Invitation))}
    assert invitations == {("salle", "assembly"), ("cercle", "circle")}
    switches = {(f.space_id, f.plugin_name, f.active) for f in db.session.scalars(db.select(SpaceFeature))}
    assert switches == {(owners["assembly"].space_id, "mj", False), (owners["assembly"].space_id, "proposals", True)}


def utcnow_naive():
    from convergence.models.base import utcnow

    return utcnow()


def test_membership_changes_are_announced_after_their_commit_whatever_the_path(client, make):
    from convergence import hooks
    from convergence.models import Invitation, Membership

    commune = make.commune()
    assembly = make.assembly(commune)
    db.session.add(Invitation(token="salle", space_id=assembly.space_id, role="resident"))
    db.session.commit()
    person = make.user()
    seen = []

    def note(membership, change):
        # After the commit: the row is there (or, for "left", gone) when the signal comes.
        there = db.session.get(Membership, membership.id) is not None
        seen.append((change, membership.user_id, membership.space_id, membership.role, there))

    hooks.membership_changed.connect(note, weak=False)
    try:
        login(client, person)
        assert post(client, "/i/salle", {}).status_code == 302  # accepted on the invitation's page
        membership = db.session.scalar(db.select(Membership).where(Membership.user_id == person.id))
        membership.role = "facilitator"
        db.session.commit()
        db.session.add(Membership(user_id=person.id, space_id=commune.space_id, role="resident"))
        db.session.rollback()  # never committed: never announced
        db.session.delete(membership)
        db.session.commit()
    finally:
        hooks.membership_changed.receivers.clear()
    space = assembly.space_id
    assert seen == [("joined", person.id, space, "resident", True), ("role", person.id, space, "facilitator", True),
                    ("left", person.id, space, "facilitator", False)]
