"""Ballot secrecy against whoever reads the database (a replica, a backup, an operator): no
transaction id, row order, timestamp, sequence or counter history links a ballot to its
voter, during the vote or after it. Each channel is tried as an attacker would, with SQL
on the tables, on PostgreSQL and on SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from convergence import ballot_box
from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.mj import api, ballots, chain
from plugins.mj.models import Ballot, Count, Participation, SealedBallot, Vote

from tests.fixtures import require_postgres

from .conftest import ballots_in_box, new_vote, option_ids

VOTERS = 60


def postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def crowd(make, room):
    """VOTERS residents of the room's commune, who may vote in its assembly."""
    people = []
    for n in range(VOTERS):
        person = make.user(f"Votant {n}")
        make.role(person, "resident", commune=room.commune)
        people.append(person)
    return people


def cast_in_order(vote: Vote, people) -> list[tuple[int, str, str]]:
    """Each person casts a ballot of their own, one after the other, each its own
    transaction as over HTTP. Returns (user id, receipt, grades) in casting order."""
    ids = option_ids(vote)
    cast = []
    for n, person in enumerate(people):
        grades = {option_id: (n + k) % vote.n_grades for k, option_id in enumerate(ids)}
        receipt = ballots.cast(db.session.get(Vote, vote.id), grades, user_id=person.id)
        cast.append((person.id, receipt, ballots.encode(ids, grades)))
    return cast


def close(vote: Vote) -> Vote:
    db.session.expire_all()
    vote = db.session.get(Vote, vote.id)
    api.close_vote(vote)
    db.session.expire_all()
    return db.session.get(Vote, vote.id)


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
    """The rows' order in the table's storage (rows of one ballot box): ctid on PostgreSQL,
    rowid on SQLite."""
    place = "ctid" if postgres() else "rowid"
    return list(db.session.execute(sa.text(
        f"SELECT {column} FROM {table} WHERE box_id = :box ORDER BY {place}"), {"box": box_id}).scalars())


def test_nothing_in_clear_while_the_vote_is_open(app, room, crowd):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    cast = cast_in_order(vote, crowd)
    # Who voted is known; what they voted is nowhere readable: no ballot, no counter.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participation)) == VOTERS
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Count)) == 0
    rows = db.session.execute(sa.select(SealedBallot.lookup, SealedBallot.sealed)).all()
    assert len(rows) == VOTERS
    everything = b"".join(bytes(lookup) + bytes(sealed) for lookup, sealed in rows)
    for _user, receipt, grades in cast:
        assert receipt.encode() not in everything and receipt.replace("-", "").encode() not in everything
    # Identical ballots seal to unrelated bytes, and the ciphertext has one length per vote.
    assert len({bytes(sealed) for _lookup, sealed in rows}) == VOTERS
    assert len({len(bytes(sealed)) for _lookup, sealed in rows}) == 1
    # Without the server's key (a copy of the database alone), no sealed ballot opens.
    stranger = ballot_box.Seal(b"not the server's key", vote.box.seal_context, db.session.get(Vote, vote.id).seal_salt)
    with pytest.raises(ballot_box.SealBroken):
        ballot_box.open_all([stranger], [rows[0][1]])
    # With it, the close will find every ballot as cast.
    assert ballots_in_box(vote.id) == {receipt: grades for _user, receipt, grades in cast}


@pytest.mark.postgres
def test_transaction_ids_link_no_ballot_to_its_voter(app, room, crowd):
    """The attack of the issue: join ballots (and counters) to participations on xmin."""
    require_postgres()
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    cast_in_order(vote, crowd)

    def joined(table: str) -> int:
        box = "(SELECT v.box_id FROM mj_votes v WHERE v.id = b.vote_id)" if table == "mj_counts" else "b.box_id"
        return db.session.scalar(sa.text(
            f"SELECT count(*) FROM {table} b JOIN ballot_participations p ON p.xmin = b.xmin AND p.box_id = {box}"))

    # While open, each sealed row shares its transaction with its participation, which is
    # why it is sealed; nothing readable does.
    assert joined("ballot_sealed") == VOTERS
    assert joined("ballots") == 0 and joined("mj_counts") == 0
    vote = close(vote)
    assert joined("ballots") == 0 and joined("mj_counts") == 0
    assert db.session.scalar(sa.text("SELECT count(*) FROM ballot_sealed")) == 0
    # Every ballot and online counter now carries the one mark of the closing transaction.
    marks = db.session.execute(sa.text(
        "SELECT DISTINCT xmin::text FROM ballots UNION SELECT DISTINCT xmin::text FROM mj_counts")).scalars().all()
    assert len(marks) == 1
    participation_marks = set(db.session.execute(sa.text("SELECT xmin::text FROM ballot_participations")).scalars())
    assert not participation_marks & set(marks)
    assert vote.chain_length == VOTERS


