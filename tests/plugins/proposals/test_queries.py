"""Pages issue the same number of SQL queries whatever the number of proposals and comments."""

from __future__ import annotations

from convergence.extensions import db
from convergence.participation.models import Comment, Support
from plugins.proposals.models import Author, ConsentAnswer, ConsentRound, Proposal, Version
from tests.fixtures import count_queries

from .conftest import as_user

PAGES = ("{base}", "{base}?status=submitted", "{base}?sort=supports&page=2", "{base}?q=jardin",
         "/propositions/{first}", "/propositions/{first}/versions", "{moderation}")


def fill(room, users, n, comments_each):
    for i in range(n):
        proposal = Proposal(assembly_id=room.assembly.id, title=f"Jardin {i}", body="Un.\n\nDeux.",
                            status="submitted" if i % 2 else "discussion", version=2,
                            circle_id=room.circle.id if i % 3 == 0 else None, created_by_id=users[0].id)
        db.session.add(proposal)
        db.session.flush()
        proposal.subject.supports_count, proposal.subject.comments_count = len(users), comments_each
        db.session.add_all([Version(proposal_id=proposal.id, number=k, title=proposal.title, body="x")
                            for k in (1, 2)])
        db.session.add_all([Author(proposal_id=proposal.id, user_id=u.id) for u in users[:2]])
        db.session.add_all([Support(subject_id=proposal.subject_id, user_id=u.id) for u in users])
        parent = None
        for k in range(comments_each):
            comment = Comment(subject_id=proposal.subject_id, author_id=users[k % len(users)].id, body=f"Avis {k}",
                              parent_id=parent, reports_count=k % 2)
            db.session.add(comment)
            db.session.flush()
            parent = comment.id if k % 3 else None
        round_ = ConsentRound(proposal_id=proposal.id, number=1, version=2)
        db.session.add(round_)
        db.session.flush()
        db.session.add_all([ConsentAnswer(round_id=round_.id, user_id=u.id, answer="consent") for u in users])
    db.session.commit()
    return db.session.scalar(db.select(db.func.min(Proposal.id)))


def counts(app, room, first):
    client = as_user(app, room.facilitator)
    result = {}
    for template in PAGES:
        url = template.format(base=room.base, first=first,
                              moderation=f"/assemblees/{room.assembly.id}/propositions/moderation")
        client.get(url)  # warm caches that do not depend on the data
        with count_queries(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        result[template] = len(statements)
    return result


def test_query_counts_do_not_grow_with_the_data(app, room, make):
    users = [room.alice, room.bob, room.carol]
    first = fill(room, users, 3, 3)
    small = counts(app, room, first)
    users += [make.user() for _ in range(7)]
    for user in users[3:]:
        make.role(user, "resident", commune=room.commune)
    fill(room, users, 40, 30)
    big = counts(app, room, first)
    assert small == big
    # A proposal with ten times the comments, supports and answers: the same count again.
    busiest = db.session.scalar(db.select(db.func.max(Proposal.id)))
    assert counts(app, room, busiest) == big
    assert max(big.values()) <= 20, big
