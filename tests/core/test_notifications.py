"""Mail when a vote or a consent round opens to a person who asked for it (issue 14, item 3):
opt-in on the profile, sent as deferred work after the commit, once per person and
opening, with a one-click unsubscribe link built from PUBLIC_URL that works without
logging in and does no harm when used twice."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convergence import tasks
from convergence.extensions import db
from convergence.models import Circle, CircleRequest
from convergence.models.base import utcnow
from convergence.models.notifications import NotificationPreference, NotificationSent
from convergence.notifications import mails, preferences
from convergence.notifications.unsubscribe import token_for
from tests.fixtures import csrf_token, login, visible_text

UNSUBSCRIBE = re.compile(r"http://localhost/courriels/arret/\S+")


def outbox(app):
    return app.extensions.setdefault("convergence.outbox", [])


def mails_to(app, address):
    return [m for m in outbox(app) if m["To"] == address]


def people(make, commune):
    asked, silent, stranger = make.user("Ada"), make.user("Bruno"), make.user("Chloé")
    for person in (asked, silent):
        make.role(person, "resident", commune=commune)
    preferences.set_openings(asked.id, True)
    preferences.set_openings(stranger.id, True)  # wants mail, but not of this commune
    db.session.commit()
    return asked, silent, stranger


def test_the_preference_is_off_until_the_person_turns_it_on_from_their_profile(client, make):
    me = make.user("Ada")
    login(client, me)
    assert 'href="/compte/courriels"' in client.get("/compte/profil").get_data(as_text=True)
    page = client.get("/compte/courriels")
    assert "Courriels" in visible_text(page) and "checked" not in page.get_data(as_text=True)
    assert not preferences.wants_openings(me.id)
    response = client.post("/compte/courriels", data={"openings": "y",
                                                      "csrf_token": csrf_token(client, "/compte/courriels")})
    assert response.status_code == 302
    assert preferences.wants_openings(me.id)
    assert "checked" in client.get("/compte/courriels").get_data(as_text=True)
    # Without the CSRF token nothing changes.
    client.post("/compte/courriels", data={})
    assert preferences.wants_openings(me.id)


def test_a_vote_opening_mails_those_who_asked_once_with_an_unsubscribe_link(app, make):
    from plugins.mj import api

    commune = make.commune("Belleville")
    assembly = make.assembly(commune, title="Assemblée de printemps")
    asked, silent, stranger = people(make, commune)
    vote = api.create_vote(assembly, "Quel jour pour le marché ?", ["Samedi", "Dimanche"],
                           closes_at=utcnow() + timedelta(days=7))
    assert mails_to(app, asked.email) == []  # created, not open yet
    api.open_vote(vote)  # phase-changed → the task, deferred after the commit …
    db.session.commit()  # … and run in-process once the request's transaction ends

    [message] = mails_to(app, asked.email)
    assert mails_to(app, silent.email) == [] and mails_to(app, stranger.email) == []
    body = message.get_content()
    assert message["Subject"] == "Un vote est ouvert\u202f: Quel jour pour le marché ?"
    assert "Bonjour Ada," in body
    assert "Assemblée de printemps" in body and "« Quel jour pour le marché ? »" in body.replace("\u202f", " ")
    assert f"http://localhost/votes/{vote.id}" in body  # from PUBLIC_URL
    assert "Il se ferme le" in body
    assert UNSUBSCRIBE.search(body)

    # The task run again (a retry, a second worker): nobody is mailed twice.
    count = len(outbox(app))
    assert mails.mail_opening.call_local("mj.vote", vote.id) == 0
    assert len(outbox(app)) == count
    assert db.session.scalar(db.select(db.func.count()).select_from(NotificationSent)) == 1


def test_the_unsubscribe_link_works_without_login_and_twice(app, client, make):
    from plugins.mj import api

    commune = make.commune()
    assembly = make.assembly(commune)
    asked, _silent, _stranger = people(make, commune)
    vote = api.create_vote(assembly, "Q ?", ["A", "B"])
    api.open_vote(vote)
    db.session.commit()
    link = UNSUBSCRIBE.search(mails_to(app, asked.email)[0].get_content()).group(0)
    path = link.removeprefix("http://localhost")

    page = client.get(path)  # opening the link (or a mail scanner) changes nothing
    assert page.status_code == 200 and "Arrêter ces courriels" in visible_text(page)
    assert preferences.wants_openings(asked.id)
    assert "no-store" in page.headers["Cache-Control"]

    done = client.post(path)  # the button: no login, no CSRF token needed (the token is signed)
    assert done.status_code == 200 and "vous ne recevrez plus" in visible_text(done)
    assert not preferences.wants_openings(asked.id)
    again = client.post(path)  # replayed: harmless
    assert again.status_code == 200 and not preferences.wants_openings(asked.id)
    assert db.session.scalar(db.select(db.func.count()).select_from(NotificationPreference)
                             .where(NotificationPreference.user_id == asked.id)) == 1
    assert "vous ne recevez aucun courriel" in visible_text(client.get(path))

    # The next vote mails nobody who said stop.
    other = api.create_vote(assembly, "Q2 ?", ["A", "B"])
    api.open_vote(other)
    db.session.commit()
    assert len(mails_to(app, asked.email)) == 1


def test_a_forged_or_another_persons_token_changes_nothing(client, make):
    commune = make.commune()
    asked, silent, _stranger = people(make, commune)
    forged = token_for(asked.id)[:-2] + "xx"
    assert client.post(f"/courriels/arret/{forged}").status_code == 404
    assert client.get("/courriels/arret/n'importe-quoi").status_code == 404
    assert preferences.wants_openings(asked.id)
    # Bruno's link stops Bruno's mails only.
    client.post(f"/courriels/arret/{token_for(silent.id)}")
    assert preferences.wants_openings(asked.id)


def test_a_consent_round_opening_mails_the_people_it_asks(app, make):
    from plugins.proposals import consent, drafting
    from plugins.proposals.models import DISCUSSION, ROUND_ASYNC

    commune = make.commune("Belleville")
    assembly = make.assembly(commune, title="Assemblée de printemps")
    asked, silent, stranger = people(make, commune)
    proposal = drafting.create(assembly, silent, "Un jardin partagé", "Le texte.")
    drafting.record_status(proposal, DISCUSSION, silent)
    db.session.commit()
    consent.open_round(proposal, silent, ROUND_ASYNC, utcnow() + timedelta(days=3))
    assert mails_to(app, asked.email) == []  # not before the commit
    db.session.commit()
    [message] = mails_to(app, asked.email)
    assert message["Subject"].startswith("Un tour de consentement est ouvert")
    body = message.get_content()
    assert "Un jardin partagé" in body and f"http://localhost/propositions/{proposal.id}" in body
    assert mails_to(app, stranger.email) == []


def test_a_round_rolled_back_mails_nobody(app, make):
    from plugins.proposals import consent, drafting
    from plugins.proposals.models import DISCUSSION, ROUND_ASYNC

    commune = make.commune()
    assembly = make.assembly(commune)
    asked, silent, _stranger = people(make, commune)
    proposal = drafting.create(assembly, silent, "Un jardin", "Le texte.")
    drafting.record_status(proposal, DISCUSSION, silent)
    db.session.commit()
    consent.open_round(proposal, silent, ROUND_ASYNC, utcnow() + timedelta(days=3))
    db.session.rollback()
    tasks.run_scheduled()
    assert mails_to(app, asked.email) == []


def test_a_request_to_join_a_circle_mails_its_members_not_the_person(app, make):
    commune = make.commune()
    member, newcomer = make.user("Ada"), make.user("Nina")
    circle = Circle(commune_id=commune.id, name="Eau", purpose="L'eau")
    db.session.add(circle)
    db.session.commit()
    make.role(member, "member", circle=circle)
    for person in (member, newcomer):
        preferences.set_openings(person.id, True)
    db.session.commit()
    from convergence.consent import rounds

    rounds.start(CircleRequest(circle_id=circle.id, person_id=newcomer.id, request="join", message="Bonjour"),
                 newcomer, "async", utcnow() + timedelta(days=14))
    db.session.commit()
    [message] = mails_to(app, member.email)
    assert "Nina demande à entrer" in message.get_content() and "Eau" in message.get_content()
    assert mails_to(app, newcomer.email) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.one_of(st.text(min_size=1, max_size=200), st.from_regex(r"[A-Za-z0-9_.-]{1,120}", fullmatch=True)))
def test_any_other_token_is_refused_and_changes_nothing(client, make, token):
    from convergence.models import User

    asked = db.session.scalar(db.select(User).where(User.email == "asked@example.org"))
    if asked is None:  # the first example (the database is kept between examples)
        asked = make.user("Ada", email="asked@example.org")
        preferences.set_openings(asked.id, True)
        db.session.commit()
    assume(token != token_for(asked.id))
    for method in (client.get, client.post):
        response = method(f"/courriels/arret/{quote(token, safe='')}")
        # 404 for a token that is not ours; 400 for what no URL may hold (control characters).
        assert 400 <= response.status_code < 500, (token, response.status_code)
    assert preferences.wants_openings(asked.id)
