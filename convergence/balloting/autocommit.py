"""One statement, one transaction: casting a first ballot without BEGIN and COMMIT, for
every plug-in that casts (majority judgment, the participatory budget).

On PostgreSQL a first ballot is a single statement (a plug-in's ``_CAST_PG``: the vote
checked open and its row locked, the participation, the sealed ballot), atomic on its own,
and the reads before it (the vote, the voter's roles) need no transaction. So a ballot
request runs in autocommit: every statement is its own transaction, which saves two of its
four round trips. Anything that needs several statements in one transaction (a row lock
kept across statements, several writes: the close, a changed ballot) calls
:func:`need_transaction` first, which ends the autocommit mode for the rest of the request.

:func:`execute_alone` sends that one statement straight to the driver when the request is
in autocommit: on the platform's hottest path SQLAlchemy's execution and commit machinery
(events, result set-up, the session's commit with nothing to flush) cost more than the
statement itself. Its errors come back as SQLAlchemy's, so callers and the error pages
(``web/errors.py``, a lost connection) read them as from any other statement.
"""

from __future__ import annotations

import re

from sqlalchemy import exc as sa_exc

from convergence.extensions import db

AUTOCOMMIT = "AUTOCOMMIT"


def one_statement_at_a_time() -> bool:
    """Switch this request's session to autocommit if it has not touched the database yet
    (PostgreSQL only; SQLite casts in several statements). Returns whether it did."""
    session = db.session()  # the request's own session, not the scoped proxy
    if session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return False
    session.connection(execution_options={"isolation_level": AUTOCOMMIT})
    return True


def autocommitting() -> bool:
    session = db.session()  # the request's own session, not the scoped proxy
    return session.in_transaction() and \
        session.connection().get_execution_options().get("isolation_level") == AUTOCOMMIT


def need_transaction() -> bool:
    """Leave autocommit before work that needs a transaction. Returns True if it had to:
    the session's objects are then expired and reload when next read."""
    if not autocommitting():
        return False
    db.session.commit()  # nothing to commit: hands the connection back, next statement opens a transaction
    return True


def keep_loaded_objects() -> None:
    """Keep the request's objects loaded across the ballot's commit: the receipt page is
    drawn from the objects as loaded before it (the few fields it shows cannot have
    changed), where reloading them would cost a query."""
    db.session().expire_on_commit = False


class Statement:
    """One SQL statement written once with SQLAlchemy's ``:name`` parameters, also kept in
    the driver's spelling (``%(name)s``) for :func:`execute_alone`."""

    def __init__(self, sql: str) -> None:
        if "%" in sql:
            raise ValueError("write the statement without %: the driver's spelling would need it doubled")
        self.text = db.text(sql)
        # What SQLAlchemy's text() takes for a parameter (its own pattern): not a cast
        # (``::date``), nor a colon inside a word or escaped.
        self.driver = re.sub(r"(?<![:\w\\]):(\w+)(?!:)", r"%(\1)s", sql)


def execute_alone(statement: Statement, params: dict) -> list[tuple]:
    """Run ``statement`` and return its rows: straight through the driver (psycopg, as a
    prepared statement) when this request's connection is in autocommit, through the
    session otherwise (SQLite, a test outside a request, a transaction already begun)."""
    session = db.session()
    connection = session.connection()
    raw = connection.connection.driver_connection
    if not getattr(raw, "autocommit", False) or connection.dialect.name != "postgresql":
        return session.execute(statement.text, params).fetchall()
    import psycopg

    try:
        with raw.cursor() as cursor:
            if connection.dispatch.before_cursor_execute:  # who counts statements sees this one too
                connection.dispatch.before_cursor_execute(connection, cursor, statement.driver, params, None, False)
            cursor.execute(statement.driver, params, prepare=True)
            return cursor.fetchall()
    except psycopg.Error as error:
        # Parameters hidden: a ballot's say who sealed what, not for a log.
        wrapped = sa_exc.DBAPIError.instance(statement.driver, params, error, psycopg.Error, hide_parameters=True,
                                             connection_invalidated=connection.dialect.is_disconnect(
                                                 error, raw, None))
        if wrapped.connection_invalidated:
            connection.invalidate(error)  # the pool does not hand this connection out again
        raise wrapped from error


def commit() -> None:
    """Commit the request's session after a ballot. In autocommit every statement has
    committed itself: the session's commit would only run its events and hand the
    connection back (which the end of the request does), unless objects wait to be
    written."""
    session = db.session()
    if session.new or session.dirty or session.deleted or not autocommitting():
        session.commit()
