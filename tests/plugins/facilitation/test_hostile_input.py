"""Bad input on every form and address of live facilitation: NUL and other control
characters, 10^5 characters, numbers beyond 2^31 and 2^63, negative, written with
Arabic-Indic or full-width digits or « ² », unknown choices, ids of another item or another
assembly, the same form sent twice. Each is refused with a 4xx (never a 5xx), in French, and
writes nothing: the row counts of the plug-in's tables, the consent rounds' and the votes'
are the same before and after (a form sent twice: as after one).

Each form's test sends the browser's valid data with one field replaced by a hostile value,
so the refusal is that value's. Hypothesis draws the field and the value; the fixtures are
built once per test and reused by its examples (nothing they send is ever written).
test_hostile_numbers.py covers the « Outils » settings and the floor's request number."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import AgendaItem
from convergence.testing import browser_fields, login, post_twice, says_replayed, visible_text

from .conftest import french, switch

from convergence.testing import hostile as hostile_checks
from convergence.testing.hostile import BAD_NUMBER, BAD_TEXT, BLANK, CONTROL, HUGE, hostile, unknown  # noqa: F401

BAD_NUMBER = st.one_of(BAD_NUMBER, st.just(""))  # an empty number is refused here too


def cases(fields: dict):
    """(field, hostile value) pairs drawn from ``fields``: name → strategy."""
    return st.sampled_from(sorted(fields)).flatmap(lambda name: st.tuples(st.just(name), fields[name]))


# -- what every refusal must be -------------------------------------------------------------
WATCHED = ("facilitation_", "consent_", "mj_", "ballot_", "form_submissions")


def rows() -> dict:
    """The number of rows of each watched table."""
    return hostile_checks.row_counts(WATCHED)


def refused_in_french(response, before: dict, *, kept: str | None = None) -> str:
    return hostile_checks.refused_in_french(response, before, WATCHED, kept=kept)


def send(client, url: str, data: dict, page: str, **options):
    return client.post(url, data={**data, **browser_fields(client, page)}, **options)


def person(app, user):
    client = app.test_client()
    login(client, user)
    return client


@pytest.fixture
def elsewhere(make, meeting):
    """Another assembly, with an agenda item and a waiting request: ids of elsewhere."""
    from plugins.facilitation import speakers

    other = make.assembly(meeting.commune, "Assemblée voisine", status="open")
    item = AgendaItem(assembly_id=other.id, position=0, title="Point d'ailleurs")
    db.session.add(item)
    db.session.commit()
    stranger = make.user("Voisine")
    make.role(stranger, "facilitator", assembly=other)
    their_request = speakers.ask(other, item, meeting.people[0], "intervention", None)
    db.session.commit()
    return {"item": item.id, "request": their_request.id, "person": stranger.id}


def base(meeting) -> str:
    return f"/assemblees/{meeting.assembly.id}"


def item_url(meeting, item=None) -> str:
    return f"{base(meeting)}/ordre-du-jour/{(item or meeting.item).id}"


def with_lists(meeting) -> None:
    from convergence.space_settings import write_settings

    write_settings(meeting.assembly, "facilitation", {"lists": "alternate", "list_names": "Commercy, Saillans"})
    db.session.commit()


# -- asking to speak, adding a name ---------------------------------------------------------
@pytest.fixture
def asking(app, meeting):
    with_lists(meeting)
    return meeting, person(app, meeting.people[0])


@hostile
@given(case=cases({"kind": unknown("intervention", "reply", "procedure"),
                   "group": unknown("Commercy", "Saillans").filter(lambda v: v.strip())}))
@example(case=("group", "commercy"))
@example(case=("kind", "١"))
def test_asking_to_speak_refuses_hostile_input(asking, case):
    meeting, client = asking
    name, value = case
    before = rows()
    data = {"kind": "intervention", "group": "Commercy", name: value}
    refused_in_french(send(client, f"{item_url(meeting)}/parole/demander", data, meeting.list_url()), before)


@pytest.fixture
def console(app, meeting):
    with_lists(meeting)
    return meeting, person(app, meeting.facilitator)


@hostile
@given(case=cases({"name": st.one_of(BLANK, BAD_TEXT, st.just("n" * 81)),
                   "kind": unknown("intervention", "reply", "procedure"),
                   "group": unknown("Commercy", "Saillans").filter(lambda v: v.strip())}))
def test_adding_a_name_refuses_hostile_input(console, case):
    meeting, client = console
    name, value = case
    before = rows()
    data = {"name": "Jeanne Perrin", "kind": "intervention", "group": "Saillans", name: value}
    refused_in_french(send(client, f"{item_url(meeting)}/parole/ajouter", data, meeting.console), before,
                      kept=None if name == "name" else "Jeanne Perrin")


@pytest.mark.parametrize("letters", ["ß", "ﬃ", "İ"])
def test_a_name_its_case_folding_lengthens_is_written_once(console, letters):
    """« ß » folds to « ss », « ﬃ » to « ffi »: a name of the longest length allowed must
    still give a key that fits its column (PostgreSQL refuses a longer one: a 500)."""
    from plugins.facilitation.models import NAME_MAX, PERSON_MAX, SpeakingRequest
    from plugins.facilitation.speakers import person_of_name

    meeting, client = console
    typed = letters * NAME_MAX
    url = f"{item_url(meeting)}/parole/ajouter"
    assert send(client, url, {"name": typed, "kind": "intervention"}, meeting.console).status_code == 302
    before = rows()
    again = send(client, url, {"name": typed, "kind": "reply"}, meeting.console)
    refused_in_french(again, before)
    assert again.status_code == 409
    [row] = db.session.scalars(db.select(SpeakingRequest)).all()
    assert row.name == typed and row.state == "waiting"
    # The same name, the same key; two long names that start alike, two keys.
    assert row.person == person_of_name(typed) and len(row.person) <= PERSON_MAX
    assert person_of_name(typed[:-1] + "t") != row.person


# -- addresses: another assembly's items and requests, numbers no browser sends --------------
ADDRESS_NUMBERS = [str(2**31), str(2**63), str(2**63 + 1), "١", "²", "-1", "0", "１"]


def test_ids_of_another_assembly_or_no_number_are_not_found(app, meeting, elsewhere):
    client = person(app, meeting.facilitator)
    before = rows()
    theirs = f"{base(meeting)}/ordre-du-jour/{elsewhere['item']}"
    pages = [f"{theirs}/parole", f"{theirs}/notes", f"{theirs}/consentement"]
    pages += [f"{base(meeting)}/ordre-du-jour/{n}/parole" for n in ADDRESS_NUMBERS]
    pages += [f"/assemblees/{n}/compte-rendu" for n in ADDRESS_NUMBERS]
    pages += [f"{item_url(meeting)}/parole/{elsewhere['request']}/enlever"]
    pages += [f"{item_url(meeting)}/parole/{n}/enlever" for n in ADDRESS_NUMBERS]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 404, url
        text = refused_in_french(response, before)
        assert "Page introuvable" in text or french("This agenda item does not exist in this assembly.") in text, url
    posts = [f"{theirs}/parole/donner", f"{theirs}/parole/ajouter", f"{theirs}/parole/fermer", f"{theirs}/vote",
             f"{theirs}/consentement/ouvrir", f"{theirs}/notes", f"{theirs}/parole/minuteur/start",
             f"{item_url(meeting)}/parole/{elsewhere['request']}/enlever"]
    for url in posts:
        response = send(client, url, {"name": "Jeanne", "kind": "intervention", "options": "Oui\nNon",
                                      "body": "Notes"}, meeting.console)
        assert response.status_code == 404, url
        refused_in_french(response, before)


@hostile
@given(typed=st.one_of(BAD_NUMBER, CONTROL).filter(bool))  # none at all: the floor to the first in order
def test_giving_the_floor_to_a_request_of_elsewhere_refuses_and_the_speaker_keeps_it(console, elsewhere, typed):
    """Another assembly's waiting request, or no number: refused; the turn being spoken goes on."""
    from plugins.facilitation import speakers
    from plugins.facilitation.models import SpeakingRequest

    meeting, client = console
    if speakers.speaking(meeting.item.id) is None:
        speakers.ask(meeting.assembly, meeting.item, meeting.people[1], "intervention", None)
        speakers.give_floor(meeting.assembly, meeting.item)
        speakers.ask(meeting.assembly, meeting.item, meeting.people[2], "intervention", None)
        db.session.commit()
    before = rows()
    url = f"{item_url(meeting)}/parole/donner"
    for sent in (typed, str(elsewhere["request"])):
        refused_in_french(send(client, url, {"request_id": sent}, meeting.console), before)
    states = dict(db.session.execute(db.select(SpeakingRequest.name, SpeakingRequest.state)).all())
    assert states == {"Bao": "speaking", "Chloé": "waiting", "Alix": "waiting"}  # Alix: elsewhere


