"""The minutes, their Markdown export and the statistics read in the same number of SQL
statements whatever the number of votes, ballots, agenda items, notes, note-takers, consent
rounds and turns, and say each vote's state and outcome right."""

from __future__ import annotations

from datetime import timedelta

from convergence.extensions import db
from convergence.models import AgendaItem
from convergence.models.base import utcnow
from convergence.testing import count_queries, visible_text

from .conftest import french, switch

PAGES = ("/compte-rendu", "/compte-rendu.md", "/statistiques-de-parole.csv")


def statements(app, client, url: str) -> int:
    client.get(url)  # warm-up: first-request work is not what is measured
    with count_queries(app) as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen)


def costs(app, client, meeting) -> dict[str, int]:
    return {page: statements(app, client, f"/assemblees/{meeting.assembly.id}{page}") for page in PAGES}


def vote(meeting, item, options: str, ballots=(), *, close=False):
    """A vote opened from the console on ``item``, with ``ballots`` (grades by option label,
    worst grade 0) cast by the meeting's people, closed if asked."""
    from plugins.facilitation import decisions
    from plugins.mj import api
    from plugins.mj import ballots as mj_ballots

    opened = decisions.open_vote_on(meeting.assembly, item, meeting.facilitator, options)
    ids = {option.label: option.id for option in opened.options}
    for person, grades in zip(meeting.people, ballots):
        mj_ballots.cast(opened, {ids[label]: grade for label, grade in grades.items()}, user_id=person.id)
    if close:
        api.close_vote(opened, meeting.facilitator)
    return opened


def name_note_taker(meeting, user) -> None:
    from plugins.facilitation import minutes

    minutes.set_note_taker(meeting.assembly, user.id, True)
    db.session.commit()


def decision_line(item, state: str, outcome: str | None = None) -> str:
    """How the page writes a vote held on ``item`` (its question is the item's title)."""
    words = [item.title, french(state)] + ([outcome] if outcome else [])
    return " — ".join(words)


def section(text: str, meeting, index: int) -> str:
    """The visible text of one agenda item's part of the minutes."""
    start = text.index(f"{index + 1}. {meeting.items[index].title}")
    following = [text.index(f"{n + 1}. {i.title}", start) for n, i in enumerate(meeting.items) if n > index]
    end = following[0] if following else text.index(french("The whole meeting"), start)
    return text[start:end]


def test_one_vote_or_eight_the_minutes_cost_the_same_and_say_each_outcome(app, client, meeting):
    first, second, third = meeting.items
    bao = meeting.people[1]
    with app.test_request_context():
        bio = vote(meeting, first, "Bio\nLocal", [{"Bio": 5, "Local": 2}, {"Bio": 4, "Local": 3}], close=True).id
        name_note_taker(meeting, bao)
    switch(client, bao)  # a note-taker: may write the notes of every item
    one = costs(app, client, meeting)

    with app.test_request_context():
        vote(meeting, first, "Oui\nNon", [{"Oui": 1, "Non": 6}, {"Oui": 0, "Non": 5}, {"Oui": 2, "Non": 4}],
             close=True)
        vote(meeting, second, "Midi\nSoir", [{"Midi": 3, "Soir": 3}, {"Midi": 5, "Soir": 5}], close=True)
        vote(meeting, second, "Lundi\nMardi", close=True)  # closed without a ballot
        vote(meeting, second, "Été\nHiver", [{"Été": 1, "Hiver": 6}], close=True)
        vote(meeting, third, "Rouge\nVert", [{"Rouge": 6, "Vert": 0}])  # open: nothing told yet
        vote(meeting, third, "Haut\nBas", [{"Haut": 0, "Bas": 6}, {"Haut": 1, "Bas": 6}])
        vote(meeting, third, "Nord\nSud")
    eight = costs(app, client, meeting)
    assert eight == one, (one, eight)
    assert eight["/compte-rendu"] <= 16, eight

    text = visible_text(client.get(f"/assemblees/{meeting.assembly.id}/compte-rendu"))
    closed, open_ = "Voting closed", "Voting open"
    chosen = lambda option: french("Chosen: %(option)s", option=option)  # noqa: E731
    assert decision_line(first, closed, chosen("Bio")) in section(text, meeting, 0)
    assert decision_line(first, closed, chosen("Non")) in section(text, meeting, 0)
    middle = section(text, meeting, 1)
    assert decision_line(second, closed, french("Tied for first: %(options)s", options="Midi, Soir")) in middle
    assert decision_line(second, closed, chosen("Hiver")) in middle
    assert middle.count(decision_line(second, closed)) == 3  # the tie, the empty vote, Hiver
    last = section(text, meeting, 2)
    assert last.count(decision_line(third, open_)) == 3
    assert chosen("Rouge") not in last and chosen("Bas") not in last  # no leader told while open
    assert text.count(french("Write the notes")) == 3

    markdown = client.get(f"/assemblees/{meeting.assembly.id}/compte-rendu.md").get_data(as_text=True)
    lines = [" ".join(line.split()) for line in markdown.splitlines()]  # as french() spaces them
    public = app.config["PUBLIC_URL"].rstrip("/")
    assert f"- [{first.title}]({public}/votes/{bio}) — {french(closed)} — {chosen('Bio')}" in lines


