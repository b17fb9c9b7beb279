"""The meeting in its assembly and commune: navigation, panel, one-tap action, journal,
personal data, cancelling; and the French demo's meeting."""

from __future__ import annotations

from convergence.extensions import db
from plugins.cdc.models import Delegation, LodgingMatch, Meeting
from tests.fixtures import browser_fields, journal_acts, login, visible_text

from .test_registration import only_delegation, register


def test_the_assembly_page_leads_to_the_meeting(client, place):
    text = client.get(f"/assemblees/{place.assembly.id}").get_data(as_text=True)
    assert f"/rencontres/{place.meeting.id}" in text
    assert f"/rencontres/{place.meeting.id}/inscription" in text


def test_an_organiser_prepares_a_meeting_on_another_assembly(app, client, place, make):
    other = make.assembly(place.commune, "Deuxième rencontre")
    login(client, place.organiser)
    page = f"/assemblees/{other.id}/rencontre"
    assert "Préparer une Commune des Communes" in client.get(f"/assemblees/{other.id}").get_data(as_text=True)
    data = {"first_day": "2027-03-06", "last_day": "2027-03-05", "deadline": "2027-03-01T23:00",
            **browser_fields(client, page)}
    wrong = client.post(page, data=data)
    assert wrong.status_code == 422 and "Le dernier jour précède le premier" in visible_text(wrong)
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 1
    data["last_day"] = "2027-03-07"
    assert client.post(page, data=data).status_code == 303
    again = client.post(page, data=data, follow_redirects=True)  # sent twice: one meeting
    assert again.status_code == 200
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 2
    assert "a préparé la rencontre « Deuxième rencontre »" in " ".join(journal_acts(client, place.commune, ""))


def test_a_resident_may_not_prepare_a_meeting(client, place, make):
    other = make.assembly(place.commune, "Deuxième rencontre")
    login(client, place.resident)
    assert client.get(f"/assemblees/{other.id}/rencontre").status_code == 403


def test_registrations_are_told_in_the_journal(client, place):
    login(client, place.visitor)
    register(client, place)
    acts = journal_acts(client, place.commune)
    assert any("a inscrit « Assemblée populaire de Vaucouleurs » à « Commune des Communes »" in a for a in acts)


def test_cancelling_frees_the_places_and_the_lodging(app, client, place):
    login(client, place.visitor)
    register(client, place)
    d = only_delegation()
    from plugins.cdc import lodging

    with app.test_request_context():
        offer = lodging.offer(place.meeting, place.resident, places=2, nights=[place.nights[0]], note="",
                              contact_phone="")
        lodging.match(offer, d, place.nights[0], 2)
        db.session.commit()
    page = f"/delegations/{d.id}"
    assert client.post(f"{page}/annuler", data=browser_fields(client, page)).status_code == 303
    db.session.expire_all()
    assert db.session.get(Delegation, d.id).status == "cancelled"
    assert db.session.scalar(db.select(db.func.count(LodgingMatch.id))) == 0
    assert "Assemblée populaire" not in visible_text(client.get(place.base)).split("Délégations inscrites")[1]


def test_the_person_data_export_has_the_registration(client, place):
    login(client, place.visitor)
    register(client, place)
    from plugins.cdc.hooks import user_data

    data = user_data(place.visitor)
    assert data["cdc_registrations"][0]["members"] == ["Karim Haddad", "Lucie Perrin", "Moussa Keita"]
    assert data["cdc_member_of"] == [{"delegation_id": only_delegation().id, "name": "Karim Haddad"}]


def test_the_demo_meeting(app):
    from convergence import demo

    with app.test_request_context():
        lines = demo.load("mot-de-passe-demo")
    assert any("Commune des Communes" in line for line in lines)
    meeting = db.session.scalars(db.select(Meeting)).one()
    assert (meeting.last_day - meeting.first_day).days == 1
    workshops = [s for s in meeting.sessions if s.kind == "atelier"]
    assert len({s.starts_at for s in workshops}) < len(workshops)  # some run in parallel
    names = sorted(db.session.scalars(db.select(Delegation.collective_name)))
    assert names == ["Assemblée populaire de Commercy", "Assemblée populaire de Vaucouleurs",
                     "Collectif écologiste des Côtes de Meuse", "Liste citoyenne « Saint-Mihiel en commun »"]
    assert db.session.scalar(db.select(db.func.count(LodgingMatch.id))) == 1
