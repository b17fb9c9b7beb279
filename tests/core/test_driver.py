"""Statements straight to the driver (convergence/models/driver.py), casting's hottest path:
the same rows and errors as through SQLAlchemy, a ballot's parameters kept out of error
messages, the statement seen by whoever counts statements, in autocommit
(convergence/balloting/autocommit.py) or in a transaction; and objects made from a row as if
the ORM had loaded them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from convergence.balloting import autocommit
from convergence.extensions import db
from convergence.models import Commune, Space, driver
from convergence.testing.fixtures import require_postgres

NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,11}", fullmatch=True)


@given(NAMES, NAMES)
def test_the_driver_spelling_names_every_parameter_and_leaves_casts(first, second):
    statement = driver.Statement(f"SELECT CAST(:{first} AS text), x::date FROM t WHERE a = :{second}")
    assert statement.driver == f"SELECT CAST(%({first})s AS text), x::date FROM t WHERE a = %({second})s"
    assert set(statement.portable.compile().params) == {first, second}


def test_a_percent_sign_is_refused_when_the_statement_is_written():
    with pytest.raises(ValueError):
        driver.Statement("SELECT 'a' LIKE '%'")


def _table():
    db.session.execute(sa.text("CREATE TABLE IF NOT EXISTS autocommit_probe (n integer PRIMARY KEY)"))
    db.session.execute(sa.text("DELETE FROM autocommit_probe"))
    db.session.commit()


INSERT = driver.Statement("INSERT INTO autocommit_probe (n) VALUES (:n) RETURNING n + 1")


@pytest.mark.postgres
def test_in_autocommit_the_driver_writes_at_once_and_errors_come_back_as_sqlalchemy_s(app):
    require_postgres()
    with app.app_context():
        _table()
        seen = []
        listener = lambda _c, _cursor, statement, params, *_a: seen.append((statement, params))  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert autocommit.one_statement_at_a_time()
            assert driver.rows(INSERT, {"n": 41}) == [(42,)]
            assert seen == [(INSERT.driver, {"n": 41})]
            with pytest.raises(sa.exc.IntegrityError) as refused:
                driver.rows(INSERT, {"n": 41})
            # A ballot's parameters say who sealed what: not in the message a log keeps.
            assert "{'n': 41}" not in str(refused.value) and refused.value.hide_parameters
            autocommit.commit()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        db.session.rollback()  # the row was committed by its own statement: a rollback keeps it
        db.session.remove()
        assert db.session.execute(sa.text("SELECT n FROM autocommit_probe")).scalars().all() == [41]
        db.session.execute(sa.text("DROP TABLE autocommit_probe"))
        db.session.commit()


def test_in_a_transaction_the_statement_waits_for_the_commit(app):
    with app.app_context():
        _table()
        assert driver.rows(INSERT, {"n": 7}) == [(8,)]
        assert db.session().in_transaction()
        db.session.rollback()
        assert db.session.execute(sa.text("SELECT count(*) FROM autocommit_probe")).scalar() == 0
        driver.rows(INSERT, {"n": 7})
        autocommit.commit()  # not in autocommit: a real commit
        db.session.remove()
        assert db.session.execute(sa.text("SELECT n FROM autocommit_probe")).scalars().all() == [7]
        db.session.execute(sa.text("DROP TABLE autocommit_probe"))
        db.session.commit()


SHAPE = driver.Shape(Space, Commune, skip={Commune: ("description",)})
LINKS = ((0, "commune", 1),)
BOTH = driver.Statement.of_select(
    db.select(*SHAPE.columns).select_from(Space).outerjoin(Commune, Commune.id == Space.commune_id)
    .where(Space.id == db.bindparam("space_id"), Space.kind != "nothing"))


def test_objects_made_from_a_row_are_as_if_loaded(app, make):
    with app.app_context():
        commune = make.commune("Saint-Martin", description="Au bord de l'eau")
        space_id, commune_id, commune_space = commune.space.id, commune.id, commune.space_id
        db.session.remove()
        assert list(BOTH.defaults.values()) == ["nothing"]  # the literal, given with every run
        space, read = SHAPE.objects(driver.rows(BOTH, {"space_id": space_id})[0], LINKS)
        assert (space.id, space.kind, read.id, read.name, read.space_id) == (space_id, "commune", commune_id,
                                                                                "Saint-Martin", commune_space)
        assert space.commune is read and space in db.session and read in db.session
        assert not db.session.dirty and not db.session.new  # nothing to write
        assert db.session.get(Space, space_id) is space  # in the identity map
        assert read.description == "Au bord de l'eau"  # left out of the select: read when asked
        again = SHAPE.objects(driver.rows(BOTH, {"space_id": space_id})[0], LINKS)
        assert again == [space, read]  # the session's objects, not copies
        read.name = "Saint-Martin-la-Rivière"
        db.session.commit()
        db.session.remove()
        assert db.session.get(Commune, commune_id).name == "Saint-Martin-la-Rivière"  # written like any other


def test_an_outer_join_that_finds_nothing_makes_no_object(app, make):
    with app.app_context():
        commune = make.commune()
        assembly = make.assembly(commune)
        orphan = Space(kind="circle")
        db.session.add(orphan)
        db.session.commit()
        orphan_id, assembly_space, commune_id = orphan.id, assembly.space_id, commune.id
        db.session.remove()
        space, nothing = SHAPE.objects(driver.rows(BOTH, {"space_id": orphan_id})[0], LINKS)
        assert space.id == orphan_id and nothing is None and space.commune is None
        space, owner = SHAPE.objects(driver.rows(BOTH, {"space_id": assembly_space})[0], LINKS)
        assert owner.id == commune_id and space.commune is owner
