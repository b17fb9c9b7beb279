"""Forms of the needs map sent twice (a double press, a resend) create once."""

from __future__ import annotations

import io

from convergence.extensions import db
from convergence.models import AgendaItem
from convergence.participation.models import Comment, StatusChange
from plugins.needs.models import Need
from tests.fixtures import browser_fields, login, post_twice, says_replayed


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_need_reported_twice_is_one_need(client, place):
    login(client, place.resident)
    url = place.base + "/signaler"
    first, second = post_twice(client, url, url, {"category": str(place.category("eau").id),
                                                  "title": "Fuite rue Haute", "urgency": "high"})
    assert first.status_code == 302
    need = db.session.scalar(db.select(Need))
    assert count(Need) == 1 and count(StatusChange) == 1
    assert says_replayed(second) and second.request.path == f"{place.base}/{need.id}"
    assert "Fuite rue Haute" in second.get_data(as_text=True)


def test_a_comment_sent_twice_is_one_comment(client, place):
    need = place.need()
    login(client, place.other)
    url = f"{place.base}/{need.id}"
    first, second = post_twice(client, url, url + "/commentaires", {"body": "Chez moi aussi"})
    assert first.status_code == 302
    assert db.session.scalars(db.select(Comment.body)).all() == ["Chez moi aussi"]
    assert says_replayed(second) and second.get_data(as_text=True).count("Chez moi aussi") == 1


def test_a_status_change_sent_twice_is_one_line_of_history(client, place):
    need = place.need()
    login(client, place.facilitator)
    url = f"{place.base}/{need.id}"
    first, second = post_twice(client, url, url + "/statut", {"status": "recognised"})
    assert first.status_code == 302 and says_replayed(second)
    assert db.session.scalars(db.select(StatusChange.to_status)).all() == ["recognised"]


def test_an_import_sent_twice_imports_once(client, place):
    login(client, place.facilitator)
    url = place.base + "/import"
    fields = browser_fields(client, url)
    text = "category,title\neau,Fontaine\nlogement,Toit\n"

    def send(**options):
        return client.post(url, data={**fields, "file": (io.BytesIO(text.encode()), "besoins.csv")},
                           content_type="multipart/form-data", **options)

    assert send().status_code == 302
    second = send(follow_redirects=True)
    assert says_replayed(second)
    assert sorted(db.session.scalars(db.select(Need.title))) == ["Fontaine", "Toit"]


def test_the_synthesis_put_on_the_agenda_twice_is_one_item(client, place, make):
    assembly = make.assembly(place.commune, "Assemblée des besoins")
    place.need()
    login(client, place.facilitator)
    page = place.base + "/synthese"
    first, second = post_twice(client, page, page + "/ordre-du-jour", {"assembly_id": str(assembly.id)})
    assert first.status_code == 302 and says_replayed(second)
    assert db.session.scalars(db.select(AgendaItem.title)).all() == ["Synthèse des besoins"]