# -- the minutes: notes, note-takers ----------------------------------------------------------
@pytest.fixture
def notes(app, meeting):
    from plugins.facilitation import minutes

    minutes.save_notes(meeting.assembly, meeting.item, meeting.facilitator, "Déjà écrit", "- Déjà décidé")
    db.session.commit()
    return meeting, person(app, meeting.facilitator)


@hostile
@given(case=cases({"body": st.one_of(BAD_TEXT, st.just("n" * 20_001)),
                   "decisions": st.one_of(BAD_TEXT, st.just("d" * 5_001))}))
def test_the_notes_refuse_hostile_input_and_keep_what_was_written(notes, case):
    from plugins.facilitation.models import ItemNotes

    meeting, client = notes
    name, value = case
    before = rows()
    url = f"{item_url(meeting)}/notes"
    data = {"body": "La cantine passe en bio.", "decisions": "- Adopté", name: value}
    refused_in_french(send(client, url, data, url), before,
                      kept="La cantine passe en bio." if name != "body" else "- Adopté")
    db.session.expire_all()
    kept = db.session.get(ItemNotes, meeting.item.id)
    assert (kept.body, kept.decisions) == ("Déjà écrit", "- Déjà décidé")


def test_pinned_french_messages_of_the_notes(notes):
    meeting, client = notes
    before = rows()
    url = f"{item_url(meeting)}/notes"
    text = refused_in_french(send(client, url, {"body": "n" * 100_000, "decisions": ""}, url), before)
    assert french("At most %(max)d characters.", max=20000) in text
    text = refused_in_french(send(client, url, {"body": "Notes\x00", "decisions": ""}, url), before)
    assert "caractère de contrôle invisible" in text