def test_a_vote_past_its_closing_time_not_yet_recorded_tells_its_outcome_in_bounded_statements(
        app, client, meeting):
    """Until the worker records the close, the ballots are still sealed: the minutes open
    them, in one statement for all such votes."""
    from plugins.mj.models import Vote

    def past(opened) -> None:
        db.session.execute(db.update(Vote).where(Vote.id == opened.id)
                           .values(closes_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()

    with app.test_request_context():
        past(vote(meeting, meeting.items[0], "Bio\nLocal", [{"Bio": 1, "Local": 4}]))
    one = costs(app, client, meeting)
    with app.test_request_context():
        past(vote(meeting, meeting.items[1], "Midi\nSoir", [{"Midi": 6, "Soir": 0}, {"Midi": 5, "Soir": 0}]))
        past(vote(meeting, meeting.items[2], "Haut\nBas", [{"Haut": 0, "Bas": 2}]))
    assert costs(app, client, meeting) == one
    text = visible_text(client.get(f"/assemblees/{meeting.assembly.id}/compte-rendu"))
    for index, winner in enumerate(("Local", "Midi", "Bas")):
        assert decision_line(meeting.items[index], "Voting closed", french("Chosen: %(option)s", option=winner)) \
            in section(text, meeting, index)


def test_items_notes_note_takers_rounds_and_turns_do_not_add_statements(app, client, meeting):
    from plugins.facilitation import item_rounds, minutes, speakers

    def hold(item, notes: str, rounds: int, turns) -> None:
        for _round in range(rounds):
            item_rounds.open_on(meeting.assembly, item, meeting.facilitator)
            db.session.commit()
            round_ = item_rounds.open_round_of(item.id)
            item_rounds.answer(meeting.assembly, round_, meeting.people[0], "consent", "")
            item_rounds.close(meeting.assembly, round_)
            db.session.commit()
        for person in turns:
            speakers.ask(meeting.assembly, item, person, "intervention", None)
            speakers.give_floor(meeting.assembly, item)
            speakers.end_turn(meeting.assembly, item)
            db.session.commit()
        minutes.save_notes(meeting.assembly, item, meeting.facilitator, notes, f"- Décidé pour {item.title}")
        db.session.commit()

    alix, bao, chloe, dominique = meeting.people
    with app.test_request_context():
        hold(meeting.items[0], "Ouverture **à l'heure**.", 1, [alix])
        vote(meeting, meeting.items[0], "Oui\nNon", [{"Oui": 6, "Non": 0}], close=True)
        name_note_taker(meeting, bao)
    switch(client, bao)
    few = costs(app, client, meeting)

    with app.test_request_context():
        for n in range(7):
            db.session.add(AgendaItem(assembly_id=meeting.assembly.id, position=3 + n, title=f"Point {n + 4}"))
        db.session.commit()
        db.session.refresh(meeting.assembly)
        for index, item in enumerate(meeting.assembly.agenda[1:], start=1):
            hold(item, f"Notes du point {index + 1}", 1 + index % 2, [alix, bao, chloe][: 1 + index % 3])
        for person in (chloe, dominique):
            name_note_taker(meeting, person)
    many = costs(app, client, meeting)
    assert many == few, (few, many)

    page = client.get(f"/assemblees/{meeting.assembly.id}/compte-rendu")
    text = visible_text(page)
    assert "Notes du point 10" in text and "Décidé pour Point 10" in text
    assert "<strong>à l'heure</strong>" in page.get_data(as_text=True).replace("&#39;", "'")
    assert text.count(french("Consent round no. %(n)d", n=2)) == 5  # items 2, 4, 6, 8, 10 held two
    assert text.count(french("Write the notes")) == 10
    assert french("Chosen: %(option)s", option="Oui") in text


def test_the_assembly_page_costs_the_same_with_ten_items_of_minutes(app, client, meeting):
    from plugins.facilitation import minutes

    url = f"/assemblees/{meeting.assembly.id}"
    switch(client, meeting.people[1])
    before = statements(app, client, url)
    with app.test_request_context():
        for n in range(7):
            db.session.add(AgendaItem(assembly_id=meeting.assembly.id, position=3 + n, title=f"Point {n + 4}"))
        db.session.commit()
        db.session.refresh(meeting.assembly)
        for item in meeting.assembly.agenda:
            minutes.save_notes(meeting.assembly, item, meeting.facilitator, "Notes", "")
            vote(meeting, item, "Oui\nNon", [{"Oui": 6, "Non": 0}], close=True)
        name_note_taker(meeting, meeting.people[1])
    page = client.get(url)
    assert french("Minutes") in visible_text(page)
    assert statements(app, client, url) == before
