"""The benchmarks' PostgreSQL database: created if missing, emptied before each run.

Emptied by dropping the public schema rather than the database, so a database the
machine's user may not recreate (or one a psql session holds open) still works; the
migrations then build it from nothing. Only on this machine: a bench never empties a remote one.
"""

from __future__ import annotations


def empty_database(url: str) -> None:
    """Create the database of ``url`` if it does not exist, then empty it."""
    import psycopg

    base, name = url.rsplit("/", 1)
    host = base.rsplit("@", 1)[-1].split(":", 1)[0].split("/", 1)[0]
    assert host in ("127.0.0.1", "localhost"), "benchmarks only empty a database of this machine"
    # psycopg takes a libpq address: no SQLAlchemy driver suffix.
    base = "postgresql://" + base.split("://", 1)[1]
    with psycopg.connect(base + "/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(f"{base}/{name}", autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")
