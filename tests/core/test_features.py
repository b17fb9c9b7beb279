"""Plug-ins switched per space (commune, assembly, circle) on the space's « Outils » page:
data, journalled, with requirements and callbacks run by the switching POST only."""

import pytest

from convergence import hooks
from convergence.extensions import db
from convergence.features import active_plugin_names, is_active
from convergence.models import AuditEntry, Circle, SpaceFeature
from convergence.plugin_engine import Plugin
from tests.fixtures import csrf_token, login, make_test_app


def _circle(commune, name="Eau"):
    circle = Circle(commune_id=commune.id, name=name, purpose="L'eau de la commune")
    db.session.add(circle)
    db.session.commit()
    return circle


def _switch(client, url, *names):
    return client.post(url, data={"csrf_token": csrf_token(client, url), "plugin": list(names)})


def test_switching_votes_off_in_a_circle_hides_its_entry_and_404s_its_pages(client, make):
    commune = make.commune()
    circle, other = _circle(commune), _circle(commune, "Logement")
    lead = make.user()
    make.role(lead, "co_lead", circle=circle)
    login(client, lead)
    assert f"/cercles/{circle.id}/votes" in client.get(f"/cercles/{circle.id}").data.decode()
    assert client.get(f"/cercles/{circle.id}/votes").status_code == 200

    url = f"/cercles/{circle.id}/outils"
    page = client.get(url).data.decode()
    assert 'value="mj" checked' in page and 'value="needs"' not in page  # needs live in communes
    received = []
    hooks.plugin_toggled.connect(lambda space, **kw: received.append((space, kw)), weak=False)
    try:
        response = _switch(client, url, "budget")  # every box unticked but the budget's (a circle tool too)
    finally:
        hooks.plugin_toggled.receivers.clear()
    assert response.status_code == 302 and response.headers["Location"].endswith(url)

    assert db.session.get(SpaceFeature, (circle.space_id, "mj")).active is False
    shown = client.get(f"/cercles/{circle.id}").data.decode()
    assert f"/cercles/{circle.id}/votes" not in shown
    assert client.get(f"/cercles/{circle.id}/votes").status_code == 404
    assert client.get(f"/cercles/{circle.id}/votes/nouveau").status_code == 404
    # Another circle of the same commune keeps its votes.
    assert client.get(f"/cercles/{other.id}/votes").status_code == 200
    # Journalled, and announced with the space as sender.
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "plugin.switched"))
    assert (entry.commune_id, entry.target, entry.details) == (commune.id, "Eau", {"plugin": "mj", "active": False})
    assert [(space.id, kw) for space, kw in received] == [(circle.space_id, {"plugin": "mj", "active": False})]

    assert _switch(client, url, "mj", "budget").status_code == 302
    assert client.get(f"/cercles/{circle.id}/votes").status_code == 200
    actions = db.session.scalars(db.select(AuditEntry.details).where(AuditEntry.action == "plugin.switched")
                                 .order_by(AuditEntry.id)).all()
    assert [d["active"] for d in actions] == [False, True]


def test_needs_are_switched_per_commune(client, make):
    commune, neighbour = make.commune(), make.commune("Voisine")
    admin = make.user()
    make.role(admin, "admin", commune=commune)
    login(client, admin)
    assert client.get(f"/communes/{commune.slug}/besoins").status_code == 200
    page = client.get(f"/communes/{commune.slug}").data.decode()
    assert f"/communes/{commune.slug}/outils" in page
    url = f"/communes/{commune.slug}/outils"
    assert 'value="needs" checked' in client.get(url).data.decode()
    assert _switch(client, url).status_code == 302
    assert client.get(f"/communes/{commune.slug}/besoins").status_code == 404
    assert client.get(f"/communes/{commune.slug}/besoins/signaler").status_code == 404
    assert f"/communes/{commune.slug}/besoins" not in client.get(f"/communes/{commune.slug}").data.decode()
    assert client.get(f"/communes/{neighbour.slug}/besoins").status_code == 200


def test_only_the_spaces_managers_open_its_tools(client, make):
    commune = make.commune()
    assembly = make.assembly(commune)
    circle = _circle(commune)
    resident, facilitator, member, lead, admin = (make.user() for _ in range(5))
    make.role(resident, "resident", commune=commune)
    make.role(facilitator, "facilitator", commune=commune)
    make.role(member, "member", circle=circle)
    make.role(lead, "co_lead", circle=circle)
    make.role(admin, "admin", commune=commune)
    urls = {"commune": f"/communes/{commune.slug}/outils", "assembly": f"/assemblees/{assembly.id}/outils",
            "circle": f"/cercles/{circle.id}/outils"}
    expected = {resident: set(), facilitator: set(), member: set(), lead: {"circle"},
                admin: {"commune", "assembly", "circle"}}
    for person, allowed in expected.items():
        login(client, person)
        opened = {kind for kind, url in urls.items() if client.get(url).status_code == 200}
        refused = {kind for kind, url in urls.items() if client.get(url).status_code == 403}
        assert opened == allowed and refused == set(urls) - allowed, person.display_name
        client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    assert client.get(urls["circle"]).status_code == 302  # anonymous: to the login page


