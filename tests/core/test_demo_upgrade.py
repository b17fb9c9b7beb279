"""A database holding the demo as it was before issue 9 (tests/data/demo_snapshot.json, made by
tests/data/make_demo_snapshot.py) is upgraded to today's heads, and every page of the demo
still shows the same needs, proposals, comments, supports, votes and results
(tests/data/demo_pages.json).

The snapshot is rows, not models: it is loaded through SQLAlchemy Core into a database
migrated to exactly the revisions it was taken at, so the test keeps working whatever the
models become. On PostgreSQL the database is a schema of its own in the test database
(convergence.testing.separate_database)."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from convergence import audit
from convergence.extensions import db
from convergence.testing import login, make_test_app, separate_database, visible_text

DATA = Path(__file__).resolve().parents[1] / "data"
SNAPSHOT = json.loads((DATA / "demo_snapshot.json").read_text(encoding="utf-8"))
PAGES = json.loads((DATA / "demo_pages.json").read_text(encoding="utf-8"))


def value(raw):
    """A dumped value back into what the database driver takes (see jsonable() in the script)."""
    if isinstance(raw, dict):
        (kind, text), = raw.items()
        return {"datetime": datetime.fromisoformat, "date": date.fromisoformat,
                "base64": base64.b64decode, "json": lambda v: v}[kind](text)
    return raw


def load_snapshot(engine) -> None:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:
        for name, table in SNAPSHOT["tables"].items():
            target = metadata.tables[name]
            connection.execute(target.insert(), [dict(zip(table["columns"], map(value, row)))
                                                 for row in table["rows"]])
        if connection.dialect.name == "postgresql":
            # Ids were inserted as they were: move each sequence past them, as the data
            # migrations that add rows to these tables expect.
            for name in SNAPSHOT["tables"]:
                if "id" in metadata.tables[name].columns:
                    connection.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM \"{name}\" "
                        f"WHERE pg_get_serial_sequence('{name}', 'id') IS NOT NULL HAVING max(id) IS NOT NULL"))


@pytest.fixture
def empty_database(test_database_url, tmp_path):
    with separate_database(test_database_url, tmp_path, "demo_upgrade") as url:
        yield url


def test_the_demo_of_before_shows_the_same_after_the_upgrade(empty_database):
    app = make_test_app(empty_database, PLUGINS=["mj", "needs", "proposals"])
    with app.app_context():
        try:
            for revision in SNAPSHOT["revisions"]:
                upgrade(revision=revision)
            assert sorted(db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()) \
                == SNAPSHOT["revisions"]
            db.session.remove()
            load_snapshot(db.engine)
            upgrade(revision="heads")
            db.session.remove()

            problems, checked = [], 0
            for page in PAGES["pages"]:
                client = app.test_client()
                if page["who"]:
                    login(client, _Person(page["who"]), PAGES["password"])
                response = client.get(page["url"])
                if response.status_code != 200:
                    problems.append(f"{page['url']}: answered {response.status_code}")
                    continue
                text = visible_text(response)
                for wanted in page["texts"]:
                    checked += 1
                    if wanted not in text:
                        problems.append(f"{page['url']}: « {wanted} » is no longer shown")
            assert not problems, "after the upgrade:\n" + "\n".join(problems)
            # The journal's entries of before are chained (migration 0009) and verify.
            verdict = audit.verify(1)
            assert verdict.intact and verdict.count == len(SNAPSHOT["tables"]["audit_entries"]["rows"]), verdict
            assert checked == sum(len(p["texts"]) for p in PAGES["pages"]) >= 60
        finally:
            db.session.remove()
            db.engine.dispose()


class _Person:
    """What login() reads of a person: the e-mail address (the snapshot's password is shared)."""

    def __init__(self, email: str):
        self.email = email
