"""Secrecy of budget ballots against whoever reads the database, as for majority judgment
(tests/plugins/mj/test_secrecy.py): while the vote is open only sealed rows of one length
sit beside the participations; at the close they are written out in random order by one
transaction, unrelated to the order people voted in."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from convergence import ballot_box
from convergence.balloting.models import Ballot, Participation, SealedBallot
from convergence.extensions import db
from plugins.budget import casting, status
from plugins.budget.models import Process
from tests.fixtures import require_postgres

from .ballot_support import new_process

VOTERS = 60


def postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def crowd(make):
    commune = make.commune("Commune de Saillans")
    people = []
    for n in range(VOTERS):
        person = make.user(f"Votante {n}")
        make.role(person, "resident", commune=commune)
        people.append(person)
    return commune, people


def cast_in_order(app, process: Process, people) -> list[tuple[int, str, str]]:
    """Each person a ballot of their own (1 to 3 projects), one transaction each."""
    cast = []
    with app.test_request_context():
        for n, person in enumerate(people):
            content = {number: 1 for number in range(1, 6) if (n >> (number - 1)) & 1} or {1: 1}
            content = dict(list(content.items())[:3])
            receipt = casting.cast(db.session.get(Process, process.id), content, user_id=person.id)
            cast.append((person.id, receipt, ".".join(str(k) for k in sorted(content))))
    return cast


def close(app, process: Process) -> None:
    with app.test_request_context():
        db.session.expire_all()
        locked = db.session.get(Process, process.id)
        status.close_now(locked)
        db.session.commit()


def kendall_tau(order: list[str], reference: list[str]) -> float:
    position = {item: n for n, item in enumerate(reference)}
    ranks = [position[item] for item in order]
    concordant = discordant = 0
    for i in range(len(ranks)):
        for j in range(i + 1, len(ranks)):
            if ranks[i] < ranks[j]:
                concordant += 1
            else:
                discordant += 1
    return (concordant - discordant) / (concordant + discordant)


def physical_order(table: str, box_id: int, column: str) -> list:
    place = "ctid" if postgres() else "rowid"
    return list(db.session.execute(sa.text(
        f"SELECT {column} FROM {table} WHERE box_id = :box ORDER BY {place}"), {"box": box_id}).scalars())


def test_nothing_in_clear_while_the_vote_is_open(app, crowd):
    commune, people = crowd
    process = new_process(commune)
    cast = cast_in_order(app, process, people)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participation)) == VOTERS
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0
    rows = db.session.execute(sa.select(SealedBallot.lookup, SealedBallot.sealed)).all()
    assert len(rows) == VOTERS
    everything = b"".join(bytes(lookup) + bytes(sealed) for lookup, sealed in rows)
    for _user, receipt, _text in cast:
        assert receipt.encode() not in everything and receipt.replace("-", "").encode() not in everything
    # Identical ballots seal to unrelated bytes; one length whatever the number of projects.
    assert len({bytes(sealed) for _lookup, sealed in rows}) == VOTERS
    assert len({len(bytes(sealed)) for _lookup, sealed in rows}) == 1
    box = db.session.get(Process, process.id).box
    stranger = ballot_box.Seal(b"not the server's key", box.seal_context, box.seal_salt)
    with pytest.raises(ballot_box.SealBroken):
        ballot_box.open_all([stranger], [rows[0][1]])


@pytest.mark.postgres
def test_transaction_ids_link_no_ballot_to_its_voter(app, crowd):
    require_postgres()
    commune, people = crowd
    process = new_process(commune)
    cast_in_order(app, process, people)

    def joined(table: str) -> int:
        return db.session.scalar(sa.text(
            f"SELECT count(*) FROM {table} b JOIN ballot_participations p ON p.xmin = b.xmin AND p.box_id = b.box_id"))

    assert joined("ballot_sealed") == VOTERS and joined("ballots") == 0
    close(app, process)
    assert joined("ballots") == 0
    marks = db.session.execute(sa.text("SELECT DISTINCT xmin::text FROM ballots")).scalars().all()
    assert len(marks) == 1
    assert not set(db.session.execute(sa.text("SELECT xmin::text FROM ballot_participations")).scalars()) & set(marks)


def test_row_order_says_nothing_of_who_voted_when(app, crowd):
    commune, people = crowd
    process = new_process(commune)
    cast = cast_in_order(app, process, people)
    in_casting_order = [receipt for _user, receipt, _text in cast]
    assert physical_order("ballot_participations", process.box_id, "user_id") == [u for u, _r, _t in cast]
    close(app, process)
    stored = physical_order("ballots", process.box_id, "receipt")
    assert sorted(stored) == sorted(in_casting_order)
    # A random order of 60 gives |tau| < 0.5 except with odds below one in ten million.
    assert abs(kendall_tau(stored, in_casting_order)) < 0.5
    written = dict(db.session.execute(sa.select(Ballot.receipt, Ballot.content)).all())
    assert written == {receipt: text for _user, receipt, text in cast}


def test_a_changed_ballot_stays_sealed_and_counts_once(app, crowd):
    commune, people = crowd
    process = new_process(commune)
    with app.test_request_context():
        first = casting.cast(db.session.get(Process, process.id), {1: 1}, user_id=people[0].id)
        casting.cast(db.session.get(Process, process.id), {2: 1}, user_id=people[1].id)
        assert casting.change(db.session.get(Process, process.id), first, {4: 1, 5: 1},
                              user_id=people[0].id) == first
        # Someone else who learnt the receipt cannot change it: they have not voted.
        with pytest.raises(casting.BallotError):
            casting.change(db.session.get(Process, process.id), first, {3: 1}, user_id=people[2].id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SealedBallot)) == 2
    close(app, process)
    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(Ballot.content))) == ["2", "4.5"]
    assert casting.find_ballot(db.session.get(Process, process.id), first).content == "4.5"
    assert db.session.get(Process, process.id).box.seal_salt is None
