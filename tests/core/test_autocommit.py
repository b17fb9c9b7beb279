"""The ballot's one statement straight to the driver (convergence/balloting/autocommit.py):
the same rows and the same errors as through SQLAlchemy, a ballot's parameters kept out of
error messages, and the statement seen by whoever counts statements."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from convergence.balloting import autocommit
from convergence.extensions import db
from convergence.testing.fixtures import require_postgres

NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,11}", fullmatch=True)


@given(NAMES, NAMES)
def test_the_driver_spelling_names_every_parameter_and_leaves_casts(first, second):
    statement = autocommit.Statement(f"SELECT CAST(:{first} AS text), x::date FROM t WHERE a = :{second}")
    assert statement.driver == f"SELECT CAST(%({first})s AS text), x::date FROM t WHERE a = %({second})s"
    assert set(statement.text.compile().params) == {first, second}


def test_a_percent_sign_is_refused_when_the_statement_is_written():
    with pytest.raises(ValueError):
        autocommit.Statement("SELECT 'a' LIKE '%'")


def _table():
    db.session.execute(sa.text("CREATE TABLE IF NOT EXISTS autocommit_probe (n integer PRIMARY KEY)"))
    db.session.execute(sa.text("DELETE FROM autocommit_probe"))
    db.session.commit()


INSERT = autocommit.Statement("INSERT INTO autocommit_probe (n) VALUES (:n) RETURNING n + 1")


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
            assert autocommit.execute_alone(INSERT, {"n": 41}) == [(42,)]
            assert seen == [(INSERT.driver, {"n": 41})]
            with pytest.raises(sa.exc.IntegrityError) as refused:
                autocommit.execute_alone(INSERT, {"n": 41})
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


def test_in_a_transaction_the_statement_goes_through_the_session_and_waits_for_the_commit(app):
    with app.app_context():
        _table()
        assert autocommit.execute_alone(INSERT, {"n": 7}) == [(8,)]
        assert db.session().in_transaction()
        db.session.rollback()
        assert db.session.execute(sa.text("SELECT count(*) FROM autocommit_probe")).scalar() == 0
        autocommit.execute_alone(INSERT, {"n": 7})
        autocommit.commit()  # not in autocommit: a real commit
        db.session.remove()
        assert db.session.execute(sa.text("SELECT n FROM autocommit_probe")).scalars().all() == [7]
        db.session.execute(sa.text("DROP TABLE autocommit_probe"))
        db.session.commit()
