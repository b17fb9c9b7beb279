"""The example plug-in, installed as its own distribution and enabled, adds its page to
communes, assemblies and circles with no change to the core; its form keeps the rules every
form keeps. The fixtures (app, client, make) come from convergence's pytest11 plug-in."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext
from markupsafe import escape

from convergence.extensions import db
from convergence.models import SpaceFeature
from convergence.testing import browser_fields, login, post_twice, says_replayed, visible_text

HEADING = "Bonjour depuis le plug-in d'exemple"


@pytest.fixture
def spaces(make):
    commune = make.commune("Commune d'exemple")
    assembly = make.assembly(commune, "Assemblée d'exemple")
    from convergence.models import Circle

    circle = Circle(commune_id=commune.id, name="Cercle d'exemple", purpose="Montrer le plug-in.")
    db.session.add(circle)
    db.session.commit()
    return {"commune": commune, "assembly": assembly, "circle": circle}


def space_page(kind, space) -> str:
    return {"commune": f"/communes/{getattr(space, 'slug', '')}", "assembly": f"/assemblees/{space.id}",
            "circle": f"/cercles/{space.id}"}[kind]


def example_page(kind, space) -> str:
    return space_page(kind, space) + "/exemple"


def switch_off(space) -> None:
    """As the space's « Outils » page does: the feature switched off, as data."""
    db.session.add(SpaceFeature(space_id=space.space_id, plugin_name="example", active=False))
    db.session.commit()


def greetings():
    from convergence_example.models import Greeting

    return db.session.scalars(db.select(Greeting).order_by(Greeting.id)).all()


def french(msgid: str, **variables) -> str:
    with force_locale("fr"):
        return str(escape(babel_gettext(msgid, **variables)))


@pytest.mark.parametrize("kind", ["commune", "assembly", "circle"])
def test_the_page_appears_in_every_kind_of_space(client, spaces, kind):
    space = spaces[kind]
    assert f'href="{example_page(kind, space)}"' in client.get(space_page(kind, space)).get_data(as_text=True)
    page = client.get(example_page(kind, space))
    assert page.status_code == 200
    text = visible_text(page)
    assert HEADING in text
    assert "Aucun message pour l'instant." in text
    assert (getattr(space, "title", None) or space.name) in text


@pytest.mark.parametrize("kind", ["commune", "assembly", "circle"])
def test_its_greetings_are_listed_on_the_open_data_page(client, spaces, kind):
    space = spaces[kind]
    page = client.get(space_page(kind, space) + "/donnees-ouvertes")
    assert "Messages (JSON)" in visible_text(page)
    # An absolute address, from the configured public address.
    assert f'href="http://localhost{example_page(kind, space)}.json"' in page.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["commune", "assembly", "circle"])
def test_switched_off_in_a_space_the_page_and_its_link_go(client, spaces, kind):
    space = spaces[kind]
    switch_off(space)
    assert client.get(example_page(kind, space)).status_code == 404
    assert "/exemple" not in client.get(space_page(kind, space)).get_data(as_text=True)
    assert client.get(example_page(kind, space) + ".json").status_code == 404
    open_data = client.get(space_page(kind, space) + "/donnees-ouvertes").get_data(as_text=True)
    assert f"{example_page(kind, space)}.json" not in open_data and "Messages (JSON)" not in open_data


@pytest.mark.parametrize("kind,role", [("commune", "resident"), ("assembly", "resident"), ("circle", "member")])
def test_a_member_leaves_a_greeting_once_even_if_the_form_is_sent_twice(client, make, spaces, kind, role):
    space, member = spaces[kind], make.user("Dominique")
    make.role(member, role, **{kind: space})
    login(client, member)
    url = example_page(kind, space)
    first, second = post_twice(client, url, url, {"message": "  Bonjour   à toutes et à tous  "})
    assert first.status_code == 302
    assert says_replayed(second)
    [greeting] = greetings()
    assert greeting.message == "Bonjour à toutes et à tous" and greeting.author_id == member.id
    assert (greeting.assembly_id, greeting.circle_id) == {
        "commune": (None, None), "assembly": (space.id, None), "circle": (None, space.id)}[kind]
    assert "Bonjour à toutes et à tous — Dominique" in visible_text(client.get(url))
    exported = client.get(url + ".json").get_json()
    assert [g["message"] for g in exported] == ["Bonjour à toutes et à tous"]


def test_greetings_stay_in_their_own_space(client, make, spaces):
    member = make.user()
    make.role(member, "resident", commune=spaces["commune"])
    login(client, member)
    url = example_page("assembly", spaces["assembly"])
    assert client.post(url, data={"message": "Dans l'assemblée", **browser_fields(client, url)}).status_code == 302
    assert "Dans l'assemblée" not in visible_text(client.get(example_page("commune", spaces["commune"])))
    assert "Dans l'assemblée" not in visible_text(client.get(example_page("circle", spaces["circle"])))


def test_someone_outside_the_space_cannot_greet(client, make, spaces):
    url = example_page("circle", spaces["circle"])
    fields = browser_fields(client, url)
    assert client.post(url, data={"message": "Anonyme", **fields}).status_code == 401
    login(client, make.user())
    page = client.get(url).get_data(as_text=True)
    assert 'name="message"' not in page  # no form offered to someone who may not use it
    assert client.post(url, data={"message": "Intrus", **browser_fields(client, url)}).status_code == 403
    assert greetings() == []


def test_a_form_without_its_csrf_token_is_refused(client, make, spaces):
    member = make.user()
    make.role(member, "member", circle=spaces["circle"])
    login(client, member)
    response = client.post(example_page("circle", spaces["circle"]), data={"message": "Sans jeton"})
    assert 400 <= response.status_code < 500
    assert greetings() == []


@pytest.mark.parametrize("typed,message", [("   ", "Write a few words."), ("x" * 281, "At most %(max)d characters.")])
def test_bad_input_is_said_on_the_same_page_with_what_was_typed(client, make, spaces, typed, message):
    member = make.user()
    make.role(member, "resident", commune=spaces["commune"])
    login(client, member)
    url = example_page("commune", spaces["commune"])
    response = client.post(url, data={"message": typed, **browser_fields(client, url)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert french(message, max=280) in page
    assert HEADING in visible_text(response)  # the page itself, not an error page
    assert f'value="{typed}"' in page  # what was typed is kept
    assert greetings() == []


def test_the_branch_migration_builds_what_the_model_says(app):
    from convergence_example.models import Greeting

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)

    def concerns_the_example(difference) -> bool:
        return "example_greetings" in repr(difference)

    assert Greeting.__table__.name == "example_greetings"
    assert [d for d in differences if concerns_the_example(d)] == []
