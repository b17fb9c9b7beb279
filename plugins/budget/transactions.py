"""A first ballot in autocommit on PostgreSQL: it is one statement (``casting._CAST_PG``),
atomic on its own, and the reads before it need no transaction, so BEGIN and COMMIT would
be two round trips for nothing. Whatever needs a transaction (a changed ballot: a row lock
and a write) calls :func:`need_transaction` first. The same device as majority judgment's
(``plugins/mj/transactions.py``), which a plug-in may not import."""

from __future__ import annotations

from convergence.extensions import db

AUTOCOMMIT = "AUTOCOMMIT"


def one_statement_at_a_time() -> bool:
    """Autocommit for this request's session if it has not touched the database yet
    (PostgreSQL only). Returns whether it did."""
    session = db.session()
    if session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return False
    session.connection(execution_options={"isolation_level": AUTOCOMMIT})
    return True


def need_transaction() -> bool:
    """Leave autocommit before work that needs a transaction (returns whether it had to)."""
    session = db.session()
    if not (session.in_transaction()
            and session.connection().get_execution_options().get("isolation_level") == AUTOCOMMIT):
        return False
    session.commit()  # nothing to commit: the next statement opens a transaction
    return True


def keep_loaded_objects() -> None:
    """The receipt page is drawn from the process as loaded before the ballot's commit."""
    db.session().expire_on_commit = False