@pytest.fixture
def naming(app, meeting, elsewhere):
    from plugins.facilitation import minutes

    minutes.set_note_taker(meeting.assembly, meeting.people[1].id, True)
    db.session.commit()
    return meeting, person(app, meeting.facilitator), elsewhere


@hostile
@given(data=st.data())
def test_naming_a_note_taker_refuses_hostile_input(naming, data):
    from plugins.facilitation.models import NoteTaker

    meeting, client, elsewhere = naming
    name, value = data.draw(cases({
        "user_id": st.one_of(BAD_NUMBER, CONTROL, st.sampled_from([str(elsewhere["person"]), str(2**31 - 1)])),
        "named": unknown("0", "1")}))
    url = f"{base(meeting)}/compte-rendu/prise-de-notes"
    sent = {"user_id": str(meeting.people[1].id), "named": "0", name: value}
    before = rows()
    text = refused_in_french(send(client, url, sent, url), before)
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value):
        assert "caractère de contrôle invisible" in text  # the core's gate, before the page
    elif name == "user_id":
        assert french("Choose one of the people of the assembly.") in text
    else:
        assert french("This form cannot be read: reload the page.") in text
    assert db.session.scalars(db.select(NoteTaker.user_id)).all() == [meeting.people[1].id]


# -- the decisions: a vote, a consent round ---------------------------------------------------
@pytest.fixture
def voting(app, meeting):
    return meeting, person(app, meeting.facilitator)


@hostile
@given(options=st.one_of(BLANK, BAD_TEXT, st.just("Une seule"), st.just("A\n" + "b" * 201),
                         st.just("\n".join(f"Option {n}" for n in range(21))), st.just("Oui\n\n oui \nOui")))
