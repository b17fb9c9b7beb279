"""Registering a delegation through the pages: what is stored, what the public page and
the organisers see, the mail, the waiting list, changes until the deadline, replays."""

from __future__ import annotations

from datetime import timedelta

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.cdc.models import Delegation, LodgingNeed, MealOrder, Member, WorkshopChoice
from tests.fixtures import browser_fields, login, post_twice, says_replayed, visible_text

from .conftest import build, registration_data


def register(client, place, **changes):
    page = f"{place.base}/inscription"
    return client.post(page, data={**registration_data(place, **changes), **browser_fields(client, page)})


def only_delegation() -> Delegation:
    (delegation,) = db.session.scalars(db.select(Delegation)).all()
    return delegation


def test_a_delegation_registers_with_lodging_meals_and_a_workshop(app, client, place):
    login(client, place.visitor)
    response = register(client, place)
    assert response.status_code == 303
    d = only_delegation()
    assert (d.status, d.kind, d.people_count, d.collective_name) == ("registered", "collective", 5,
                                                                    "Assemblée populaire de Vaucouleurs")
    assert (d.mandate_kind, d.municipal_list, d.lodging_mode, d.by_train, d.shuttle_people) == (
        "semi_imperatif", True, "host", True, 4)
    assert [(m.name, m.is_head, m.user_id) for m in d.members] == [
        ("Karim Haddad", True, place.visitor.id), ("Lucie Perrin", False, None), ("Moussa Keita", False, None)]
    first, second = place.nights
    assert {(n.night, n.people) for n in db.session.scalars(db.select(LodgingNeed))} == {(first, 2), (second, 5)}
    assert {(m.session_id, m.people) for m in db.session.scalars(db.select(MealOrder))} == {
        (place.session("Samedi midi"), 5), (place.session("Dimanche midi"), 3)}
    assert [(w.session_id, w.people) for w in db.session.scalars(db.select(WorkshopChoice))] == [
        (place.session("Démocratie directe"), 3)]
    # The confirmation mail, with the delegation's page.
    mail = app.extensions["convergence.outbox"][-1]
    assert mail["To"] == "karim@example.org"
    assert f"/delegations/{d.id}" in mail.get_content()
    # The delegation's page says it is registered and shows its QR codes.
    page = client.get(f"/delegations/{d.id}", follow_redirects=True)
    text = visible_text(page)
    assert "Inscrite" in text or "Registered" in text
    assert page.data.count(b"/accueil/") == 4  # the delegation and its three named people
    # The public page lists it, without the people's names.
    public = visible_text(client.get(place.base))
    assert "Assemblée populaire de Vaucouleurs" in public and "Lucie Perrin" not in public


def test_a_person_alone_registers_and_says_why(client, place):
    login(client, place.visitor)
    missing = register(client, place, kind="alone", why_alone="", members="", people_count="1")
    assert missing.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 0
    assert register(client, place, kind="alone", why_alone="Je monte une assemblée dans mon village",
                    members="", people_count="1", **{k: "0" for k in registration_data(place)
                                                     if k.startswith(("night_", "meal_", "workshop_"))},
                    shuttle_people="1").status_code == 303
    d = only_delegation()
    assert (d.kind, d.collective_name, d.mandate_text, d.why_alone) == (
        "alone", "", "", "Je monte une assemblée dans mon village")
    public = visible_text(client.get(place.base))
    assert "Karim Haddad" not in public  # a person alone is not named in public


def test_an_existing_commune_of_the_platform(client, place):
    login(client, place.visitor)
    assert register(client, place, commune=str(place.neighbour.id), collective_name="").status_code == 303
    d = only_delegation()
    assert (d.commune_id, d.collective_name) == (place.neighbour.id, "Vaucouleurs")


def test_beyond_the_cap_goes_to_the_waiting_list_and_says_so(app, client, make):
    place = build(make, delegation_cap=1)
    login(client, place.visitor)
    assert register(client, place).status_code == 303
    second = register(client, place, collective_name="Liste citoyenne de Saint-Mihiel")
    assert second.status_code == 303
    page = visible_text(client.get(second.headers["Location"]))
    assert "liste d'attente" in page
    statuses = db.session.execute(db.select(Delegation.collective_name, Delegation.status)
                                  .order_by(Delegation.id)).all()
    assert [s for _, s in statuses] == ["registered", "waiting"]
    assert "liste d'attente" in app.extensions["convergence.outbox"][-1].get_content()
    # The organisers take it off the waiting list.
    client = app.test_client()
    login(client, place.organiser)
    waiting = db.session.scalars(db.select(Delegation).where(Delegation.status == "waiting")).one()
    fields = browser_fields(client, f"{place.base}/organisation")
    assert client.post(f"{place.base}/attente/{waiting.id}", data=fields).status_code == 303
    db.session.expire_all()
    assert db.session.get(Delegation, waiting.id).status == "registered"