class _Base(Plugin):
    name, title, space_kinds = "base", "Base", ("assembly", "circle")


class _Extra(Plugin):
    name, title, space_kinds, requires, active_by_default = "extra", "Extra", ("assembly",), ("base",), False
    calls: list = []

    def on_enabled(self, space):
        self.calls.append(("on", space.kind, space.id))
        # Prepares its defaults in the switching transaction: an act of the plug-in's own.
        from convergence import audit

        audit.record("extra.prepared", commune_id=space.commune_id, target=space.title)

    def on_disabled(self, space):
        self.calls.append(("off", space.kind, space.id))


@pytest.fixture
def hand_loaded(test_database_url):
    app = make_test_app(test_database_url, PLUGINS=[])
    for cls in (_Base, _Extra):
        app.extensions["convergence.plugins"][cls.name] = cls(app)
    _Extra.calls = []
    with app.app_context():
        from tests.fixtures import Factory, _empty_all_tables

        try:
            yield app, Factory(app)
        finally:
            _empty_all_tables(app)


def test_requirements_callbacks_and_defaults(hand_loaded):
    app, make = hand_loaded
    commune = make.commune()
    assembly = make.assembly(commune)
    admin = make.user()
    make.role(admin, "admin", commune=commune)
    client = app.test_client()
    login(client, admin)
    url = f"/assemblees/{assembly.id}/outils"
    page = client.get(url).data.decode()
    # Defaults: « base » on, « extra » off; a GET writes nothing and calls nobody.
    assert 'value="base" checked' in page and 'value="extra">' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(SpaceFeature)) == 0 and _Extra.calls == []

    refused = _switch(client, url, "extra")  # without the plug-in it requires
    assert refused.status_code == 422
    assert "«\u202fExtra\u202f» a besoin que «\u202fBase\u202f» soit aussi activé." in refused.data.decode()
    assert 'value="extra" checked' in refused.data.decode()  # what the person ticked is kept
    assert db.session.scalar(db.select(db.func.count()).select_from(SpaceFeature)) == 0 and _Extra.calls == []

    assert _switch(client, url, "extra", "base").status_code == 302
    assert _Extra.calls == [("on", "assembly", assembly.space_id)]
    assert db.session.scalar(db.select(AuditEntry.target).where(AuditEntry.action == "extra.prepared")) == \
        assembly.title
    with app.app_context(), app.test_request_context():
        assert active_plugin_names(db.session.get(type(assembly), assembly.id)) == {"base", "extra"}
    assert _switch(client, url, "base").status_code == 302
    assert _Extra.calls[-1] == ("off", "assembly", assembly.space_id)
    # A kind the plug-in does not declare: not offered, never active.
    circle = _circle(commune)
    assert 'value="extra"' not in client.get(f"/cercles/{circle.id}/outils").data.decode()
    with app.app_context(), app.test_request_context():
        circle = db.session.get(Circle, circle.id)
        assert is_active(circle, "base") and not is_active(circle, "extra")


def test_hooks_skip_plugins_switched_off_in_the_space(hand_loaded):
    app, make = hand_loaded
    app.extensions["convergence.plugins"]["base"].connect_hook("circle-nav", lambda circle: [("Base", "/base")])
    commune = make.commune()
    circle = _circle(commune)
    with app.test_request_context():
        assert hooks.collect("circle-nav", circle=circle, space=circle) == [("Base", "/base")]
    db.session.add(SpaceFeature(space_id=circle.space_id, plugin_name="base", active=False))
    db.session.commit()
    with app.app_context(), app.test_request_context():  # a new request: switches read again
        circle = db.session.get(Circle, circle.id)
        assert hooks.collect("circle-nav", circle=circle, space=circle) == []
        assert hooks.collect("circle-nav", circle=circle) == [("Base", "/base")]  # unscoped: every plug-in


def test_a_vote_is_served_by_the_switch_of_its_own_space(client, make):
    """The vote's page reads its space's switch in the vote's own query: each vote with its
    assembly's or circle's switch, not another's."""
    from plugins.mj import api as mj

    commune = make.commune()
    first, second = make.assembly(commune, "Première"), make.assembly(commune, "Seconde")
    circle = _circle(commune)
    votes = {name: mj.create_vote(space, f"Question {name} ?", ["Oui", "Non"])
             for name, space in (("first", first), ("second", second), ("circle", circle))}
    db.session.add(SpaceFeature(space_id=second.space_id, plugin_name="mj", active=False))
    db.session.commit()
    served = {name: client.get(f"/votes/{vote.id}").status_code for name, vote in votes.items()}
    assert served == {"first": 200, "second": 404, "circle": 200}
    db.session.add(SpaceFeature(space_id=circle.space_id, plugin_name="mj", active=False))
    db.session.commit()
    assert client.get(f"/votes/{votes['circle'].id}").status_code == 404
    assert client.get(f"/votes/{votes['first'].id}").status_code == 200
