"""A time budget per list (delegation) and item: the timer says what is left to the
speaker's list, and the console tells the facilitator once a list's budget is spent."""

from __future__ import annotations

from datetime import timedelta

from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.space_settings import write_settings
from convergence.testing import visible_text
from plugins.facilitation import speakers
from plugins.facilitation.board import board_of

from .conftest import french, rows, switch


def _speak(meeting, person, group, seconds):
    """``person`` of ``group`` is given the floor and has spoken ``seconds`` so far."""
    speakers.ask(meeting.assembly, meeting.item, person, "intervention", group)
    speakers.give_floor(meeting.assembly, meeting.item)
    speakers.run_timer(meeting.assembly, meeting.item, "start")
    turn = next(r for r in rows() if r.state == "speaking")
    turn.running_since = utcnow() - timedelta(seconds=seconds)  # as if that much time had gone by
    db.session.commit()



def test_the_budget_of_a_delegation_counts_down_over_its_turns_and_the_facilitator_is_told(app, client, meeting):
    write_settings(meeting.assembly, "facilitation", {"list_names": "Commercy, Saillans",
                                                      "list_budget_seconds": 100, "speaking_seconds": 300})
    db.session.commit()
    alix, bao = meeting.people[:2]
    with app.test_request_context():
        _speak(meeting, alix, "Commercy", 60)
        speakers.end_turn(meeting.assembly, meeting.item)
        db.session.commit()
        _speak(meeting, bao, "Commercy", 30)
        board = board_of(meeting.assembly, meeting.item)
        assert 9 <= board.budget_remaining <= 10 and board.spent_groups == []
    switch(client, meeting.facilitator)
    text = visible_text(client.get(meeting.console))
    assert french("Left in the budget of « %(list)s »: %(time)s", list="Commercy", time="0:10") in text
    spent = french("The time budget of « %(list)s » for this item is spent.", list="Commercy")
    assert spent not in text
    turn = next(r for r in rows() if r.state == "speaking")
    turn.running_since -= timedelta(seconds=15)  # Bao goes on 15 s more: 5 s over the budget
    db.session.commit()
    text = visible_text(client.get(meeting.console))
    assert french("Left in the budget of « %(list)s »: %(time)s", list="Commercy", time="-0:05") in text
    assert spent in text
    assert french("The time budget of « %(list)s » for this item is spent.", list="Saillans") not in text
    # The room and the speaker's phone show what is left to the list too.
    assert "-0:05" in visible_text(client.get(meeting.room))


def test_without_a_budget_nothing_is_counted_per_list(app, meeting):
    write_settings(meeting.assembly, "facilitation", {"list_names": "Commercy"})
    db.session.commit()
    with app.test_request_context():
        _speak(meeting, meeting.people[0], "Commercy", 500)
        board = board_of(meeting.assembly, meeting.item)
    assert board.budget_remaining is None and board.spent_groups == []