def test_people_beyond_the_cap_wait(client, make):
    place = build(make, people_cap=6)
    login(client, place.visitor)
    assert register(client, place).status_code == 303  # 5 people
    refused = register(client, place, collective_name="Autre", people_count="2", members="")
    assert refused.status_code == 422  # 5 beds asked for 2 people: said, nothing written
    assert "plus de personnes que dans la délégation" in visible_text(refused)
    assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 1
    register(client, place, collective_name="Autre", people_count="2", members="", shuttle_people="2",
             **{k: "1" for k in registration_data(place) if k.startswith(("night_", "meal_", "workshop_"))})
    assert [d.status for d in db.session.scalars(db.select(Delegation).order_by(Delegation.id))] == [
        "registered", "waiting"]


def test_after_the_deadline_a_registration_waits_and_a_change_is_refused(client, place):
    login(client, place.visitor)
    assert register(client, place).status_code == 303
    d = only_delegation()
    place.meeting.registration_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    late = register(client, place, collective_name="En retard")
    assert late.status_code == 303
    assert db.session.scalar(db.select(Delegation.status).where(Delegation.collective_name == "En retard")) \
        == "waiting"
    page = f"/delegations/{d.id}/modifier"
    refused = client.post(page, data={**registration_data(place, people_count="7"), **browser_fields(client, page)})
    assert refused.status_code == 409
    assert "date limite" in visible_text(refused)
    db.session.expire_all()
    assert db.session.get(Delegation, d.id).people_count == 5
    # The organisers still change it, asked to by the delegation.
    organiser = client.application.test_client()
    login(organiser, place.organiser)
    changed = organiser.post(page, data={**registration_data(place, people_count="7"),
                                         **browser_fields(organiser, page)})
    assert changed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Delegation, d.id).people_count == 7
    assert db.session.get(Delegation, d.id).members[0].user_id == place.visitor.id


def test_a_registration_is_changed_and_keeps_its_codes(client, place):
    login(client, place.visitor)
    register(client, place)
    d = only_delegation()
    tokens = {m.name: m.checkin_token for m in d.members}
    page = f"/delegations/{d.id}/modifier"
    assert "Lucie Perrin" in client.get(page).get_data(as_text=True)  # filled with what was registered
    changed = client.post(page, data={**registration_data(place, people_count="6", members="Moussa Keita\nAnne Colin",
                                                          **{f"meal_{place.session('Dimanche midi')}": "6"}),
                                      **browser_fields(client, page)})
    assert changed.status_code == 303
    db.session.expire_all()
    d = db.session.get(Delegation, d.id)
    assert [m.name for m in d.members] == ["Karim Haddad", "Moussa Keita", "Anne Colin"]
    assert d.members[1].checkin_token == tokens["Moussa Keita"]
    assert db.session.get(MealOrder, (d.id, place.session("Dimanche midi"))).people == 6
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 3


def test_someone_else_cannot_see_or_change_a_registration(app, client, place, make):
    login(client, place.visitor)
    register(client, place)
    d = only_delegation()
    client = app.test_client()
    login(client, make.user("Curieuse"))
    assert client.get(f"/delegations/{d.id}").status_code == 403
    assert client.get(f"/delegations/{d.id}/modifier").status_code == 403


def test_a_form_sent_twice_registers_once(client, place):
    login(client, place.visitor)
    page = f"{place.base}/inscription"
    first, second = post_twice(client, page, page, registration_data(place))
    assert first.status_code == 303
    assert says_replayed(second)
    assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 3


def test_a_visitor_is_asked_to_log_in(client, place):
    response = client.get(f"{place.base}/inscription")
    assert response.status_code in (302, 401)


def test_the_mandate_document_is_kept_and_read_by_the_delegation_only(app, client, place, make):
    import io

    from plugins.cdc.models import MandateDocument

    login(client, place.visitor)
    page = f"{place.base}/inscription"
    wrong = client.post(page, data={**registration_data(place), **browser_fields(client, page),
                                    "mandate_document": (io.BytesIO(b"MZ\x90"), "mandat.exe")},
                        content_type="multipart/form-data")
    assert wrong.status_code == 422 and "PDF, ODT, DOCX" in visible_text(wrong)
    assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 0
    pdf = b"%PDF-1.4 mandat de l'assemblee du 12 janvier"
    sent = client.post(page, data={**registration_data(place), **browser_fields(client, page),
                                   "mandate_document": (io.BytesIO(pdf), "mandat.pdf")},
                       content_type="multipart/form-data")
    assert sent.status_code == 303
    d = only_delegation()
    stored = db.session.get(MandateDocument, d.id)
    assert (stored.filename, stored.content_type, stored.content) == ("mandat.pdf", "application/pdf", pdf)
    download = client.get(f"/delegations/{d.id}/mandat")
    assert download.data == pdf and "attachment" in download.headers["Content-Disposition"]
    other = app.test_client()
    login(other, make.user("Curieuse"))
    assert other.get(f"/delegations/{d.id}/mandat").status_code == 403
