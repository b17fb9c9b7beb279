"""Votes of a thematic circle: created and run by the circle's facilitators, cast by its
members (or the whole commune, or code holders), announced on the circle's live channel."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from convergence.extensions import db
from convergence.models import Circle
from convergence.models.base import utcnow
from plugins.mj import api
from plugins.mj.models import Participation, Vote
from tests.fixtures import browser_fields, login

from .conftest import logout, option_ids, post_action, post_ballot, recorded


@pytest.fixture
def circle_room(make, room):
    """The room's commune gets a circle: a co-lead, two members; the room's people stay around
    (members[1] has a role in the commune, members[0] only in the assembly)."""
    circle = Circle(commune_id=room.commune.id, name="Jardins", purpose="Les jardins partagés")
    db.session.add(circle)
    db.session.commit()
    lead = make.user("Alix")
    make.role(lead, "co_lead", circle=circle)
    members = [make.user("Bao"), make.user("Chloé")]
    for person in members:
        make.role(person, "member", circle=circle)
    return room, circle, lead, members


def circle_vote(circle, lead, **kwargs) -> Vote:
    kwargs.setdefault("opens_at", utcnow())
    return api.create_vote(circle=circle, question=kwargs.pop("question", "Quelles graines ?"),
                           options=["Tomates", "Courges", "Haricots"], created_by=lead, **kwargs)


def test_create_vote_close_and_results_in_a_circle(app, client, circle_room, monkeypatch):
    from convergence import live

    in_circle = []
    monkeypatch.setattr(live, "publish", lambda *args: in_circle.append(args))
    room, circle, lead, members = circle_room
    login(client, lead)
    assert client.get(f"/cercles/{circle.id}/votes").status_code == 200
    url = f"/cercles/{circle.id}/votes/nouveau"
    page = client.get(url)
    assert page.status_code == 200 and 'value="commune"' in page.data.decode()
    response = client.post(url, data={
        **browser_fields(client, url), "question": "Quelles graines ?",
        "options": "Tomates\nCourges\nHaricots", "scale": "mj7", "voters": "members", "start": "later",
    })
    assert response.status_code == 302, response.data[:2000]
    vote = db.session.scalar(db.select(Vote))
    assert vote.circle_id == circle.id and vote.assembly_id is None and vote.space is vote.circle
    tomatoes, squash, beans = option_ids(vote)

    shown = client.get(f"/votes/{vote.id}").data.decode()
    assert f'href="/cercles/{circle.id}"' in shown and f'href="/cercles/{circle.id}/votes"' in shown
    assert client.get(f"/cercles/{circle.id}/votes").data.decode().count(f"/votes/{vote.id}") >= 1
    assert post_action(client, vote.id, "ouvrir").status_code == 302
    logout(client)

    for person, grades in zip(members, ({tomatoes: 6, squash: 3, beans: 1}, {tomatoes: 5, squash: 4, beans: 0})):
        login(client, person)
        recorded(post_ballot(client, vote.id, grades))
        logout(client)
    login(client, lead)
    recorded(post_ballot(client, vote.id, {tomatoes: 6, squash: 2, beans: 2}))
    assert client.get(f"/votes/{vote.id}/resultats").status_code == 200
    assert post_action(client, vote.id, "fermer").status_code == 302

    results = client.get(f"/votes/{vote.id}/resultats")
    page = results.data.decode()
    assert results.status_code == 200 and f'data-live-url="/cercles/{circle.id}/direct"' in page
    events = re.search(r'data-live-events="([^"]+)"', page).group(1).split()
    assert {"mj.vote.opened", "mj.vote.closed", "mj.vote.results", "mj.vote.ballot"} <= set(events)
    projector = client.get(f"/votes/{vote.id}/projection").data.decode()
    assert f'data-live-url="/cercles/{circle.id}/direct"' in projector
    assert f'href="/cercles/{circle.id}"' in page
    db.session.expire_all()
    outcome = api.results_for(db.session.get(Vote, vote.id))
    assert [r.option.label for r in outcome.ranking] == ["Tomates", "Courges", "Haricots"]
    assert outcome.online_ballots == 3
    for path in ("/projection", "/registre", "/feuille", "/depouillement-papier", "/resultats.json"):
        assert client.get(f"/votes/{vote.id}{path}").status_code == 200, path
    # Everything went to the circle's channel, nothing to an assembly's.
    from convergence.live import channel

    assert {channel(space) for space, _e, _d in in_circle} == {f"space:{circle.space_id}"}
    names = [event for _circle, event, _data in in_circle]
    assert names[0] == "mj.vote.opened" and names.count("mj.vote.closed") == 1
    assert "mj.vote.results" in names[names.index("mj.vote.closed"):]
    assert "mj.vote.ballot" in names  # the first ballot is announced at once (then at most once a second)
    assert all(d == {"vote_id": vote.id} for _c, _e, d in in_circle)


def test_the_circle_page_links_to_its_votes(app, client, circle_room):
    room, circle, lead, members = circle_room
    vote = circle_vote(circle, lead)
    page = client.get(f"/cercles/{circle.id}").data.decode()
    # The circle's navigation links to its votes; the panel lists the open one.
    assert f'<li><a href="/cercles/{circle.id}/votes">Votes</a></li>' in page
    assert "Votes ouverts en ce moment" in page
    assert f'<li><a href="/votes/{vote.id}">Quelles graines ?</a></li>' in page
    api.close_vote(vote)
    page = client.get(f"/cercles/{circle.id}").data.decode()
    assert "Votes ouverts en ce moment" not in page and f'href="/votes/{vote.id}"' not in page


def test_non_members_are_refused(app, client, circle_room):
    room, circle, lead, members = circle_room
    vote = circle_vote(circle, lead)
    grades = {i: 3 for i in option_ids(vote)}
    # Outsiders, and people of the commune or of an assembly who are not in the circle.
    for person in (room.outsider, room.members[0], room.members[1], room.facilitator):
        login(client, person)
        assert post_ballot(client, vote.id, grades).status_code == 403, person.display_name
        assert client.get(f"/votes/{vote.id}/bulletin").status_code == 403
        logout(client)
    # A circle member may vote, not create nor run votes.
    login(client, members[0])
    assert client.get(f"/cercles/{circle.id}/votes/nouveau").status_code == 403
    assert post_action(client, vote.id, "fermer").status_code == 403
    assert "/votes/nouveau" not in client.get(f"/cercles/{circle.id}/votes").data.decode()
    logout(client)
    # An assembly facilitator is not the circle's facilitator.
    login(client, room.facilitator)
    assert client.get(f"/cercles/{circle.id}/votes/nouveau").status_code == 403
    logout(client)
    anonymous = client.get(f"/cercles/{circle.id}/votes/nouveau")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/compte/connexion?next=")
    assert db.session.scalar(db.select(sa.func.count()).select_from(Participation)) == 0


def test_commune_wide_vote(app, client, make, circle_room):
    room, circle, lead, members = circle_room
    vote = circle_vote(circle, lead, voters="commune")
    grades = {i: 4 for i in option_ids(vote)}
    commune_facilitator = make.user("Dana")
    make.role(commune_facilitator, "facilitator", commune=room.commune)
    # A role in the commune (members[1]: resident), or in the circle: eligible.
    for person in (room.members[1], commune_facilitator, members[0]):
        login(client, person)
        recorded(post_ballot(client, vote.id, grades))
        logout(client)
    # A role in one of the commune's assemblies only, or none: not eligible.
    for person in (room.members[0], room.outsider):
        login(client, person)
        assert post_ballot(client, vote.id, grades).status_code == 403, person.display_name
        logout(client)
    # The commune's facilitators facilitate its circles.
    login(client, commune_facilitator)
    assert post_action(client, vote.id, "fermer").status_code == 302
    db.session.expire_all()
    assert api.results_for(db.session.get(Vote, vote.id)).online_ballots == 3


def test_code_holders_in_a_circle(app, client, circle_room):
    room, circle, lead, members = circle_room
    vote = circle_vote(circle, lead, voters="codes")
    code = api.create_codes(vote, 1)[0].code
    assert client.get(f"/votes/{vote.id}/code?c={code}").status_code == 302
    recorded(post_ballot(client, vote.id, {i: 1 for i in option_ids(vote)}))


def test_a_vote_belongs_to_an_assembly_or_a_circle(app, circle_room):
    room, circle, lead, members = circle_room
    with pytest.raises(TypeError):
        api.create_vote(room.assembly, "Q", ["A", "B"], circle=circle)
    with pytest.raises(TypeError):
        api.create_vote(None, "Q", ["A", "B"])
    with app.test_request_context(), pytest.raises(api.VoteDefinitionError):
        api.create_vote(room.assembly, "Q", ["A", "B"], voters="commune")
    assert api.create_vote(circle, "Q", ["A", "B"]).circle_id == circle.id  # a circle as first argument
    # The database itself refuses both and neither.
    for assembly_id, circle_id in ((room.assembly.id, circle.id), (None, None)):
        db.session.add(Vote(assembly_id=assembly_id, circle_id=circle_id, question="Q", description="",
                            scale="mj7", n_grades=7, voters="members", live_results=False,
                            announced="draft"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_user_data_names_the_circle(app, client, circle_room):
    from convergence import hooks

    room, circle, lead, members = circle_room
    vote = circle_vote(circle, lead)
    login(client, members[0])
    post_ballot(client, vote.id, {i: 2 for i in option_ids(vote)})
    with app.test_request_context():
        data = [d for d in hooks.collect("user-data", user=members[0]) if "mj_participations" in d]
    assert data == [{"mj_participations": [
        {"vote_id": vote.id, "question": vote.question, "assembly_id": None, "circle_id": circle.id}]}]


def test_circle_vote_pages_stay_cheap(app, client, circle_room):
    from .test_queries import statements

    room, circle, lead, members = circle_room
    vote = circle_vote(circle, lead, voters="commune")
    login(client, members[0])
    for page in (f"/votes/{vote.id}", f"/votes/{vote.id}/bulletin", f"/votes/{vote.id}/resultats"):
        assert statements(app, client, page) <= 12, page
    assert statements(app, client, f"/cercles/{circle.id}/votes") <= 8


def test_edit_a_circle_vote_before_it_opens(app, client, circle_room):
    room, circle, lead, members = circle_room
    vote = circle_vote(circle, lead, opens_at=None, voters="commune")
    login(client, lead)
    url = f"/votes/{vote.id}/modifier"
    form = client.get(url)
    page = form.data.decode()
    assert form.status_code == 200, page
    commune_choice = re.search(r'<input[^>]*value="commune"[^>]*>', page)
    assert commune_choice and "checked" in commune_choice.group()
    response = client.post(url, data={
        **browser_fields(client, url), "question": "Quelles graines semer ?",
        "options": "Tomates\nCourges", "scale": "mj5", "voters": "members", "start": "later",
    })
    assert response.status_code == 302, response.data[:2000]
    db.session.expire_all()
    vote = db.session.get(Vote, vote.id)
    assert vote.voters == "members" and vote.circle_id == circle.id and len(vote.options) == 2


def test_circle_vote_events_reach_the_circles_stream(app, circle_room):
    """End to end on the in-process broker: a page listening to /cercles/<id>/direct hears
    the close of the circle's vote and the new results."""
    room, circle, lead, members = circle_room
    vote = circle_vote(circle, lead)
    response = app.test_client().get(f"/cercles/{circle.id}/direct", buffered=False)
    chunks = response.response
    assert next(chunks).startswith(b"retry:")
    with app.test_request_context():
        api.close_vote(db.session.get(Vote, vote.id))
    assert next(chunks) == b'event: mj.vote.closed\ndata: {"vote_id": %d}\n\n' % vote.id
    assert next(chunks) == b'event: mj.vote.results\ndata: {"vote_id": %d}\n\n' % vote.id
    response.close()
