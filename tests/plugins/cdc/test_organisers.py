"""The organisers' view: counts per night, meal and workshop; lodging matches; the
printable list and the CSV (cells neutralised); check-in at the door by QR code."""

from __future__ import annotations

from convergence.extensions import db
from plugins.cdc.models import Delegation, LodgingMatch, LodgingOffer, Member
from tests.fixtures import browser_fields, count_queries, login, visible_text

from .test_registration import register


def registered(app, place, n=2):
    client = app.test_client()
    login(client, place.visitor)
    for i in range(n):
        register(client, place, collective_name=f"=Collectif {i}" if i == 0 else f"Collectif {i}")
    return list(db.session.scalars(db.select(Delegation).order_by(Delegation.id)))


def test_counts_per_night_meal_and_workshop(app, client, place):
    registered(app, place)
    login(client, place.organiser)
    with count_queries(app) as queries:
        page = client.get(f"{place.base}/organisation")
    assert page.status_code == 200
    text = visible_text(page)
    assert "2 délégations inscrites, 10 personnes" in text.replace("\u202f", " ")
    first, second = place.nights
    from plugins.cdc import counts

    nights = {n.night: (n.people, n.host) for n in counts.nights(place.meeting)}
    assert nights == {first: (4, 4), second: (10, 10)}
    assert counts.meals(place.meeting) == {place.session("Samedi midi"): 10, place.session("Dimanche midi"): 6}
    assert counts.workshops(place.meeting) == {place.session("Démocratie directe"): 6}
    assert len(queries) < 25
    # Twice as many delegations: the same number of queries on the organisers' pages.
    registered(app, place)
    for path in ("organisation", "liste", "hebergements", ""):
        with count_queries(app) as few:
            client.get(f"{place.base}/{path}".rstrip("/"))
        registered(app, place, 1)
        with count_queries(app) as more:
            assert client.get(f"{place.base}/{path}".rstrip("/")).status_code == 200
        assert len(more) == len(few), path


def test_the_csv_neutralises_formulas_and_lists_every_count(app, client, place):
    registered(app, place)
    login(client, place.organiser)
    response = client.get(f"{place.base}/inscriptions.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert "'=Collectif 0" in body and ",=Collectif" not in body
    assert "Karim Haddad; Lucie Perrin; Moussa Keita" in body


def test_the_list_and_the_csv_are_for_organisers_only(app, client, place):
    registered(app, place, 1)
    login(client, place.visitor)
    for page in ("organisation", "liste", "inscriptions.csv", "hebergements"):
        assert client.get(f"{place.base}/{page}").status_code == 403


def test_a_resident_offers_lodging_and_the_organisers_match_it(app, client, place):
    (first, _second) = registered(app, place)
    login(client, place.resident)
    page = f"{place.base}/hebergement"
    night = place.nights[1]
    sent = client.post(page, data={"places": "3", "nights": [night.isoformat()], "note": "Trois lits",
                                   **browser_fields(client, page)})
    assert sent.status_code == 303
    offer = db.session.scalars(db.select(LodgingOffer)).one()
    organiser = app.test_client()
    login(organiser, place.organiser)
    page = f"{place.base}/hebergements"
    data = {"offer": str(offer.id), "delegation": str(first.id), "night": night.isoformat()}
    too_many = organiser.post(page, data={**data, "people": "4", **browser_fields(organiser, page)})
    assert too_many.status_code == 409
    assert "encore 3 places" in visible_text(too_many).replace("\u202f", " ")
    assert db.session.scalar(db.select(db.func.count(LodgingMatch.id))) == 0
    assert organiser.post(page, data={**data, "people": "3", **browser_fields(organiser, page)}).status_code == 303
    assert [(m.people, m.night) for m in db.session.scalars(db.select(LodgingMatch))] == [(3, night)]
    full = organiser.post(page, data={**data, "people": "1", **browser_fields(organiser, page)})
    assert full.status_code == 409
    assert "Qui dort où" in visible_text(organiser.get(page))


def test_someone_from_elsewhere_cannot_offer_lodging(client, place):
    login(client, place.visitor)
    assert client.get(f"{place.base}/hebergement").status_code == 403


def test_check_in_at_the_door_by_qr_code(app, client, place):
    (delegation, _other) = registered(app, place)
    member = db.session.scalars(db.select(Member).where(Member.delegation_id == delegation.id,
                                                        Member.is_head.is_(False))).first()
    qr = client.get(f"/accueil/{member.checkin_token}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    # Someone who is not an organiser opening the code records nothing.
    login(client, place.visitor)
    assert client.get(f"/accueil/{member.checkin_token}").status_code == 403
    door = app.test_client()
    login(door, place.organiser)
    page = f"/accueil/{member.checkin_token}"
    assert member.name in visible_text(door.get(page))
    fields = browser_fields(door, page)
    assert door.post(page, data=fields).status_code == 303
    assert door.post(page, data=fields).status_code == 303  # twice: still one arrival time
    db.session.expire_all()
    arrived = db.session.get(Member, member.id).checked_in_at
    assert arrived is not None
    assert db.session.get(Delegation, delegation.id).checked_in_at == arrived
    # The whole delegation's code checks in everyone else.
    page = f"/accueil/{delegation.checkin_token}"
    door.post(page, data=browser_fields(door, page))
    db.session.expire_all()
    assert all(m.checked_in_at for m in db.session.get(Delegation, delegation.id).members)
    assert db.session.get(Member, member.id).checked_in_at == arrived
    assert client.get("/accueil/inconnu").status_code == 404


def test_the_public_page_and_the_invitation(client, place):
    page = client.get(place.base)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<strong>en délégation</strong>" in html and "<script>x()" not in html  # sanitised Markdown
    text = visible_text(page)
    assert "Démocratie directe" in text and "Salle A" in text and "Lieux communs" in text
    invitation = client.get(f"{place.base}/invitation")
    assert f"/rencontres/{place.meeting.id}/inscription" in invitation.get_data(as_text=True)
    qr = client.get(f"{place.base}/inscription/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
