"""One statement, one transaction: casting a first ballot without BEGIN and COMMIT.

On PostgreSQL a first ballot is a single statement (see ``ballots._CAST_PG``), atomic on
its own, and the reads before it (the vote, the voter's roles) need no transaction. So a
ballot request may run in autocommit: every statement is its own transaction, which saves
two of its four round trips to the database. Anything that needs several statements in
one transaction (a row lock kept across statements, several writes: the close, a changed
ballot) calls :func:`need_transaction` first, which ends the autocommit mode for the rest
of the request.
"""

from __future__ import annotations

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
    drawn from the vote as loaded before it (the few fields it shows cannot have changed),
    where reloading them would cost a query."""
    db.session().expire_on_commit = False