def test_row_order_says_nothing_of_who_voted_when(app, room, crowd):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    cast = cast_in_order(vote, crowd)
    receipts_in_casting_order = [receipt for _user, receipt, _grades in cast]
    # The participations are stored in casting order: the channel exists...
    voters = [user for user, _receipt, _grades in cast]
    assert physical_order("ballot_participations", vote.box_id, "user_id") == voters
    close(vote)
    # ... but the ballots are stored in an order drawn at random, unrelated to it.
    stored = physical_order("ballots", vote.box_id, "receipt")
    assert sorted(stored) == sorted(receipts_in_casting_order)
    tau = kendall_tau(stored, receipts_in_casting_order)
    # A random order of 60 gives |tau| < 0.5 except with odds below one in ten million.
    assert abs(tau) < 0.5, tau
    # And the published register is in receipt order.
    document_order = [entry["receipt"] for entry in chain.entries(vote.id, chain.header(db.session.get(Vote, vote.id)))]
    assert document_order == sorted(receipts_in_casting_order)


def test_no_timestamp_sequence_or_voter_beside_a_ballot(app):
    for table in (Ballot.__table__, SealedBallot.__table__):
        assert not [c for c in table.columns if isinstance(c.type, (sa.DateTime, sa.Date, sa.Time))]
        assert not [c for c in table.columns if c.autoincrement is True or
                    (c.primary_key and isinstance(c.type, sa.Integer) and c.name != "box_id")]
        assert {c.name for c in table.columns} <= {"box_id", "receipt", "content", "lookup", "sealed"}
    assert not [c for c in Participation.__table__.columns if isinstance(c.type, sa.DateTime)]


def test_a_changed_ballot_stays_sealed_and_counts_once(app, room, crowd):
    vote = new_vote(room, options=("A", "B"), opens_at=utcnow() - timedelta(minutes=1))
    a, b = option_ids(vote)
    first = ballots.cast(vote, {a: 6, b: 0}, user_id=crowd[0].id)
    ballots.cast(db.session.get(Vote, vote.id), {a: 1, b: 1}, user_id=crowd[1].id)
    assert ballots.change(db.session.get(Vote, vote.id), first.lower(), {a: 0, b: 6}, user_id=crowd[0].id) == first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SealedBallot)) == 2
    assert ballots_in_box(vote.id)[first] == "06"
    # Someone else who learnt the receipt cannot change it: they have not voted.
    with pytest.raises(ballots.BallotError):
        ballots.change(db.session.get(Vote, vote.id), first, {a: 3, b: 3}, user_id=crowd[2].id)
    vote = close(vote)
    results = api.results_for(vote)
    assert results.online_ballots == 2
    by_label = {r.option.label: r.online for r in results.ranking}
    assert by_label["A"] == (1, 1, 0, 0, 0, 0, 0) and by_label["B"] == (0, 1, 0, 0, 0, 0, 1)
    assert ballots.find_ballot(vote, first).content == "06"
    assert vote.seal_salt is None  # nothing left that would open what the files may still hold


def test_live_results_open_the_sealed_ballots_in_memory(app, room, crowd):
    vote = new_vote(room, options=("A", "B"), live_results=True, opens_at=utcnow() - timedelta(minutes=1))
    a, b = option_ids(vote)
    for person, grades in zip(crowd, ({a: 6, b: 2}, {a: 5, b: 2}, {a: 4, b: 3})):
        ballots.cast(db.session.get(Vote, vote.id), grades, user_id=person.id)
    results = api.results_for(db.session.get(Vote, vote.id))
    assert results.online_ballots == 3
    assert [r.option.label for r in results.ranking] == ["A", "B"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Count)) == 0  # counters untouched


def test_a_rotated_key_loses_no_ballot(app, room, crowd):
    vote = new_vote(room, opens_at=utcnow() - timedelta(minutes=1))
    cast = cast_in_order(vote, crowd[:5])
    old = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a new key"
    try:
        # Without the old key, the close refuses rather than drop ballots: nothing changes.
        with pytest.raises(ballot_box.SealBroken):
            close(vote)
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SealedBallot)) == 5
        assert db.session.get(Vote, vote.id).chain_head is None
        # With the old key among the fallbacks, every ballot is counted.
        app.config["SECRET_KEY_FALLBACKS"] = [old]
        more = ballots.cast(db.session.get(Vote, vote.id), {i: 0 for i in option_ids(vote)}, user_id=crowd[5].id)
        closed = close(vote)
        assert closed.chain_length == 6
        assert {b.receipt for b in db.session.scalars(sa.select(Ballot))} == {r for _u, r, _g in cast} | {more}
    finally:
        app.config["SECRET_KEY"] = old
        app.config.pop("SECRET_KEY_FALLBACKS", None)


