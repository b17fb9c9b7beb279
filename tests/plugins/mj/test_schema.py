"""The schema keeps ballots secret: nothing leads from a ballot to a voter."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from convergence.extensions import db
from plugins.mj import ballots
from plugins.mj.models import Ballot, Count, Participation

BALLOT_TABLES = ("ballots", "mj_counts")
# Tables that describe a whole vote: every ballot of the vote points at them equally,
# so a path through them tells nothing about who cast which ballot.
VOTE_LEVEL = {"mj_votes", "mj_options", "ballot_boxes", "assemblies", "communes"}
WHO = {"users", "ballot_participations", "ballot_codes", "memberships"}


def mj_tables():
    return {name: table for name, table in db.metadata.tables.items() if name.startswith("mj_")}


def test_ballot_tables_have_no_foreign_key_to_voters(app):
    for name in BALLOT_TABLES:
        targets = {fk.column.table.name for fk in db.metadata.tables[name].foreign_keys}
        assert targets <= {"mj_votes", "mj_options", "ballot_boxes"}, (name, targets)
    # And nothing points at a ballot.
    for table in db.metadata.tables.values():
        assert not {fk.column.table.name for fk in table.foreign_keys} & {"ballots"}, table.name


def test_no_path_from_ballot_to_voter(app):
    graph: dict[str, set[str]] = {name: set() for name in db.metadata.tables}
    for table in db.metadata.tables.values():
        for fk in table.foreign_keys:
            graph[table.name].add(fk.column.table.name)
            graph[fk.column.table.name].add(table.name)
    seen, todo = set(BALLOT_TABLES), list(BALLOT_TABLES)
    while todo:
        for neighbour in graph[todo.pop()] - VOTE_LEVEL:
            if neighbour not in seen:
                seen.add(neighbour)
                todo.append(neighbour)
    assert not seen & WHO, seen


def test_no_shared_key_no_order_no_time(app):
    ballot, participation = db.metadata.tables["ballots"], db.metadata.tables["ballot_participations"]
    # The only column in common is the box, which every ballot of the vote shares.
    assert {c.name for c in ballot.columns} & {c.name for c in participation.columns} == {"box_id"}
    for table in (ballot, participation, db.metadata.tables["mj_counts"]):
        assert not [c for c in table.columns if isinstance(c.type, (sa.DateTime, sa.Date))], table.name
    # A ballot's key is random, not a sequence.
    assert [c.name for c in ballot.primary_key.columns] == ["box_id", "receipt"]
    assert not [c for c in ballot.columns if c.autoincrement is True]
    assert isinstance(ballot.c.receipt.type, sa.String)
    assert {c.name for c in ballot.columns} == {"box_id", "receipt", "content"}
    assert {c.name for c in db.metadata.tables["mj_counts"].columns} == {"vote_id", "option_id", "grade", "shard", "count"}


def test_receipts_are_random():
    receipts = [ballots.new_receipt() for _ in range(2000)]
    assert len(set(receipts)) == len(receipts)
    assert receipts != sorted(receipts)
    assert all(ballots.normalise_receipt(r) == r for r in receipts[:50])
    assert ballots.normalise_receipt(receipts[0].lower().replace("-", " ")) == receipts[0]
    assert ballots.normalise_receipt("ABCD-EFGH-IJKL") == "ABCD-EFGH-1JK1"  # I and L read as 1
    assert ballots.normalise_receipt("ABCD-EFGH") is None
    assert ballots.normalise_receipt("ABCD-EFGH-JKMU") is None


def test_one_participation_per_person_is_a_database_constraint(app):
    participation = db.metadata.tables["ballot_participations"]
    uniques = {tuple(c.name for c in constraint.columns) for constraint in participation.constraints
               if isinstance(constraint, sa.UniqueConstraint)}
    assert ("box_id", "user_id") in uniques and ("code_id",) in uniques


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    mine = [d for d in differences if "mj_" in repr(d) or "ballot" in repr(d)]
    assert mine == []


def test_migrated_database_enforces_uniqueness(app, room):
    from .conftest import new_vote

    vote = new_vote(room)
    db.session.add(Participation(box_id=vote.box_id, user_id=room.members[0].id))
    db.session.commit()
    db.session.add(Participation(box_id=vote.box_id, user_id=room.members[0].id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert Ballot.__table__.name == "ballots" and Count.__table__.name == "mj_counts"
