"""SQLite enforces foreign keys (and their ON DELETE rules) only on a connection that asks.

PostgreSQL always does. Without asking, deleting a commune on SQLite would leave its
assemblies pointing at nothing, and an erasure's ON DELETE CASCADE would not fire: the
embedded database would keep what the production one removes. So every SQLite connection
asks as it opens. Migrations are the exception: on SQLite they alter a table by copying it
and dropping the original, and a DROP TABLE with keys enforced deletes its rows first —
cascading into every child table. They run with the keys suspended (as SQLite's own
documentation of ALTER TABLE prescribes) and the keys are checked once they are done.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


def enforce(engine) -> None:
    """Ask every new SQLite connection of ``engine`` to enforce foreign keys."""
    if engine.dialect.name != "sqlite" or event.contains(engine, "connect", _ask):
        return
    event.listen(engine, "connect", _ask)


def _ask(dbapi_connection, _record) -> None:
    # Outside any transaction (the PRAGMA is a no-op inside one): the connection is new.
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


@contextmanager
def suspended(connection):
    """Keys off on ``connection`` for the block, then back on; refuse to finish if the block
    left a row pointing at nothing that did not before (a database written before the keys
    were enforced may hold some: they are not the migration's doing)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    before = set(_broken(connection))
    # End the transaction the PRAGMA began, so that Alembic runs and commits its own.
    connection.commit()
    try:
        yield
        new = set(_broken(connection)) - before
        if new:
            raise RuntimeError(f"rows point at nothing after the migration: {sorted(new)[:5]}")
    finally:
        if connection.in_transaction():
            connection.rollback()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def _broken(connection) -> list[tuple]:
    return [tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()]