def test_the_upgrade_writes_existing_ballots_out_again(app, room, crowd):
    """Revision mj_0003 on a database holding ballots cast the old way (each with its
    participation and counters in one transaction): it keeps every ballot and count, gives
    open votes a salt, and writes everything out again in random order."""
    from flask_migrate import downgrade, upgrade

    closed, still_open = (new_vote(room, question=q, options=("A", "B"), opens_at=utcnow() - timedelta(minutes=1))
                          for q in ("Fermé", "Ouvert"))
    closed_id, open_id = closed.id, still_open.id
    ids = {vote_id: option_ids(db.session.get(Vote, vote_id)) for vote_id in (closed_id, open_id)}
    people = [person.id for person in crowd[:40]]
    db.session.commit()
    downgrade(revision="mj_0002")
    try:
        legacy = {closed_id: [], open_id: []}
        for n, person_id in enumerate(people):
            vote_id = closed_id if n % 2 else open_id
            receipt, grades = ballots.new_receipt(), f"{n % 7}{(n * 3) % 7}"
            db.session.execute(sa.text("INSERT INTO mj_participations (vote_id, user_id) VALUES (:v, :u)"),
                               {"v": vote_id, "u": person_id})
            db.session.execute(sa.text("INSERT INTO mj_ballots (vote_id, receipt, grades) VALUES (:v, :r, :g)"),
                               {"v": vote_id, "r": receipt, "g": grades})
            for option_id, digit in zip(ids[vote_id], grades):
                db.session.execute(sa.text(
                    "INSERT INTO mj_counts (vote_id, option_id, grade, shard, count) VALUES (:v, :o, :g, :s, 1) "
                    "ON CONFLICT (vote_id, option_id, grade, shard) DO UPDATE SET count = mj_counts.count + 1"),
                    {"v": vote_id, "o": option_id, "g": int(digit), "s": n % 5})
            db.session.commit()
            legacy[vote_id].append((receipt, grades))
        db.session.execute(sa.text("UPDATE mj_votes SET announced = 'closed' WHERE id = :v"), {"v": closed_id})
        db.session.commit()
    finally:
        db.session.remove()
        upgrade(revision="heads")
    for vote_id, cast in legacy.items():
        assert ballots_in_box(vote_id) == dict(cast)
        counters = db.session.execute(sa.text(
            "SELECT option_id, grade, shard, count FROM mj_counts WHERE vote_id = :v"), {"v": vote_id}).all()
        assert {shard for _o, _g, shard, _c in counters} == {0}  # folded into one row each
        assert sum(count for *_rest, count in counters) == 2 * len(cast)
        stored = physical_order("ballots", db.session.get(Vote, vote_id).box_id, "receipt")
        assert stored != [receipt for receipt, _g in cast]
    assert db.session.get(Vote, closed_id).seal_salt is None and db.session.get(Vote, open_id).seal_salt
    # The open vote goes on: a legacy ballot changed is sealed, the close counts everything once.
    receipt = legacy[open_id][0][0]  # people[0] voted in the open vote (even index)
    ballots.change(db.session.get(Vote, open_id), receipt, dict(zip(ids[open_id], (6, 6))), user_id=people[0])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SealedBallot)) == 1
    vote = close(db.session.get(Vote, open_id))
    assert vote.chain_length == 20 and ballots.find_ballot(vote, receipt).content == "66"
    assert api.results_for(vote).online_ballots == 20


def test_sealed_ballots_of_an_open_vote_survive_the_asked_by_upgrade(app, room, crowd):
    """Revision mj_0004 (the asking plug-in, for vote-closed) on a database holding an open
    vote's sealed ballots: they stay sealed, open at the close, and a vote made of proposals
    is marked as asked by them."""
    from flask_migrate import downgrade, upgrade

    with app.test_request_context():
        vote = api.create_vote(room.assembly, "Quel projet ?", [("Jardin", "proposals", 1), ("Verger", "proposals", 2)],
                               opens_at=utcnow() - timedelta(minutes=1))
        by_hand = new_vote(room, question="À la main", options=("A", "B"), opens_at=utcnow() - timedelta(minutes=1))
    vote_id, by_hand_id, assembly_id = vote.id, by_hand.id, room.assembly.id
    cast = cast_in_order(db.session.get(Vote, vote_id), crowd[:12])
    sealed_before = set(db.session.scalars(sa.select(SealedBallot.sealed)))
    db.session.commit()
    downgrade(revision="mj_0003")
    try:
        assert "asked_by" not in {c["name"] for c in sa.inspect(db.engine).get_columns("mj_votes")}
        assert set(db.session.scalars(sa.text("SELECT sealed FROM mj_sealed_ballots"))) == sealed_before
    finally:
        db.session.remove()
        upgrade(revision="heads")
    assert set(db.session.scalars(sa.select(SealedBallot.sealed))) == sealed_before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0
    vote = db.session.get(Vote, vote_id)
    assert (vote.asked_by, vote.asked_ref) == ("proposals", f"assembly:{assembly_id}")
    assert db.session.get(Vote, by_hand_id).asked_by is None
    closed = close(vote)
    assert closed.chain_length == 12
    assert {(b.receipt, b.content) for b in db.session.scalars(sa.select(Ballot).where(Ballot.box_id == vote.box_id))} == \
        {(receipt, grades) for _person, receipt, grades in cast}


