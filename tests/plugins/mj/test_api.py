"""The Python API other plug-ins use (proposals, amendments…)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.mj import api, ballots
from plugins.mj.models import Vote
from plugins.mj.scales import colours, labels_for

from .conftest import option_ids


def test_options_linked_to_other_plugins(app, room):
    with app.test_request_context():
        vote = api.create_vote(room.assembly, "Quel amendement retenir ?",
                               options=[("Amendement A", "amendments", 12), ("Amendement B", "amendments", 13),
                                        "Texte initial"],
                               voters="codes", opens_at=utcnow(), created_by=room.facilitator)
        assert api.vote_url(vote) == f"/votes/{vote.id}"
        assert [(o.label, o.source_plugin, o.source_id) for o in vote.options] == [
            ("Amendement A", "amendments", "12"), ("Amendement B", "amendments", "13"),
            ("Texte initial", None, None)]
        assert api.votes_for_source("amendments", 13) == [vote]
        assert api.votes_for_source("amendments", 99) == []
        assert api.results_for(vote) is None  # hidden until the close
        a, b, c = option_ids(vote)
        for grades in ({a: 5, b: 2, c: 3}, {a: 4, b: 6, c: 0}, {a: 4, b: 1, c: 6}):
            code = api.create_codes(vote, 1)[0]
            ballots.cast(vote, grades, code_id=code.id)
        assert api.results_for(vote, force=True).online_ballots == 3
        api.close_vote(vote)
        results = api.results_for(vote)
        best = results.winners[0]
        assert (best.option.source_plugin, best.option.source_id, best.rank) == ("amendments", "12", 1)
        assert best.majority_grade == 4 and best.majority_label in ("Good", "Bien")
        exported = results.as_dict()
        assert exported["ranking"][0]["source"] == {"plugin": "amendments", "id": "12"}


@pytest.mark.parametrize("kwargs, message", [
    ({"options": ["Seule"]}, "A vote needs at least two options."),
    ({"options": ["A", "a"]}, "The option « %(label)s » is given twice."),
    ({"scale": "inconnue"}, "Unknown grading scale."),
    ({"scale": "custom", "custom_grades": ["Seul"]}, "Give between 2 and 10 grades, one per line."),
    ({"voters": "tout le monde"}, "Unknown kind of voters."),
    ({"opens_at": utcnow() + timedelta(hours=2), "closes_at": utcnow() + timedelta(hours=1)},
     "The vote must close after it opens."),
    ({"question": " "}, "The question is required."),
])
def test_invalid_definitions(app, room, kwargs, message):
    arguments = {"question": "Q ?", "options": ["A", "B"], **kwargs}
    with app.test_request_context(), pytest.raises(api.VoteDefinitionError):
        api.create_vote(room.assembly, arguments.pop("question"), arguments.pop("options"), **arguments)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0


def test_ties_share_a_rank(app, room):
    with app.test_request_context():
        vote = api.create_vote(room.assembly, "Égalité ?", ["A", "B", "C"], voters="codes", opens_at=utcnow())
        a, b, c = option_ids(vote)
        for grades in ({a: 3, b: 3, c: 1}, {a: 5, b: 5, c: 2}):
            ballots.cast(vote, grades, code_id=api.create_codes(vote, 1)[0].id)
        api.close_vote(vote)
        assert [(r.option.label, r.rank) for r in api.results_for(vote).ranking] == [("A", 1), ("B", 1), ("C", 3)]


def test_open_and_close_rules(app, room):
    with app.test_request_context():
        vote = api.create_vote(room.assembly, "Q ?", ["A", "B"])
        with pytest.raises(api.VoteDefinitionError):
            api.close_vote(vote)
        api.open_vote(vote)
        with pytest.raises(api.VoteDefinitionError):
            api.open_vote(vote)
        api.close_vote(vote)
        with pytest.raises(api.VoteDefinitionError):
            api.update_vote(vote, question="Trop tard")
        assert vote.chain_length == 0 and len(vote.chain_head) == 64


def test_scales():
    for code in ("mj7", "mj6", "mj5", "mj4", "mj3", "mj2", "numbers10"):
        labels = labels_for(code)
        assert 2 <= len(labels) <= 10
        assert len(colours(len(labels))) == len(labels)
    assert labels_for("custom", ["Non", "Oui"]) == ("Non", "Oui")
    seven = colours(7)
    assert seven[0] == "#b31b1b" and seven[-1] == "#1a7f37"  # red for "reject", green for "excellent"


def test_cast_checks_the_times_in_the_database(app, room):
    """A page loaded before the close must not slip a ballot in after it."""
    from plugins.mj.models import Ballot, Participation

    with app.test_request_context():
        vote = api.create_vote(room.assembly, "Q ?", ["A", "B"], opens_at=utcnow() - timedelta(minutes=5))
        a, b = option_ids(vote)
        stale = db.session.get(Vote, vote.id)
        db.session.execute(db.update(Vote).where(Vote.id == vote.id).values(closes_at=utcnow() - timedelta(seconds=1)))
        with pytest.raises(ballots.BallotError) as refused:
            ballots.cast(stale, {a: 1, b: 2}, user_id=room.members[0].id)
        assert refused.value.status == 410
        for model in (Participation, Ballot):
            assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0
