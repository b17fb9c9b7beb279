"""One statement, one transaction: casting a first ballot without BEGIN and COMMIT, for
every plug-in that casts (majority judgment, the participatory budget).

On PostgreSQL a first ballot is a single statement (a plug-in's ``_CAST_PG``: the vote
checked open and its row locked, the participation, the sealed ballot), atomic on its own,
and the reads before it (the vote, the voter's roles) need no transaction. So a ballot
request runs in autocommit: every statement is its own transaction, which saves two of its
four round trips. Anything that needs several statements in one transaction (a row lock
kept across statements, several writes: the close, a changed ballot) calls
:func:`need_transaction` first, which ends the autocommit mode for the rest of the request.

The statement itself goes straight to the driver (``convergence/models/driver.py``), and
:func:`commit` skips the session's commit when autocommit has already committed it: on the
platform's hottest path SQLAlchemy's machinery around them costs more than they do.
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
    drawn from the objects as loaded before it (the few fields it shows cannot have
    changed), where reloading them would cost a query."""
    db.session().expire_on_commit = False


def commit() -> None:
    """Commit the request's session after a ballot. In autocommit every statement has
    committed itself: the session's commit would only run its events and hand the
    connection back (which the end of the request does), unless objects wait to be
    written."""
    session = db.session()
    if session.new or session.dirty or session.deleted or not autocommitting():
        session.commit()