def test_the_ballot_boxes_upgrade_keeps_every_row_and_an_open_vote_goes_on(app, room, crowd):
    """Revision mj_0005 (mj's ballots into the core's ballot boxes) on a database holding mj's
    own tables: an open vote with sealed ballots and a code, a closed one with ballots written
    out and a paper batch. Every row is copied, the written-out ballots keep their order, the
    open vote's sealed ballots open at the close, the codes and the paper counts still work."""
    from flask_migrate import downgrade, upgrade

    started = utcnow() - timedelta(minutes=1)
    still_open = new_vote(room, question="Ouvert", options=("A", "B"), opens_at=started, voters="members")
    closed = new_vote(room, question="Fermé", options=("A", "B"), opens_at=started)
    open_id, closed_id = still_open.id, closed.id
    a, b = option_ids(closed)
    cast_open = cast_in_order(db.session.get(Vote, open_id), crowd[:8])
    cast_closed = cast_in_order(db.session.get(Vote, closed_id), crowd[8:20])
    api.add_paper_batch(db.session.get(Vote, closed_id), {a: [0] * 6 + [3], b: [3] + [0] * 6}, label="Salle")
    close(db.session.get(Vote, closed_id))
    code = api.create_codes(db.session.get(Vote, open_id), 1)[0].code
    written = physical_order("ballots", db.session.get(Vote, closed_id).box_id, "receipt")
    sealed_before = set(db.session.scalars(sa.select(SealedBallot.sealed)))
    salt = db.session.get(Vote, open_id).seal_salt
    first_voter = crowd[0].id
    db.session.commit()
    downgrade(revision="mj_0004")
    try:
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"mj_participations", "mj_sealed_ballots", "mj_ballots", "mj_codes", "mj_paper_batches"} <= tables
        old = {vote_id: db.session.scalar(sa.text("SELECT count(*) FROM mj_participations WHERE vote_id = :v"),
                                          {"v": vote_id}) for vote_id in (open_id, closed_id)}
        assert old == {open_id: 8, closed_id: 12}
        assert set(db.session.scalars(sa.text("SELECT sealed FROM mj_sealed_ballots"))) == sealed_before
        place = "ctid" if postgres() else "rowid"
        assert list(db.session.scalars(sa.text(f"SELECT receipt FROM mj_ballots ORDER BY {place}"))) == written
        assert db.session.scalar(sa.text("SELECT seal_salt FROM mj_votes WHERE id = :v"), {"v": open_id}) == salt
    finally:
        db.session.remove()
        upgrade(revision="heads")
    tables = set(sa.inspect(db.engine).get_table_names())
    assert not {"mj_participations", "mj_sealed_ballots", "mj_ballots", "mj_codes", "mj_paper_batches"} & tables
    vote, done = db.session.get(Vote, open_id), db.session.get(Vote, closed_id)
    assert vote.box.method == "mj" and vote.seal_salt == salt and done.seal_salt is None
    assert set(db.session.scalars(sa.select(SealedBallot.sealed))) == sealed_before
    assert physical_order("ballots", done.box_id, "receipt") == written  # not shuffled again
    assert {r.receipt: r.content for r in db.session.scalars(sa.select(Ballot).where(Ballot.box_id == done.box_id))} \
        == {receipt: grades for _person, receipt, grades in cast_closed}
    results = api.results_for(done)
    assert (results.online_ballots, results.paper_ballots) == (12, 3)
    # One person, one ballot, still by the database.
    with pytest.raises(ballots.BallotError):
        ballots.cast(vote, dict.fromkeys(option_ids(vote), 0), user_id=first_voter)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participation)
                             .where(Participation.box_id == vote.box_id)) == 8
    # The code survives and votes once; the open vote's ballots open at the close.
    vote = db.session.get(Vote, open_id)
    ids = option_ids(vote)
    from_code = ballots.cast(vote, dict(zip(ids, (2, 3))), code_id=ballots.find_code_id(vote, code))
    finished = close(db.session.get(Vote, open_id))
    assert finished.chain_length == 9
    assert ballots_in_box(open_id) == {**{r: g for _p, r, g in cast_open}, from_code: "23"}