def test_opening_a_vote_refuses_hostile_options(voting, options):
    meeting, client = voting
    before = rows()
    refused_in_french(send(client, f"{item_url(meeting)}/vote", {"options": options}, meeting.console), before)


@pytest.fixture
def answering(app, meeting):
    from plugins.facilitation import item_rounds

    with app.test_request_context():
        item_rounds.open_on(meeting.assembly, meeting.item, meeting.facilitator)
        db.session.commit()
    return meeting, person(app, meeting.people[0])


@hostile
@given(case=cases({"answer": unknown("consent", "objection", "stand_aside"),
                   "reason": st.one_of(CONTROL, st.just("r" * 2001), st.just("r" * 100_000))}))
def test_answering_a_consent_round_refuses_hostile_input(answering, case):
    meeting, client = answering
    name, value = case
    data = {"answer": "objection", "reason": "Trop cher pour la commune", name: value}
    before = rows()
    page = f"{item_url(meeting)}/consentement"
    refused_in_french(send(client, f"{page}/repondre", data, page), before,
                      kept=None if name == "reason" else "Trop cher pour la commune")


# -- the same form sent twice -----------------------------------------------------------------
def test_a_name_added_twice_is_on_the_list_once(console):
    from plugins.facilitation.models import SpeakingRequest

    meeting, client = console
    first, second = post_twice(client, meeting.console, f"{item_url(meeting)}/parole/ajouter",
                               {"name": "Jeanne Perrin", "kind": "intervention"})
    assert first.status_code == 302 and says_replayed(second)
    assert [r.name for r in db.session.scalars(db.select(SpeakingRequest))] == ["Jeanne Perrin"]


def test_asking_twice_puts_one_request_on_the_list(app, meeting):
    from plugins.facilitation.models import SpeakingRequest

    client = person(app, meeting.people[0])
    data = {"kind": "intervention", **browser_fields(client, meeting.list_url())}
    url = f"{item_url(meeting)}/parole/demander"
    assert client.post(url, data=data).status_code == 302
    before = rows()
    text = refused_in_french(client.post(url, data=data), before)
    assert french("You are already on the speaking list.") in text
    assert [r.name for r in db.session.scalars(db.select(SpeakingRequest))] == ["Alix"]


def test_opening_a_consent_round_twice_opens_one(voting):
    from plugins.facilitation.models import ItemRound

    meeting, client = voting
    data = browser_fields(client, meeting.console)
    url = f"{item_url(meeting)}/consentement/ouvrir"
    assert client.post(url, data=data).status_code == 302
    before = rows()
    text = refused_in_french(client.post(url, data=data), before)
    assert french("A consent round is already open on this item.") in text
    assert len(db.session.scalars(db.select(ItemRound)).all()) == 1


def test_an_answer_sent_twice_counts_once(answering):
    from convergence.models.consent import ConsentAnswer

    meeting, client = answering
    page = f"{item_url(meeting)}/consentement"
    data = {"answer": "consent", "reason": "", **browser_fields(client, page)}
    assert client.post(f"{page}/repondre", data=data).status_code == 302
    assert client.post(f"{page}/repondre", data=data).status_code == 302  # the same answer again
    assert [a.answer for a in db.session.scalars(db.select(ConsentAnswer))] == ["consent"]


def test_notes_and_a_note_taker_sent_twice_write_one_row(notes):
    from plugins.facilitation.models import ItemNotes, NoteTaker

    meeting, client = notes
    url = f"{item_url(meeting)}/notes"
    data = {"body": "Version finale", "decisions": "", **browser_fields(client, url)}
    assert [client.post(url, data=data).status_code for _ in range(2)] == [302, 302]
    db.session.expire_all()
    assert [(n.item_id, n.body) for n in db.session.scalars(db.select(ItemNotes))] == [(meeting.item.id,
                                                                                        "Version finale")]
    takers = f"{base(meeting)}/compte-rendu/prise-de-notes"
    data = {"user_id": str(meeting.people[2].id), "named": "1", **browser_fields(client, takers)}
    assert [client.post(takers, data=data).status_code for _ in range(2)] == [302, 302]
    assert db.session.scalars(db.select(NoteTaker.user_id)).all() == [meeting.people[2].id]
