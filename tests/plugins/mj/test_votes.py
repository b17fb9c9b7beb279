"""Votes through the web: create, open, vote, change with the receipt, close, results."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.mj import chain
from plugins.mj.models import Ballot, Count, Participation, Vote
from tests.fixtures import browser_fields, csrf_token, login, wait_until

from .conftest import ballots_in_box, logout, new_vote, option_ids, post_action, post_ballot, recorded, says



def counts(vote_id: int) -> dict[tuple[int, int], int]:
    rows = db.session.execute(
        db.select(Count.option_id, Count.grade, db.func.sum(Count.count))
        .where(Count.vote_id == vote_id).group_by(Count.option_id, Count.grade)
    ).all()
    return {(o, g): int(n) for o, g, n in rows if n}


def test_full_vote(app, client, room):
    login(client, room.facilitator)
    url = f"/assemblees/{room.assembly.id}/votes/nouveau"
    response = client.post(url, data={
        **browser_fields(client, url), "question": "Que faire de la friche ?",
        "options": "Jardin partagé\nParking\n\nAire de jeux\n", "scale": "mj7", "voters": "members",
        "start": "later",
    })
    assert response.status_code == 302, response.data[:2000]
    vote = db.session.scalar(db.select(Vote))
    assert [o.label for o in vote.options] == ["Jardin partagé", "Parking", "Aire de jeux"]
    assert vote.n_grades == 7 and vote.opens_at is None
    garden, parking, playground = option_ids(vote)

    # Not open yet: nobody may vote.
    logout(client)
    login(client, room.members[0])
    early = post_ballot(client, vote.id, {garden: 6, parking: 0, playground: 3})
    assert early.status_code == 403
    logout(client)

    login(client, room.facilitator)
    assert post_action(client, vote.id, "ouvrir").status_code == 302
    logout(client)

    receipts = {}
    for member, grades in zip(room.members, [(6, 0, 3), (5, 1, 4), (4, 2, 6)]):
        login(client, member)
        page = client.get(f"/votes/{vote.id}/bulletin")
        assert page.status_code == 200
        assert page.data.decode().count("<fieldset") == 3 and "<legend>Parking</legend>" in page.data.decode()
        receipts[member.id] = recorded(post_ballot(client, vote.id, dict(zip((garden, parking, playground), grades))))
        if member is room.members[0]:
            # The first member changes their mind: the form asks for the receipt, which the
            # platform kept nowhere (neither session nor page).
            form = client.get(f"/votes/{vote.id}/bulletin").data.decode()
            assert 'name="receipt" value=""' in form and receipts[member.id] not in form
            assert " checked" not in form
            response = post_ballot(client, vote.id, {garden: 2, parking: 0, playground: 3},
                                   receipt=receipts[member.id])
            assert recorded(response) == receipts[member.id]
        logout(client)

    # Results stay hidden while voting is open.
    hidden = client.get(f"/votes/{vote.id}/resultats")
    assert hidden.status_code == 200 and 'class="mj-ranking"' not in hidden.data.decode()
    assert client.get(f"/votes/{vote.id}/resultats.json").status_code == 403

    # ... the second, from another browser, types it.
    login(client, room.members[1])
    without = post_ballot(client, vote.id, {garden: 0, parking: 0, playground: 0})
    assert without.status_code == 409
    typed = receipts[room.members[1].id].lower().replace("-", " ")
    response = post_ballot(client, vote.id, {garden: 5, parking: 1, playground: 5}, receipt=typed)
    assert recorded(response) == receipts[room.members[1].id]
    logout(client)

    assert db.session.scalar(db.select(db.func.count()).select_from(Participation)) == 3
    # While voting is open the ballots are sealed, and the counters wait for the close.
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 0
    assert sorted(ballots_in_box(vote.id).values()) == ["203", "426", "515"]
    assert counts(vote.id) == {}

    login(client, room.facilitator)
    response = post_action(client, vote.id, "fermer")
    assert response.status_code == 302
    logout(client)

    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 3
    assert counts(vote.id) == {
        (garden, 2): 1, (garden, 5): 1, (garden, 4): 1,
        (parking, 0): 1, (parking, 1): 1, (parking, 2): 1,
        (playground, 3): 1, (playground, 5): 1, (playground, 6): 1,
    }

    # After the close: no more ballots, results and register published.
    login(client, room.members[2])
    late = post_ballot(client, vote.id, {garden: 6, parking: 6, playground: 6})
    assert late.status_code == 410
    logout(client)

    page = client.get(f"/votes/{vote.id}/resultats")
    html = page.data.decode()
    assert page.status_code == 200
    ranking = re.findall(r'<span class="mj-rank">(\d+)\.</span> <strong>([^<]+)</strong>', html)
    assert ranking == [("1", "Aire de jeux"), ("2", "Jardin partagé"), ("3", "Parking")]
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert 'x1="50%"' in html and "style=" not in html
    assert "<caption" in html and 'scope="row"' in html

    data = json.loads(client.get(f"/votes/{vote.id}/resultats.json").data)
    assert [(r["option"], r["rank"], r["majority_grade"]) for r in data["ranking"]] == [
        ("Aire de jeux", 1, 5), ("Jardin partagé", 2, 4), ("Parking", 3, 1)]
    assert data["participants"] == 3 and data["online_ballots"] == 3 and data["paper_ballots"] == 0
    csv_text = client.get(f"/votes/{vote.id}/resultats.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("1,Aire de jeux,")

    register = client.get(f"/votes/{vote.id}/registre.json")
    assert register.status_code == 200
    document = json.loads(register.data)
    tallies = chain.verify(document)
    assert document["count"] == 3
    assert sorted(e["receipt"] for e in document["entries"]) == sorted(receipts.values())
    assert [e["receipt"] for e in document["entries"]] == sorted(receipts.values())
    assert tallies[0] == [0, 0, 1, 0, 1, 1, 0]  # garden, from the published ballots alone
    db.session.expire_all()
    assert document["head"] == db.session.get(Vote, vote.id).chain_head
    found = client.get(f"/votes/{vote.id}/registre?receipt={receipts[room.members[2].id]}").data.decode()
    assert receipts[room.members[2].id] in found
    # The third member's ballot, (4, 2, 6), read back from the register in French.
    assert re.findall(r"<li>([^<]+)&#8239;: <strong>([^<]+)</strong></li>", found) == [
        ("Jardin partagé", "Bien"), ("Parking", "Passable"), ("Aire de jeux", "Excellent")]


def test_register_detects_tampering(app, client, room):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    ids = option_ids(vote)
    for member in room.members:
        login(client, member)
        post_ballot(client, vote.id, {i: 3 for i in ids})
        logout(client)
    login(client, room.facilitator)
    post_action(client, vote.id, "fermer")
    document = json.loads(client.get(f"/votes/{vote.id}/registre.json").data)
    chain.verify(document)
    document["entries"][1]["grades"][0] = 6
    try:
        chain.verify(document)
    except chain.ChainError:
        pass
    else:
        raise AssertionError("a changed ballot must break the chain")
    document = json.loads(client.get(f"/votes/{vote.id}/registre.json").data)
    del document["entries"][0]
    try:
        chain.verify(document)
    except chain.ChainError:
        pass
    else:
        raise AssertionError("a removed ballot must break the chain")


def test_scheduled_vote_opens_and_closes_by_itself(app, client, room, monkeypatch):
    """Pages follow the clock at once and write nothing; the worker's sweep records each
    transition once (convergence.phases)."""
    from convergence import live, tasks
    from convergence.models import PhaseTransition

    published = []
    monkeypatch.setattr(live, "publish", lambda *args: published.append(args))
    now = utcnow()
    vote = new_vote(room, opens_at=now + timedelta(minutes=5), closes_at=now + timedelta(minutes=30))
    assert says(client.get(f"/votes/{vote.id}"), "Scheduled")
    db.session.execute(db.update(Vote).values(opens_at=now - timedelta(minutes=1)))
    db.session.commit()
    assert says(client.get(f"/votes/{vote.id}"), "Voting open")
    assert published == [] and db.session.scalar(db.select(Vote.announced)) == "draft"  # a GET wrote nothing
    tasks.run_scheduled()
    client.get(f"/votes/{vote.id}")
    tasks.run_scheduled()
    assert [p[1] for p in published] == ["mj.vote.opened"]
    login(client, room.members[0])
    recorded(post_ballot(client, vote.id, {i: 1 for i in option_ids(vote)}))
    db.session.execute(db.update(Vote).values(closes_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert post_ballot(client, vote.id, {i: 1 for i in option_ids(vote)}).status_code == 410
    assert says(client.get(f"/votes/{vote.id}/resultats"), "Voting closed")
    assert client.get(f"/votes/{vote.id}/registre.json").status_code == 403  # not fixed yet
    tasks.run_scheduled()
    tasks.run_scheduled()
    names = [p[1] for p in published]
    assert names.count("mj.vote.closed") == 1 and "mj.vote.results" in names
    db.session.expire_all()
    assert db.session.get(Vote, vote.id).chain_length == 1
    assert client.get(f"/votes/{vote.id}/registre.json").status_code == 200
    assert sorted(db.session.execute(db.select(PhaseTransition.from_state, PhaseTransition.to_state)).all()) == [
        ("open", "closed"), ("upcoming", "open")]


def test_the_worker_closes_a_vote_at_its_deadline_without_any_page_read(app, room, monkeypatch):
    from convergence import hooks, live, tasks

    published, changes = [], []
    monkeypatch.setattr(live, "publish", lambda *args: published.append(args))

    def changed(vote, **kwargs):
        changes.append((vote.id, kwargs))

    hooks.phase_changed.connect(changed)
    try:
        vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1),
                        closes_at=utcnow() + timedelta(milliseconds=300))
        # The scheduled task the vote's creation deferred runs once its time has come.
        wait_until(lambda: tasks.run_scheduled() and db.session.scalar(
            db.select(Vote.announced).where(Vote.id == vote.id).execution_options(populate_existing=True))
            == "closed", timeout=10, message="the vote was not closed at its deadline")
    finally:
        hooks.phase_changed.disconnect(changed)
    assert changes == [(vote.id, {"kind": "mj.vote", "old": "open", "new": "closed"})]
    assert [p[1] for p in published] == ["mj.vote.opened", "mj.vote.closed", "mj.vote.results"]  # opened: at once
    db.session.expire_all()
    assert db.session.get(Vote, vote.id).chain_head is not None


def test_open_and_close_are_published(app, client, room, monkeypatch):
    from convergence import live

    published = []
    monkeypatch.setattr(live, "publish", lambda *args: published.append(args))
    vote = new_vote(room)
    login(client, room.facilitator)
    post_action(client, vote.id, "ouvrir")
    post_action(client, vote.id, "fermer")
    channel = f"space:{room.assembly.space_id}"  # the assembly's
    assert [(live.channel(a), e) for a, e, _d in published] == [
        (channel, "mj.vote.opened"), (channel, "mj.vote.closed"), (channel, "mj.vote.results")]
    assert all(d == {"vote_id": vote.id} for _a, _e, d in published)


def test_live_events_are_declared(app, client, room):
    page = client.get(f"/votes/{new_vote(room).id}/projection").data.decode()
    events = re.search(r'data-live-events="([^"]+)"', page).group(1).split()
    assert {"mj.vote.opened", "mj.vote.closed", "mj.vote.results", "mj.vote.ballot"} <= set(events)
    assert 'data-live-region="mj-results"' in page
    assert f'data-live-url="/assemblees/{room.assembly.id}/direct"' in page


def test_live_results_setting(app, client, room):
    vote = new_vote(room, live_results=True, opens_at=utcnow() - timedelta(minutes=1))
    login(client, room.members[0])
    post_ballot(client, vote.id, {i: 6 for i in option_ids(vote)})
    data = json.loads(client.get(f"/votes/{vote.id}/resultats.json").data)
    assert data["online_ballots"] == 1
    # The register only exists after the close.
    assert client.get(f"/votes/{vote.id}/registre.json").status_code == 403


def test_facilitator_only_actions(app, client, room):
    vote = new_vote(room)
    login(client, room.members[0])
    assert client.get(f"/assemblees/{room.assembly.id}/votes/nouveau").status_code == 403
    assert post_action(client, vote.id, "ouvrir").status_code == 403
    assert client.get(f"/votes/{vote.id}/depouillement-papier").status_code == 403
    logout(client)
    login(client, room.outsider)
    vote_open = new_vote(room, question="Autre", opens_at=utcnow())
    refused = post_ballot(client, vote_open.id, {i: 1 for i in option_ids(vote_open)})
    assert refused.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Participation)) == 0


def test_plugin_switched_off_means_404(app, client, room):
    from convergence.models import SpaceFeature

    vote = new_vote(room, opens_at=utcnow())
    login(client, room.members[0])
    ballot = f"/votes/{vote.id}/bulletin"
    token = csrf_token(client, ballot)
    switch = SpaceFeature(space_id=room.assembly.space_id, plugin_name="mj", active=False)
    db.session.add(switch)
    db.session.commit()
    assert client.get(f"/votes/{vote.id}").status_code == 404
    assert client.get(f"/assemblees/{room.assembly.id}/votes").status_code == 404
    assert client.get(f"/votes/{vote.id}/resultats.json").status_code == 404
    # The switch is read with the vote, casting included: nothing is recorded.
    grades = {f"option-{i}": "3" for i in option_ids(vote)}
    assert client.post(ballot, data={"csrf_token": token, **grades}).status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(Participation)) == 0
    switch.active = True
    db.session.commit()
    recorded(client.post(ballot, data={"csrf_token": token, **grades}))


def test_pages_render(app, client, room):
    vote = new_vote(room, opens_at=utcnow())
    login(client, room.facilitator)
    for url in (f"/assemblees/{room.assembly.id}/votes", f"/assemblees/{room.assembly.id}",
                f"/votes/{vote.id}", f"/votes/{vote.id}/feuille?exemplaires=2", f"/votes/{vote.id}/projection",
                f"/votes/{vote.id}/registre", f"/votes/{vote.id}/depouillement-papier",
                f"/assemblees/{room.assembly.id}/votes/nouveau"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "style=" not in response.data.decode(), url
    assembly_page = client.get(f"/assemblees/{room.assembly.id}").data.decode()
    assert f"/assemblees/{room.assembly.id}/votes" in assembly_page  # navigation hook
    assert f"/votes/{vote.id}" in assembly_page  # panel of open votes
    sheet = client.get(f"/votes/{vote.id}/feuille?exemplaires=2").data.decode()
    assert sheet.count('class="mj-sheet mj-sheet-copy"') == 2


def test_edit_before_opening(app, client, room):
    vote = new_vote(room)
    login(client, room.facilitator)
    url = f"/votes/{vote.id}/modifier"
    response = client.post(url, data={
        **browser_fields(client, url), "question": "Nouvelle question",
        "options": "Un\nDeux", "scale": "custom", "custom_grades": "Oui\nBof\nNon", "voters": "codes",
        "start": "later",
    })
    assert response.status_code == 302, response.data[:3000]
    db.session.expire_all()
    vote = db.session.get(Vote, vote.id)
    assert vote.question == "Nouvelle question" and [o.label for o in vote.options] == ["Un", "Deux"]
    assert vote.custom_grades == ["Non", "Bof", "Oui"] and vote.n_grades == 3 and vote.voters == "codes"
    post_action(client, vote.id, "ouvrir")
    assert client.get(url).status_code == 409


def test_create_form_errors(app, client, room):
    login(client, room.facilitator)
    url = f"/assemblees/{room.assembly.id}/votes/nouveau"
    for fields in ({"options": "Seule option"}, {"options": "A\na"}, {"scale": "custom", "custom_grades": "Un seul"},
                   {"start": "scheduled"}):
        data = {**browser_fields(client, url), "question": "Q ?", "options": "A\nB", "scale": "mj7",
                "voters": "members", "start": "later", **fields}
        response = client.post(url, data=data)
        assert response.status_code == 422, fields
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0


def test_user_data_and_exports_hooks(app, client, room):
    from convergence import hooks

    vote = new_vote(room, opens_at=utcnow())
    login(client, room.members[0])
    post_ballot(client, vote.id, {i: 2 for i in option_ids(vote)})
    with app.test_request_context():
        # Other plug-ins may add their own entries.
        data = [d for d in hooks.collect("user-data", user=room.members[0]) if "mj_participations" in d]
        assert data == [{"mj_participations": [
            {"vote_id": vote.id, "question": vote.question, "assembly_id": room.assembly.id,
             "circle_id": None}]}]
        assert "grades" not in json.dumps(data)
        # The plug-in offers no assembly export of its own (other plug-ins may).
        from convergence import open_data

        assert not [e for e in open_data.exports("assembly", room.assembly) if "/votes" in str(e[1])]
        kinds = hooks.collect("agenda-item-kinds", assembly=room.assembly)
        assert ("vote_jm", "Vote au jugement majoritaire") in [(c, str(label)) for c, label in kinds]


def test_new_ballots_are_announced_at_most_once_per_interval(app, client, room, monkeypatch):
    """The throttle on its own clock: the test holds the clock and the delayed announcement,
    so that a slow machine (several ballots taking longer than the interval) changes
    nothing; the delayed announcement is fired by the test once the interval is over."""
    from types import SimpleNamespace

    from convergence import live
    from plugins.mj import status

    published, held, clock = [], [], [1000.0]

    class HeldTimer:
        """threading.Timer's stand-in: started, it waits for the test to fire it."""

        def __init__(self, interval, function):
            self.interval, self.function = interval, function
            held.append(self)

        def start(self):
            pass

        def cancel(self):
            pass

    monkeypatch.setattr(live, "publish", lambda *args: published.append(args))
    monkeypatch.setattr(status, "PROGRESS_INTERVAL", 1.5)
    monkeypatch.setattr(status, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(status, "threading", SimpleNamespace(Timer=HeldTimer))
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    for member in room.members:
        login(client, member)
        recorded(post_ballot(client, vote.id, {i: 3 for i in option_ids(vote)}))
        logout(client)
        clock[0] += 0.1  # well within the interval, however long the request really took
    ballots_events = [e for _a, e, _d in published if e == "mj.vote.ballot"]
    assert len(ballots_events) == 1  # the first at once, the others held back ...
    assert len(held) == 1 and abs(held[0].interval - 1.4) < 1e-9  # ... behind one announcement
    clock[0] += 1.5
    held[0].function()  # the interval is over
    assert [e for _a, e, _d in published].count("mj.vote.ballot") == 2


def test_advance_phases_closes_what_is_past_its_time(app, runner, room):
    """`convergence advance-phases`: the worker's minute sweep, by hand (a site without worker)."""
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=5))
    db.session.execute(db.update(Vote).values(closes_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    result = runner.invoke(args=["advance-phases"])
    assert result.exit_code == 0 and "1 passage d'étape enregistré" in result.output
    assert runner.invoke(args=["advance-phases"]).output.startswith("0 passage d'étape")
    db.session.expire_all()
    assert db.session.get(Vote, vote.id).announced == "closed"
