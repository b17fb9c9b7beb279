"""The participation services on a bare subject: supports with a threshold reached
exactly once (under simultaneous supports on PostgreSQL too), withdrawal, threads,
reports once per person, moderation logged, links shown from both sides, and the
moderation rule a plug-in widens."""

from __future__ import annotations

import threading

import pytest

from convergence.extensions import db
from convergence.participation import comments, history, links, supports
from convergence.participation.models import ModerationAction, Subject, Support
from convergence.participation.permissions import _MODERATORS, moderators
from convergence.participation.refusal import AlreadySet, Refused
from convergence.permissions import can
from tests.fixtures import require_postgres


def subject(plugin="example") -> int:
    row = Subject(plugin=plugin)
    db.session.add(row)
    db.session.commit()
    return row.id


def counts(subject_id):
    db.session.expire_all()
    row = db.session.get(Subject, subject_id)
    return row.supports_count, row.threshold_reached_at is not None


def test_the_threshold_is_reached_once_and_stays_reached(app, make):
    people = [make.user() for _ in range(4)]
    sid = subject()
    told = [supports.add(sid, person, threshold=2).reached for person in people[:3]]
    db.session.commit()
    assert told == [False, True, False] and counts(sid) == (3, True)
    with pytest.raises(AlreadySet):
        supports.add(sid, people[0], threshold=2)
    db.session.rollback()
    assert supports.withdraw(sid, people[1]) == 2 and supports.withdraw(sid, people[2]) == 1
    db.session.commit()
    with pytest.raises(AlreadySet):
        supports.withdraw(sid, people[2])
    db.session.rollback()
    # Back over the threshold after falling under it: already reached, never announced again.
    assert [supports.add(sid, p, threshold=2).reached for p in (people[1], people[3])] == [False, False]
    db.session.commit()
    assert counts(sid) == (3, True)
    assert db.session.scalar(db.select(db.func.count(Support.id))) == 3


@pytest.mark.postgres
def test_simultaneous_supports_reach_the_threshold_exactly_once(app, make, monkeypatch):
    require_postgres()
    people = [make.user() for _ in range(6)]
    sid = subject()
    ids = [p.id for p in people]
    db.session.commit()
    # Every request passes its own checks, then all write at the same instant.
    barrier = threading.Barrier(len(ids))
    original = supports.has_supported

    def waiting(*args, **kwargs):
        answer = original(*args, **kwargs)
        barrier.wait(timeout=20)
        return answer

    monkeypatch.setattr(supports, "has_supported", waiting)
    results, errors = [None] * len(ids), []

    def run(index):
        try:
            with app.app_context():
                from convergence.models import User

                outcome = supports.add(sid, db.session.get(User, ids[index]), threshold=3)
                db.session.commit()
                results[index] = outcome
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(r.count for r in results) == [1, 2, 3, 4, 5, 6]  # the counter is exact
    assert [r.reached for r in results].count(True) == 1
    assert next(r.count for r in results if r.reached) >= 3
    assert counts(sid) == (6, True)


def test_threads_reports_and_the_moderation_log(app, make):
    alice, bob, carol = make.user(), make.user(), make.user()
    sid, other = subject(), subject()
    first = comments.add(sid, alice, "Un **avis**")
    db.session.flush()
    reply = comments.add(sid, bob, "Une réponse", parent_id=str(first.id))
    with pytest.raises(Refused):
        comments.add(other, bob, "Ailleurs", parent_id=str(first.id))  # not a comment of this subject
    with pytest.raises(Refused):
        comments.add(sid, bob, "   ")
    db.session.commit()
    assert first.body_html == "<p>Un <strong>avis</strong></p>"
    [root] = comments.threads(sid)
    assert (root.comment.id, [(t.comment.id, t.depth) for t in root.replies]) == (first.id, [(reply.id, 1)])
    comments.report(reply, carol, "Hors sujet")
    db.session.commit()
    with pytest.raises(AlreadySet):
        comments.report(reply, carol, "Encore")
    db.session.rollback()
    assert [c.id for c in comments.reported(db.select(Subject.id))] == [reply.id]
    with pytest.raises(Refused):
        comments.moderate(reply, alice, "hide", "")  # a reason is required
    comments.moderate(reply, alice, "hide", "Attaque")
    comments.moderate(reply, alice, "restore", "")
    db.session.commit()
    log = comments.log(db.select(Subject.id).where(Subject.id == sid))
    assert [(m.action, m.reason, m.by_id) for m in log] == [("restore", "", alice.id), ("hide", "Attaque", alice.id)]
    assert db.session.scalar(db.select(db.func.count(ModerationAction.id))) == 2
    assert counts(sid)[0] == 0 and db.session.get(Subject, sid).comments_count == 2


def test_history_is_kept_in_order(app, make):
    facilitator, sid = make.user(), subject()
    history.record(sid, None, "reported")
    history.record(sid, "reported", "recognised", facilitator, "Vu")
    db.session.commit()
    assert [(c.from_status, c.to_status, c.reason, c.by) for c in history.of(sid)] == [
        (None, "reported", "", None), ("reported", "recognised", "Vu", facilitator)]


def test_a_link_is_named_by_the_plugin_that_owns_the_other_side(app):
    a, b = subject("nobody"), subject("nobody")
    links.link(a, b)
    db.session.commit()
    # No plug-in answers for "nobody": nothing can be shown, on either side.
    assert links.linked(a) == [] and links.linked(b) == []


class Item:
    subject_plugin = "example"


def test_moderation_is_widened_by_a_plugin_never_granted_by_default(app, make):
    person, admin = make.user(), make.user(admin=True)
    assert not can("participation.moderate", Item(), user=person)
    assert can("participation.moderate", Item(), user=admin)  # a site administrator manages
    try:
        moderators("example")(lambda user, item: user.id == person.id)
        assert can("participation.moderate", Item(), user=person)
    finally:
        _MODERATORS.pop("example", None)
