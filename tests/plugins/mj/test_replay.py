"""Forms of the majority-judgment votes sent twice (a double press, a resend) create once:
a new vote, voting codes, and above all a batch of paper ballots, counted once."""

from __future__ import annotations

from datetime import timedelta

from convergence import live
from convergence.extensions import db
from convergence.models import Circle
from convergence.models.base import utcnow
from plugins.mj import api
from plugins.mj.models import Code, PaperBatch, Vote
from tests.fixtures import browser_fields, login, post_twice, says_replayed

from .conftest import new_vote, option_ids


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_paper_batch_sent_twice_is_counted_once(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    garden, parking, playground = option_ids(vote)
    login(client, room.facilitator)
    url = f"/votes/{vote.id}/depouillement-papier"
    counts = {garden: [0, 0, 1, 1, 2, 2, 2], parking: [3, 3, 2, 0, 0, 0, 0], playground: [0, 0, 0, 8, 0, 0, 0]}
    data = {"label": "Urne du foyer"}
    data.update({f"count-{option}-{grade}": str(n) for option, row in counts.items() for grade, n in enumerate(row)})
    first, second = post_twice(client, url, url, data)
    assert first.status_code == 302
    assert [b.ballots for b in db.session.scalars(db.select(PaperBatch))] == [8]
    assert says_replayed(second) and second.request.path == url
    outcome = api.results_for(db.session.get(Vote, vote.id), force=True)
    assert outcome.paper_ballots == 8 and outcome.online_ballots == 0
    assert {r.option.id: list(r.paper) for r in outcome.ranking} == counts
    assert second.get_data(as_text=True).count("Urne du foyer") == 1  # one batch listed


def test_a_corrected_paper_batch_goes_through_after_a_refusal(client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    ids = option_ids(vote)
    login(client, room.facilitator)
    url = f"/votes/{vote.id}/depouillement-papier"
    wrong = {f"count-{ids[0]}-0": "2", f"count-{ids[1]}-0": "1", f"count-{ids[2]}-0": "2",
             **browser_fields(client, url)}
    assert client.post(url, data=wrong).status_code == 422  # options that do not add up
    assert count(PaperBatch) == 0
    # The refused batch did not use up its form: corrected, the same form is counted.
    assert client.post(url, data={**wrong, f"count-{ids[1]}-0": "2"}).status_code == 302
    assert [b.ballots for b in db.session.scalars(db.select(PaperBatch))] == [2]


def test_a_new_vote_sent_twice_is_one_vote_and_announced_once(client, room, monkeypatch):
    published = []
    monkeypatch.setattr(live, "publish", lambda *args: published.append(args))
    login(client, room.facilitator)
    url = f"/assemblees/{room.assembly.id}/votes/nouveau"
    first, second = post_twice(client, url, url, {"question": "Que faire de la friche ?",
                                                  "options": "Jardin\nParking", "scale": "mj7",
                                                  "voters": "members", "start": "now"})
    assert first.status_code == 302
    vote = db.session.scalar(db.select(Vote))
    assert count(Vote) == 1 and [o.label for o in vote.options] == ["Jardin", "Parking"]
    assert says_replayed(second) and second.request.path == f"/votes/{vote.id}"
    assert [event for _space, event, _data in published] == ["mj.vote.opened"]


def test_a_circle_vote_sent_twice_is_one_vote(client, room, make):
    circle = Circle(commune_id=room.commune.id, name="Jardins", purpose="Les jardins partagés")
    db.session.add(circle)
    db.session.commit()
    lead = make.user("Alix")
    make.role(lead, "co_lead", circle=circle)
    login(client, lead)
    url = f"/cercles/{circle.id}/votes/nouveau"
    first, second = post_twice(client, url, url, {"question": "Quelles graines ?", "options": "Tomates\nCourges",
                                                  "scale": "mj7", "voters": "members", "start": "later"})
    assert first.status_code == 302 and says_replayed(second)
    assert db.session.scalars(db.select(Vote.circle_id)).all() == [circle.id]


def test_codes_asked_twice_are_made_once(client, room):
    vote = new_vote(room, voters="codes")
    login(client, room.facilitator)
    url = f"/votes/{vote.id}/codes"
    first, second = post_twice(client, url, url, {"count": "5"})
    assert first.status_code == 302 and says_replayed(second)
    assert count(Code) == 5
