"""Reporting, supporting, commenting, facilitating and merging needs."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from convergence.extensions import db
from convergence.models import AgendaItem, Circle
from convergence.participation.models import Comment, StatusChange, Support
from plugins.needs import api
from plugins.needs.models import Need
from tests.fixtures import browser_fields, csrf_token, login


def _report(client, place, **fields):
    data = {"category": str(place.category("eau").id), "title": "Fuite rue Haute",
            "description": "**Grave**", "community": "", "neighbourhood": str(place.north.id),
            "latitude": "45.01", "longitude": "5.01", "urgency": "high",
            **browser_fields(client, place.base + "/signaler")}
    data.update(fields)
    return client.post(place.base + "/signaler", data=data)


def test_resident_reports_a_need(client, place):
    login(client, place.resident)
    response = _report(client, place)
    assert response.status_code == 302
    need = db.session.scalar(db.select(Need))
    assert (need.title, need.urgency, need.status, need.author_id) == ("Fuite rue Haute", "high", "reported",
                                                                       place.resident.id)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert b"<strong>Grave</strong>" in page.data
    assert b"Habitante" not in page.data  # show_author not ticked


def test_outsider_cannot_report(client, place):
    login(client, place.outsider)
    assert client.get(place.base + "/signaler").status_code == 403


@pytest.mark.parametrize("fields", [
    {"latitude": "95", "longitude": "5"},
    {"latitude": "48.85", "longitude": "2.35"},  # Paris: far from the commune
    {"latitude": "45.0", "longitude": ""},
    {"latitude": "abc", "longitude": "5"},
    {"category": "999999"},
    {"neighbourhood": "999999"},
    {"community": "999999"},
    {"title": ""},
    {"title": "x" * 201},
    {"description": "x" * 5001},
    {"urgency": "extreme"},
])
def test_bad_input_is_refused_and_nothing_saved(client, place, fields):
    login(client, place.resident)
    response = _report(client, place, **fields)
    assert response.status_code == 422
    assert b'class="error"' in response.data
    assert db.session.scalar(db.select(db.func.count(Need.id))) == 0


def test_support_says_what_it_sets_and_database_refuses_a_second(client, place):
    need = place.need()
    login(client, place.other)
    url = f"{place.base}/{need.id}"

    def press(action):
        response = client.post(url + "/soutien", data={**browser_fields(client, url), "action": action},
                               follow_redirects=True)
        db.session.expire_all()
        return response, db.session.get(Need, need.id).supports_count

    response, count = press("support")
    assert count == 1 and "Votre soutien a été compté." in response.data.decode()
    assert 'name="action" value="withdraw"' in client.get(url).data.decode()
    # A second « Moi aussi » (a replay, a double press) leaves the support in place.
    response, count = press("support")
    assert response.status_code == 200 and count == 1
    assert "Vous soutenez déjà ce besoin." in response.data.decode()
    assert db.session.scalar(db.select(db.func.count(Support.id))) == 1
    response, count = press("withdraw")
    assert count == 0 and "Votre soutien a été retiré." in response.data.decode()
    response, count = press("withdraw")
    assert response.status_code == 200 and count == 0
    assert "Vous ne soutenez pas ce besoin." in response.data.decode()
    assert client.post(url + "/soutien", data=browser_fields(client, url)).status_code == 400
    db.session.add_all([Support(subject_id=need.subject_id, user_id=place.other.id),
                        Support(subject_id=need.subject_id, user_id=place.other.id)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_comment(client, place):
    need = place.need()
    login(client, place.other)
    url = f"{place.base}/{need.id}"
    assert client.post(url + "/commentaires", data={"body": "Moi aussi", **browser_fields(client, url)}
                       ).status_code == 302
    assert client.post(url + "/commentaires", data={"body": " ", **browser_fields(client, url)}
                       ).status_code == 422
    assert client.post(url + "/commentaires", data={"body": "x" * 2001, **browser_fields(client, url)}
                       ).status_code == 422
    assert [c.body for c in db.session.scalars(db.select(Comment))] == ["Moi aussi"]
    assert b"Moi aussi" in client.get(url).data


def test_status_changes_with_history(client, place):
    need = place.need()
    url = f"{place.base}/{need.id}"
    login(client, place.resident)
    assert client.post(url + "/statut", data={"status": "recognised", **browser_fields(client, url)}
                       ).status_code == 403
    client = client.application.test_client()
    login(client, place.facilitator)
    assert client.post(url + "/statut", data={"status": "recognised", **browser_fields(client, url)}
                       ).status_code == 302
    assert client.post(url + "/statut", data={"status": "not_retained", "reason": "",
                                              **browser_fields(client, url)}).status_code == 422
    assert client.post(url + "/statut", data={"status": "not_retained", "reason": "Hors compétence",
                                              **browser_fields(client, url)}).status_code == 302
    changes = db.session.execute(db.select(StatusChange.from_status, StatusChange.to_status, StatusChange.reason)
                                 .order_by(StatusChange.id)).all()
    assert changes == [("reported", "recognised", ""), ("recognised", "not_retained", "Hors compétence")]
    assert b"Hors comp" in client.get(url).data


def test_attach_circle(client, place):
    need = place.need()
    circle = Circle(commune_id=place.commune.id, name="Eau")
    db.session.add(circle)
    db.session.commit()
    url = f"{place.base}/{need.id}"
    login(client, place.facilitator)
    client.post(url + "/cercle", data={"circle_id": str(circle.id), **browser_fields(client, url)})
    db.session.expire_all()
    assert db.session.get(Need, need.id).circle_id == circle.id


def test_merge_carries_supports_and_comments_and_redirects(client, place):
    duplicate, target = place.need("Doublon"), place.need("Original")
    db.session.add_all([Support(subject_id=duplicate.subject_id, user_id=place.other.id),
                        Support(subject_id=duplicate.subject_id, user_id=place.resident.id),
                        Support(subject_id=target.subject_id, user_id=place.other.id),
                        Comment(subject_id=duplicate.subject_id, author_id=place.other.id, body="Ici aussi")])
    db.session.commit()
    login(client, place.facilitator)
    url = f"{place.base}/{duplicate.id}"
    response = client.post(url + "/fusion", data={"target_id": str(target.id), **browser_fields(client, url)})
    assert response.status_code == 302
    db.session.expire_all()
    supporters = sorted(db.session.scalars(db.select(Support.user_id).where(Support.subject_id == target.subject_id)))
    assert supporters == sorted([place.other.id, place.resident.id])
    assert db.session.get(Need, target.id).supports_count == 2
    assert db.session.scalar(db.select(Comment.subject_id)) == target.subject_id
    assert db.session.scalar(db.select(db.func.count(StatusChange.id)).where(StatusChange.subject_id == duplicate.subject_id)) == 1
    old = client.get(url)
    assert old.status_code == 301 and old.headers["Location"].endswith(f"/besoins/{target.id}")
    assert api.get_need(duplicate.id).id == target.id
    assert "Doublon" not in [n.title for n in api.needs_for_commune(place.commune.id)]


def test_synthesis_counts_and_agenda(client, place, make):
    a = place.need("A", "eau", place.north)
    place.need("B", "eau", place.north)
    place.need("C", "logement", place.south)
    db.session.add(Support(subject_id=a.subject_id, user_id=place.other.id))
    db.session.get(Need, a.id).subject.supports_count = 1
    db.session.commit()
    from plugins.needs.synthesis import synthesis_rows

    cells = {(c, n): (count, s) for c, n, count, s in synthesis_rows(place.commune.id)}
    assert cells[(place.category("eau").id, place.north.id)] == (2, 1)
    assert cells[(place.category("logement").id, place.south.id)] == (1, 0)
    assert b"2 / 1" in client.get(place.base + "/synthese").data
    assembly = make.assembly(place.commune)
    login(client, place.facilitator)
    url = place.base + "/synthese"
    assert client.post(url + "/ordre-du-jour", data={"assembly_id": str(assembly.id),
                                                     **browser_fields(client, url)}).status_code == 302
    item = db.session.scalar(db.select(AgendaItem))
    assert (item.title, item.kind, item.assembly_id) == ("Synthèse des besoins", "pleniere", assembly.id)


def test_filters(client, place):
    place.need("Eau nord", "eau", place.north)
    place.need("Logement sud", "logement", place.south, status="recognised")
    place.need("Eau sud", "eau", place.south, community_id=place.community("jeunes").id)
    page = client.get(place.base + "?category=eau").data
    assert b"Eau nord" in page and b"Eau sud" in page and b"Logement sud" not in page
    page = client.get(f"{place.base}?neighbourhood={place.south.id}&status=recognised").data
    assert b"Logement sud" in page and b"Eau" not in page.split(b"needs-list")[1]
    page = client.get(place.base + "?community=jeunes").data
    assert b"Eau sud" in page and b"Eau nord" not in page
    assert client.get(place.base + "?neighbourhood=abc").status_code == 400


def test_lists_editing(client, place):
    login(client, place.facilitator)
    url = place.base + "/listes"
    client.post(url, data={"kind": "category", "code": "culture", "label": "Culture",
                           **browser_fields(client, url)})
    assert place.category("culture").label == "Culture"
    assert client.post(url, data={"kind": "category", "code": "", "label": "",
                                  **browser_fields(client, url)}).status_code == 422
    client = client.application.test_client()
    login(client, place.resident)
    assert client.get(url).status_code == 403


def test_links_are_shown_on_both_sides(client, place):
    from convergence.participation import links
    from convergence.participation.models import Link

    need, other = place.need("Fuite"), place.need("Égout")
    links.link(other.subject_id, need.subject_id)
    links.link(other.subject_id, need.subject_id)
    links.link(need.subject_id, other.subject_id)  # the same reference, made from the other side
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Link.id))) == 1
    assert [(i.label, i.outgoing) for i in links.linked(need.subject_id)] == [(f"#{other.id} Égout", False)]
    assert [(i.label, i.outgoing) for i in links.linked(other.subject_id)] == [(f"#{need.id} Fuite", True)]
    page = client.get(f"{place.base}/{need.id}").get_data(as_text=True)
    assert f'href="/communes/{place.commune.slug}/besoins/{other.id}">#{other.id} Égout</a>' in page

def test_panel_and_user_data(client, place):
    place.need("Eau nord", "eau", place.north)
    from flask import current_app

    with current_app.test_request_context():
        from convergence import hooks

        data = {}
        for share in hooks.collect("user-data", user=place.resident):
            data.update(share)
        assert data["needs_reported"][0]["title"] == "Eau nord"
    page = client.get(f"/communes/{place.commune.slug}")
    assert b"needs-panel" in page.data


def test_pages_respect_the_csp_and_work_without_js(client, place):
    import re

    place.need("Visible", show_author=True)
    login(client, place.facilitator)
    for url in (place.base, place.base + "/signaler", place.base + "/synthese", place.base + "/listes",
                place.base + "/import", f"{place.base}/{db.session.scalar(db.select(Need.id))}"):
        page = client.get(url).data.decode()
        assert ' style="' not in page, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
    page = client.get(place.base).data.decode()
    assert 'id="needs-map"' in page and "Visible" in page and "data-geojson" in page
    assert "Habitante" in client.get(f"{place.base}/{db.session.scalar(db.select(Need.id))}").data.decode()


def test_merged_need_takes_no_support_nor_comment(client, place):
    duplicate, target = place.need("Doublon"), place.need("Original")
    duplicate.merged_into_id = target.id
    db.session.commit()
    login(client, place.other)
    token = csrf_token(client, f"{place.base}/{target.id}")
    assert client.post(f"{place.base}/{duplicate.id}/soutien", data={"csrf_token": token}).status_code == 403
    assert client.post(f"{place.base}/{duplicate.id}/commentaires",
                       data={"body": "x", "csrf_token": token}).status_code == 403
