"""The branch migration builds exactly what the models say, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from convergence.extensions import db


def test_the_branch_migration_builds_what_the_models_say(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    ours = [d for d in differences if "facilitation_" in repr(d)]
    assert ours == []
