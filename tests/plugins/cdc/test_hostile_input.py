"""Issue 11 « Bad input »: every form of the Commune des Communes, sent with hostile values
(NUL and other control characters, 10^5 characters, numbers beyond 2^31 and 2^63, negative,
written with Arabic-Indic or full-width digits, floats, empty, blank, unknown choices, ids of
another meeting, Markdown with no heading, only headings, 5 MB), is refused with a 4xx (never
a 5xx), in French, and writes nothing: the row counts of the plug-in's tables (and of the
drafting tables its declaration uses) are the same before and after.

Each form's test sends the browser's valid data with one field replaced by a hostile value,
so the refusal is that value's. Hypothesis draws the field and the value; the fixtures are
built once per test and reused by its examples (nothing they send is ever written)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convergence.extensions import db
from plugins.cdc import declarations, meetings
from plugins.cdc.declaration_models import Declaration, DeclarationAmendment
from plugins.cdc.models import Delegation, LodgingOffer, Member
from tests.fixtures import browser_fields, login, visible_text

from .conftest import DAY, registration_data
from .floor_helpers import delegations, open_declaration
from .test_declaration_outcomes import TEXT, tabled
from .test_procedure import prepared
from .test_registration import register
from .test_signing import adopted

from convergence.testing import hostile as hostile_checks
from convergence.testing.hostile import BAD_NUMBER, BAD_TEXT, BLANK, CONTROL, HUGE, hostile, unknown  # noqa: F401


def cases(fields: dict):
    """(field, hostile value) pairs drawn from ``fields``: name → strategy."""
    return st.sampled_from(sorted(fields)).flatmap(lambda name: st.tuples(st.just(name), fields[name]))


# -- what every refusal must be -------------------------------------------------------------
WATCHED = ("cdc_", "drafting_")


def rows() -> dict:
    """The number of rows of each watched table."""
    return hostile_checks.row_counts(WATCHED)


def refused_in_french(response, before: dict, *, kept: str | None = None) -> str:
    return hostile_checks.refused_in_french(response, before, WATCHED, kept=kept)


def send(client, url: str, data: dict, page: str | None = None, **options):
    return client.post(url, data={**data, **browser_fields(client, page or url)}, **options)


def person(app, user):
    client = app.test_client()
    login(client, user)
    return client


# -- registration ---------------------------------------------------------------------------
def _registration_fields(place) -> dict:
    first, _second = place.nights
    numbers = {f"night_{first:%Y%m%d}", f"meal_{place.session('Samedi midi')}",
               f"workshop_{place.session('Démocratie directe')}", "shuttle_people"}
    return {
        **{name: BAD_NUMBER for name in numbers},
        "people_count": st.one_of(BAD_NUMBER, BLANK, st.just("0")),
        "kind": unknown("collective", "alone"), "mandate_kind": unknown("imperatif", "semi_imperatif", "libre"),
        "lodging_mode": unknown("host", "hall", "own"), "municipal_list": unknown("yes", "no"),
        "commune": st.one_of(st.sampled_from([str(2**31), str(2**63), "١", "-1", "0", "99999"]), CONTROL, HUGE),
        "head_name": st.one_of(BLANK, BAD_TEXT), "collective_name": st.one_of(BLANK, BAD_TEXT),
        "contact_email": st.one_of(BLANK, BAD_TEXT, st.sampled_from(["pas-une-adresse", "a@", "@b.fr", "a b@c.fr"])),
        "members": st.one_of(CONTROL, HUGE, st.just("Lucie\nlucie")),
        "mandate_text": BAD_TEXT, "objectives": BAD_TEXT, "arrival": BAD_TEXT, "contact_phone": BAD_TEXT,
        "dietary_needs": BAD_TEXT,
    }


@pytest.fixture
def registering(app, place_for_hypothesis):
    place, client = place_for_hypothesis
    return place, client, _registration_fields(place)


@hostile
@given(data=st.data())
def test_registration_refuses_hostile_input(registering, data):
    place, client, fields = registering
    name, value = data.draw(cases(fields))
    before = rows()
    response = send(client, f"{place.base}/inscription", registration_data(place, **{name: value}))
    kept = "Assemblée populaire de Vaucouleurs" if name != "collective_name" else None
    refused_in_french(response, before, kept=kept)


@pytest.fixture
def editing(app, place):
    client = person(app, place.visitor)
    assert register(client, place).status_code == 303
    delegation = db.session.scalar(db.select(Delegation))
    return place, client, delegation.id, _registration_fields(place)


@hostile
@given(data=st.data())
def test_a_registration_changed_refuses_hostile_input(editing, data):
    place, client, delegation_id, fields = editing
    name, value = data.draw(cases(fields))
    before = rows()
    response = send(client, f"/delegations/{delegation_id}/modifier", registration_data(place, **{name: value}))
    refused_in_french(response, before)
    db.session.expire_all()
    assert db.session.get(Delegation, delegation_id).people_count == 5


def test_pinned_french_messages_of_the_registration(app, place):
    client = person(app, place.visitor)
    before = rows()
    page = f"{place.base}/inscription"
    text = refused_in_french(send(client, page, registration_data(place, people_count="١٢")), before,
                             kept="Karim Haddad")
    assert "Saisissez un nombre entier avec les chiffres de 0 à 9" in text
    text = refused_in_french(send(client, page, registration_data(place, people_count=str(2**63))), before)
    assert "Saisissez un nombre entier avec les chiffres de 0 à 9" in text
    text = refused_in_french(send(client, page, registration_data(place, head_name="Karim\x00")), before)
    assert "caractère de contrôle invisible" in text
    text = refused_in_french(send(client, page, registration_data(place, people_count="")), before)
    assert "Dites combien vous êtes." in text
    text = refused_in_french(send(client, page, registration_data(place, mandate_kind="absolu")), before,
                             kept="Karim Haddad")
    assert "Type de mandat" in text


# -- lodging offer, meeting, programme, lodging match, admission, door ----------------------
@pytest.fixture
def resident(app, place):
    return place, person(app, place.resident)


@hostile
@given(case=cases({"places": st.one_of(BAD_NUMBER, BLANK, st.sampled_from(["0", "31"])),
                   "nights": st.one_of(unknown(), st.sampled_from(["2000-01-01", "2026-02-30", "9999-12-31"])),
                   "note": BAD_TEXT, "contact_phone": BAD_TEXT}))
def test_a_lodging_offer_refuses_hostile_input(resident, case):
    place, client = resident
    name, value = case
    data = {"places": "2", "nights": place.nights[0].isoformat(), "note": "Deux lits", "contact_phone": "06"}
    data[name] = value
    before = rows()
    refused_in_french(send(client, f"{place.base}/hebergement", data), before)


@pytest.fixture
def organiser(app, place, make):
    client = person(app, place.organiser)
    other = make.assembly(place.commune, "Autre rencontre")
    return place, client, other


def _meeting_data():
    return {"first_day": (DAY + timedelta(days=40)).isoformat(), "last_day": (DAY + timedelta(days=41)).isoformat(),
            "deadline": f"{DAY + timedelta(days=30)}T23:00", "delegation_cap": "", "people_cap": "",
            "invitation": "Venez", "venue_details": "", "contact_email": "", "contact_phone": ""}


DATES = st.one_of(BLANK, CONTROL, HUGE, st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "31/12/2026",
                                                        "demain", "١٤٤٧-٠١-٠١", "-2026-01-01"]))


@hostile
@given(case=cases({"first_day": DATES, "last_day": DATES,
                   "deadline": st.one_of(DATES, st.sampled_from(["0001-01-01T00:00", "9999-12-31T23:59"])),
                   "delegation_cap": st.one_of(BAD_NUMBER, st.just("0")), "people_cap": st.one_of(BAD_NUMBER),
                   "invitation": BAD_TEXT, "contact_email": st.one_of(BAD_TEXT, st.just("pas@"))}))
def test_a_meeting_refuses_hostile_input(organiser, case):
    place, client, other = organiser
    name, value = case
    before = rows()
    refused_in_french(send(client, f"/assemblees/{other.id}/rencontre", {**_meeting_data(), name: value}), before)


@hostile
@given(case=cases({"kind": unknown("accueil", "pleniere", "atelier", "restitution", "repas", "pause", "soiree"),
                   "title": st.one_of(BLANK, BAD_TEXT), "day": DATES,
                   "starts": st.one_of(BLANK, CONTROL, st.sampled_from(["25:00", "١٠:٠٠", "10h", "-1:00"])),
                   "ends": st.one_of(BLANK, st.sampled_from(["24:61", "٢٠:٠٠", "9:00"])),
                   "capacity": st.one_of(BAD_NUMBER, st.just("0")), "room": BAD_TEXT, "description": BAD_TEXT}))
def test_a_session_of_the_programme_refuses_hostile_input(organiser, case):
    place, client, _other = organiser
    name, value = case
    data = {"kind": "atelier", "title": "Atelier eau", "day": DAY.isoformat(), "starts": "14:00", "ends": "15:00",
            "room": "Salle C", "capacity": "", "description": ""}
    before = rows()
    refused_in_french(send(client, f"{place.base}/programme", {**data, name: value}), before,
                      kept=None if name == "title" else "Atelier eau")


def _elsewhere(make, place):
    """A second meeting with a registered delegation and a lodging offer: ids of elsewhere."""
    from convergence.models.base import utcnow

    assembly = make.assembly(place.commune, "Rencontre d'ailleurs")
    meeting = meetings.create(assembly, first_day=DAY, last_day=DAY + timedelta(days=1),
                              deadline=utcnow() + timedelta(days=9))
    host = make.user("Hôte d'ailleurs")
    delegation = Delegation(meeting_id=meeting.id, status="registered", checkin_token=f"ailleurs-{host.id}",
                            collective_name="Collectif d'ailleurs", kind="collective", people_count=2,
                            registered_by_id=host.id)
    offer = LodgingOffer(meeting_id=meeting.id, host_id=host.id, places=4, nights=DAY.isoformat())
    db.session.add_all([delegation, offer])
    db.session.commit()
    return meeting, delegation.id, offer.id


@pytest.fixture
def lodging(app, place, make):
    client = person(app, place.visitor)
    assert register(client, place).status_code == 303
    waiting = person(app, make.user("En attente"))
    assert register(waiting, place, collective_name="Collectif en attente").status_code == 303
    ours = db.session.scalar(db.select(Delegation).where(Delegation.collective_name.startswith("Assemblée")))
    late = db.session.scalar(db.select(Delegation).where(Delegation.collective_name == "Collectif en attente"))
    late.status = "waiting"
    offer = LodgingOffer(meeting_id=place.meeting.id, host_id=place.resident.id, places=3,
                         nights=" ".join(n.isoformat() for n in place.nights))
    db.session.add(offer)
    db.session.commit()
    _meeting, their_delegation, their_offer = _elsewhere(make, place)
    ids = {"ours": ours.id, "offer": offer.id, "their_delegation": their_delegation, "their_offer": their_offer,
           "late": late.id}
    return place, person(app, place.organiser), ids


@hostile
@given(data=st.data())
def test_a_lodging_match_refuses_hostile_input(lodging, data):
    place, client, ids = lodging
    ids_of = st.one_of(BAD_NUMBER, CONTROL, st.sampled_from([str(ids["their_delegation"]), str(ids["their_offer"]),
                                                             "", "0"]))
    name, value = data.draw(cases({
        "offer": st.one_of(ids_of, st.just(str(ids["their_offer"]))),
        "delegation": st.one_of(ids_of, st.sampled_from([str(ids["their_delegation"]), str(ids["late"])])),
        "night": st.one_of(DATES, st.sampled_from([(DAY + timedelta(days=5)).isoformat()])),
        "people": st.one_of(BAD_NUMBER, BLANK, st.sampled_from(["0", "4", "31"]))}))
    sent = {"offer": str(ids["offer"]), "delegation": str(ids["ours"]), "night": place.nights[1].isoformat(),
            "people": "2", name: value}
    before = rows()
    refused_in_french(send(client, f"{place.base}/hebergements", sent), before)


def test_ids_of_another_meeting_are_not_found(lodging):
    place, client, ids = lodging
    before = rows()
    for url in (f"{place.base}/attente/{ids['their_delegation']}", f"{place.base}/attente/{2**31}",
                f"{place.base}/attente/{2**63}", f"{place.base}/attente/١"):
        response = send(client, url, {}, page=f"{place.base}/organisation")
        assert response.status_code == 404
        assert "Page introuvable" in visible_text(response)
        assert rows() == before


@hostile
@given(token=st.one_of(st.text(min_size=1, max_size=40).filter(lambda t: "/" not in t and t not in (".", "..")),
                       HUGE, st.sampled_from(["ailleurs-1", "%00", "' OR 1=1 --"])))
def test_the_door_refuses_an_unknown_token(lodging, token):
    from urllib.parse import quote

    place, client, _ids = lodging
    before = rows()
    url = f"/accueil/{quote(token, safe='')}"
    refused_in_french(client.get(url), before)
    refused_in_french(send(client, url, {}, page=f"{place.base}/organisation"), before)


def test_the_door_refuses_a_waiting_delegation_in_french(lodging):
    place, client, ids = lodging
    late = db.session.get(Delegation, ids["late"])
    before = rows()
    url = f"/accueil/{late.checkin_token}"
    text = refused_in_french(send(client, url, {}), before)
    assert "pas inscrite (liste d" in text
    assert db.session.get(Delegation, ids["late"]).checked_in_at is None


# -- the declaration: import, article, amendments, supports -----------------------------------
MARKDOWN = st.one_of(
    BLANK, CONTROL,
    st.text(alphabet=st.characters(blacklist_characters="#=-\x00", blacklist_categories=["Cc", "Cs"]), min_size=1,
            max_size=200).filter(str.strip),  # no heading
    st.lists(st.text(alphabet="abcdé ", min_size=1, max_size=20).filter(str.strip), min_size=1, max_size=8)
    .map(lambda titles: "\n\n".join(f"## {t}" for t in titles)),  # only headings
    st.sampled_from(["# Titre\n\n" + "x" * 5001, "# Eau\n\n" + ("Un article.\n\n" * 500_000), "=====\n-----",
                     "######", "#\n\n#", "# " + "t" * 100_000]),
)


@pytest.fixture
def committee(app, place):
    return place, person(app, place.organiser)


@hostile
@given(case=cases({"title": st.one_of(BLANK, BAD_TEXT), "text": MARKDOWN}))
def test_the_declaration_import_refuses_hostile_markdown(committee, case):
    place, client = committee
    name, value = case
    data = {"title": "Déclaration de Commercy", "text": TEXT, name: value}
    before = rows()
    refused_in_french(send(client, f"{place.base}/declaration/nouvelle", data), before)


@hostile
@given(content=st.one_of(MARKDOWN.map(lambda s: s.encode()), st.sampled_from([
    b"\xff\xfe\x00# Eau", b"# Eau\n\nL\xe9o", b"", b"# Eau\n\n" + b"x" * (5 * 2**20)])),
       filename=st.sampled_from(["texte.md", "texte.txt", "texte.MD"]))
def test_the_declaration_file_refuses_hostile_markdown(committee, content, filename):
    place, client = committee
    before = rows()
    data = {"title": "Déclaration de Commercy", "text": "", "file": (io.BytesIO(content), filename)}
    response = send(client, f"{place.base}/declaration/nouvelle", data, content_type="multipart/form-data")
    refused_in_french(response, before)


def test_pinned_french_messages_of_the_import(committee):
    place, client = committee
    before = rows()
    url = f"{place.base}/declaration/nouvelle"
    text = refused_in_french(send(client, url, {"title": "Déclaration", "text": "Sans titre aucun."}), before,
                             kept="Sans titre aucun.")
    assert "aucun titre" in text and "## Le droit au logement" in text
    text = refused_in_french(send(client, url, {"title": "Déclaration", "text": "# Un\n\n## Deux"}), before,
                             kept="## Deux")
    assert "Le texte a des titres mais aucun paragraphe" in text
    five_mb = {"title": "Déclaration", "file": (io.BytesIO(b"# Eau\n\n" + b"x" * (5 * 2**20)), "gros.md")}
    text = refused_in_french(send(client, url, five_mb, content_type="multipart/form-data"), before)
    assert "Ce que vous avez envoyé est trop volumineux." in text
    typed = "# Eau\n\n" + "Un article.\n\n" * 20_000  # 260 kB typed: more than a file may hold
    text = refused_in_french(send(client, url, {"title": "Déclaration", "text": typed}), before)
    assert "200 ko" in text


@pytest.fixture
def draft(app, place):
    with app.test_request_context():
        declarations.create(place.meeting, place.organiser, "Déclaration de Commercy", TEXT)
        db.session.commit()
    return place, person(app, place.organiser)


@hostile
@given(text=st.one_of(BLANK, BAD_TEXT, st.just("y" * 5001)))
def test_an_article_changed_refuses_hostile_wording(draft, text):
    place, client = draft
    before = rows()
    refused_in_french(send(client, f"{place.base}/declaration/articles/1", {"text": text}), before)


@pytest.fixture
def amending(app, place, make):
    client = app.test_client()
    prepared(app, place, client)
    other = make.user("Autre déléguée")
    other_client = person(app, other)
    assert register(other_client, place, collective_name="Collectif voisin").status_code == 303
    return place, person(app, place.visitor), other_client


@hostile
@given(case=cases({"kind": unknown("modify", "add"),
                   "article": st.one_of(BAD_NUMBER, CONTROL, st.sampled_from(["", "99", "-0", "1.0", "1 1"])),
                   "text": st.one_of(BLANK, BAD_TEXT, st.just("L'eau est un commun.")),
                   "explanation": st.one_of(CONTROL, st.just("e" * 5001))}))
def test_tabling_an_amendment_refuses_hostile_input(amending, case):
    place, client, _other = amending
    name, value = case
    data = {"kind": "modify", "article": "1", "text": "L'eau est à toutes et tous.", "explanation": "Plus juste",
            name: value}
    before = rows()
    refused_in_french(send(client, f"{place.base}/declaration/amender", data), before,
                      kept=None if name == "text" else "toutes et tous")


def test_pinned_french_messages_of_tabling(amending):
    place, client, _other = amending
    before = rows()
    url = f"{place.base}/declaration/amender"
    for article in ("١", str(2**63), "99"):
        text = refused_in_french(send(client, url, {"kind": "modify", "article": article, "text": "Autre."}),
                                 before, kept="Autre.")
        assert ("Il n’y a pas d’article 99." if article == "99" else "Choisissez un article de la liste.") in text


@hostile
@given(number=st.one_of(st.integers(min_value=4, max_value=2**31 - 1), st.just(0)))
def test_supporting_an_unknown_amendment_is_not_found(amending, number):
    place, _client, other = amending
    before = rows()
    url = f"{place.base}/declaration/amendements/{number}/soutenir"
    response = send(other, url, {}, page=f"{place.base}/declaration")
    refused_in_french(response, before)
    assert response.status_code == 404


# -- the committee's procedure, the delegation's answer, the groups ---------------------------
@hostile
@given(case=cases({"procedure": st.one_of(unknown("accept", "accept_modified", "merge", "reject"), BLANK),
                   "merge_into": st.one_of(BAD_NUMBER, st.sampled_from(["1", "99", "0"])),
                   "text": st.one_of(CONTROL, st.just("z" * 5001))}))
def test_the_committee_procedure_refuses_hostile_input(amending, case, app):
    place, _client, _other = amending
    client = person(app, place.organiser)
    name, value = case
    base = {"merge": {"procedure": "merge", "merge_into": "2"}, "text": {"procedure": "accept_modified",
                                                                         "text": "Autrement."}}
    data = {**base.get(name, {"procedure": "merge", "merge_into": "2"}), name: value}
    before = rows()
    refused_in_french(send(client, f"{place.base}/declaration/amendements/1/procedure", data), before)
    assert db.session.scalar(db.select(DeclarationAmendment.procedure).where(DeclarationAmendment.number == 1)) is None


def test_pinned_french_messages_of_the_procedure(amending, app):
    place, _client, _other = amending
    client = person(app, place.organiser)
    before = rows()
    url = f"{place.base}/declaration/amendements/1/procedure"
    for number in ("١", str(2**63), "9" * 30):
        text = refused_in_french(send(client, url, {"procedure": "merge", "merge_into": number}), before)
        assert "Saisissez un nombre entier avec les chiffres de 0 à 9" in text
    text = refused_in_french(send(client, url, {"procedure": "reject", "reason": "  "}), before)
    assert "Dites pourquoi le comité propose de rejeter l’amendement A1" in text


@hostile
@given(answer=st.one_of(unknown("agreed", "maintained"), BLANK))
def test_the_delegation_answer_refuses_hostile_input(amending, answer, app):
    place, client, _other = amending
    before = rows()
    refused_in_french(send(client, f"{place.base}/declaration/amendements/1/reponse", {"answer": answer}), before)


@hostile
@given(amendments=st.lists(st.one_of(BAD_NUMBER, CONTROL, st.sampled_from(["1", "3", "99", "0"])), max_size=4),
       dissolve=st.one_of(st.none(), BAD_NUMBER, st.sampled_from(["7", "0"])))
def test_the_groups_refuse_hostile_input(amending, amendments, dissolve, app):
    place, _client, _other = amending
    client = person(app, place.organiser)
    data = {"amendments": amendments} if dissolve is None else {"dissolve": dissolve}
    if amendments in (["1", "2"], ["2", "1"]):
        amendments.append("3")  # A3 adds an article: not the same place, refused
    before = rows()
    refused_in_french(send(client, f"{place.base}/declaration/groupes", data), before)


# -- the floor votes, the adoption, the signatures ---------------------------------------------
@pytest.fixture
def voting(app, make, place):
    (one, head), (two, _head) = delegations(app, make, place, [2, 1])
    declaration_id, (amendment_id,) = open_declaration(app, place)
    meeting, their_delegation, _offer = _elsewhere(make, place)
    with app.test_request_context():
        theirs = declarations.create(meeting, place.organiser, "Ailleurs", TEXT)
        their_amendment = tabled(theirs, place.visitor, "modify", declarations.articles(theirs)[0], "Autre.", 1)
        db.session.commit()
        their_amendment_id = their_amendment.id
    organiser = person(app, place.organiser)
    opened = send(organiser, f"{place.base}/declaration/votes", {"subject": str(amendment_id)})
    assert opened.status_code == 303
    vote_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    return {"place": place, "organiser": organiser, "head": person(app, head), "vote": vote_id,
            "amendment": amendment_id, "their_amendment": their_amendment_id, "their_delegation": their_delegation,
            "declaration": declaration_id}


@hostile
@given(subject=st.one_of(BAD_NUMBER, CONTROL, st.sampled_from(["²", "٣", "0", "99999"])))
def test_opening_a_vote_refuses_hostile_subjects(voting, subject):
    place, client = voting["place"], voting["organiser"]
    before = rows()
    refused_in_french(send(client, f"{place.base}/declaration/votes", {"subject": subject}), before)


def test_an_amendment_of_another_meeting_is_not_put_to_the_vote(voting):
    place, client = voting["place"], voting["organiser"]
    before = rows()
    text = refused_in_french(send(client, f"{place.base}/declaration/votes",
                                  {"subject": str(voting["their_amendment"])}), before)
    assert "Choisissez un amendement de cette déclaration, ou le texte entier." in text


@hostile
@given(choice=st.one_of(unknown("for", "against", "abstain"), BLANK))
def test_a_voice_refuses_hostile_choices(voting, choice):
    place, client = voting["place"], voting["head"]
    before = rows()
    url = f"{place.base}/declaration/votes/{voting['vote']}"
    refused_in_french(send(client, url, {"choice": choice}), before)


@hostile
@given(data=st.data())
def test_a_raised_card_refuses_hostile_input(voting, data):
    place, client = voting["place"], voting["organiser"]
    name, value = data.draw(cases({
        "card-delegation": st.one_of(BAD_NUMBER, CONTROL, BLANK, st.just(str(voting["their_delegation"]))),
        "card-choice": st.one_of(unknown("for", "against", "abstain"), BLANK)}))
    first = db.session.scalar(db.select(Delegation.id).where(Delegation.meeting_id == place.meeting.id))
    sent = {"card-delegation": str(first), "card-choice": "for", name: value}
    before = rows()
    url = f"{place.base}/declaration/votes/{voting['vote']}"
    refused_in_french(send(client, f"{url}/carton", sent, page=url), before)


@hostile
@given(tick=st.sampled_from([None, "", "false"]))
def test_the_adoption_by_consent_needs_the_box(voting, tick):
    place, client = voting["place"], voting["organiser"]
    before = rows()
    data = {} if tick is None else {"no_objection": tick}
    text = refused_in_french(send(client, f"{place.base}/declaration/adoption", data), before)
    assert "Cochez la case" in text


@pytest.fixture
def signing(app, place, make):
    adopted(app, place)
    client = person(app, place.visitor)
    assert register(client, place).status_code == 303
    _meeting, their_delegation, _offer = _elsewhere(make, place)
    ours = db.session.scalar(db.select(Delegation.id).where(Delegation.meeting_id == place.meeting.id))
    return place, client, ours, their_delegation


@hostile
@given(data=st.data())
def test_signing_refuses_hostile_input(signing, data):
    place, client, ours, theirs = signing
    name, value = data.draw(cases({
        "delegation": st.one_of(BAD_NUMBER, st.sampled_from([str(theirs), "0"])),
        "reference": st.one_of(BLANK, BAD_TEXT)}))
    before = rows()
    refused_in_french(send(client, f"{place.base}/declaration/signer",
                           {"delegation": str(ours), "reference": "AG du 12 janvier", name: value}), before)


def test_no_member_row_is_half_written_by_a_refused_change(editing):
    place, client, delegation_id, _fields = editing
    before = rows()
    names = "\n".join(f"Personne {n}" for n in range(3)) + "\nPersonne 1"
    text = refused_in_french(send(client, f"/delegations/{delegation_id}/modifier",
                                  registration_data(place, members=names)), before)
    assert "Un nom est écrit deux fois." in text
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 3
    assert db.session.get(Declaration, 1) is None


@hostile
@given(part=st.one_of(BAD_NUMBER, st.sampled_from(["²", "٣", "0", "99", "", "1 1"])))
def test_a_part_of_the_declaration_written_otherwise_is_not_found(amending, part):
    place, client, _other = amending
    before = rows()
    response = client.get(f"{place.base}/declaration", query_string={"partie": part})
    refused_in_french(response, before)
    assert response.status_code == 404


@hostile
@given(page=st.one_of(BAD_NUMBER, CONTROL), stage=st.one_of(unknown("waiting", "proposed"), CONTROL))
def test_the_committee_list_reads_hostile_queries_without_failing(amending, app, page, stage):
    place, _client, _other = amending
    client = person(app, place.organiser)
    before = rows()
    response = client.get(f"{place.base}/declaration/comite", query_string={"page": page, "etat": stage})
    if any(ord(c) < 32 or ord(c) == 127 for c in page + stage if c not in "\t\n\r"):
        refused_in_french(response, before)  # the core refuses control characters at the door
    else:
        assert response.status_code == 200  # an unknown page or stage shows the whole list
        assert "A1" in visible_text(response) and rows() == before
