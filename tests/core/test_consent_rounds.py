"""The core's consent rounds: one answer per person by the database, an objection blocks,
the outcome is set exactly once, and only the people asked answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from convergence.consent import rounds
from convergence.extensions import db
from convergence.models import ConsentAnswer, ConsentRound
from convergence.models.base import utcnow
from convergence.models.consent import ANSWERS
from convergence.refusal import Refused


def opened(user, mode="live", deadline=None) -> ConsentRound:
    round_ = rounds.start(ConsentRound(), user, mode, deadline)
    db.session.commit()
    return round_


def everyone(_person) -> bool:
    return True


def test_one_answer_per_person_and_round_is_enforced_by_the_database(app, make):
    person = make.user()
    round_ = opened(person)
    db.session.add_all([ConsentAnswer(round_id=round_.id, user_id=person.id, answer="consent"),
                        ConsentAnswer(round_id=round_.id, user_id=person.id, answer="stand_aside")])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # Through the service a second answer replaces the first.
    rounds.answer(round_, person, "consent", "", asked=everyone)
    db.session.commit()
    rounds.answer(round_, person, "objection", "Pas ainsi", asked=everyone)
    db.session.commit()
    rows = db.session.execute(db.select(ConsentAnswer.answer, ConsentAnswer.reason)).all()
    assert rows == [("objection", "Pas ainsi")]


def test_an_objection_without_reason_is_refused_by_the_service_and_the_database(app, make):
    person = make.user()
    round_ = opened(person)
    with pytest.raises(Refused):
        rounds.answer(round_, person, "objection", "  ", asked=everyone)
    db.session.add(ConsentAnswer(round_id=round_.id, user_id=person.id, answer="objection", reason=""))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_objection_blocks_until_it_is_treated(app, make):
    a, b = make.user(), make.user()
    round_ = opened(a)
    rounds.answer(round_, a, "consent", "", asked=everyone)
    objection = rounds.answer(round_, b, "objection", "Le coût n'est pas chiffré", asked=everyone)
    db.session.commit()
    assert rounds.outcome_of(round_.answers) == rounds.OUTCOME_OBJECTIONS
    rounds.resolve(objection, "Chiffrage ajouté au texte")
    db.session.commit()
    assert rounds.close(round_) == rounds.OUTCOME_ADOPTED
    db.session.commit()


def test_the_outcome_is_set_exactly_once(app, make):
    a = make.user()
    round_ = opened(a, "async", utcnow() + timedelta(hours=1))
    rounds.answer(round_, a, "consent", "", asked=everyone)
    round_.deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert rounds.close_if_due(round_) == rounds.OUTCOME_ADOPTED
    db.session.commit()
    closed_at = round_.closed_at
    assert rounds.close_if_due(round_) is None
    assert rounds.close_if_complete(round_, {a.id}) is None
    with pytest.raises(Refused) as refused:
        rounds.close(round_)
    assert refused.value.status == 409
    with pytest.raises(Refused):
        rounds.answer(round_, a, "objection", "Trop tard", asked=everyone)
    round_ = db.session.get(ConsentRound, round_.id)
    assert (round_.outcome, round_.closed_at) == ("adopted", closed_at)


def test_a_round_of_a_known_group_closes_when_everyone_asked_has_answered(app, make):
    a, b = make.user(), make.user()
    round_ = opened(a)
    rounds.answer(round_, a, "consent", "", asked=everyone)
    assert rounds.close_if_complete(round_, {a.id, b.id}) is None
    rounds.answer(round_, b, "stand_aside", "", asked=everyone)
    assert rounds.close_if_complete(round_, {a.id, b.id}) == rounds.OUTCOME_ADOPTED
    assert rounds.close_if_complete(round_, {a.id, b.id}) is None
    db.session.commit()


def test_only_the_people_asked_answer_and_an_administrator_is_not_asked_for_being_one(app, make):
    member, admin = make.user(), make.user(admin=True)
    round_ = opened(member)
    with pytest.raises(Refused) as refused:
        rounds.answer(round_, admin, "consent", "", asked=lambda person: person.id == member.id)
    assert refused.value.status == 403
    assert db.session.scalar(db.select(db.func.count(ConsentAnswer.id))) == 0


ANSWER = st.tuples(st.sampled_from(ANSWERS), st.booleans())


@given(st.lists(ANSWER, max_size=12))
@settings(max_examples=200, deadline=None)
def test_adopted_exactly_when_answers_came_and_no_objection_remains(answers):
    rows = [ConsentAnswer(answer=value, resolved=resolved, reason="r") for value, resolved in answers]
    expected = (rounds.OUTCOME_NO_ANSWER if not rows else
                rounds.OUTCOME_OBJECTIONS if any(v == "objection" and not r for v, r in answers)
                else rounds.OUTCOME_ADOPTED)
    assert rounds.outcome_of(rows) == expected


def test_a_live_round_keeps_no_deadline_and_an_async_one_needs_a_future_one(app):
    assert rounds.schedule("live", utcnow() + timedelta(days=1)) is None
    for mode, deadline in (("async", None), ("async", utcnow() - timedelta(minutes=1)), ("secret", None)):
        with pytest.raises(Refused):
            rounds.schedule(mode, deadline)
