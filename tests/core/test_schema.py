"""Migrations build the whole schema from empty and match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from convergence.extensions import db


def test_models_and_migrations_do_not_drift(app):
    # The session fixture built this database with `upgrade heads` (SQLite, or PostgreSQL in CI).
    # The models of an installed plug-in not enabled here (loaded by another test's app, such as
    # the example's) have no tables in it: their tables carry the plug-in's name as prefix.
    from importlib.metadata import entry_points

    others = {e.name for e in entry_points(group="convergence.plugins")} - set(app.extensions["convergence.plugins"])

    def enabled_here(obj, name, type_, _reflected, _compare_to) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "") or ""
        return not any(table.startswith(f"{plugin}_") for plugin in others)

    with db.engine.connect() as connection:
        # Huey's own tables (TASK_QUEUE=postgresql) are left out, as in migrations/env.py.
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": enabled_here,
            "include_name": lambda name, kind, _parents: not (kind == "table" and name.startswith("huey_"))})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_one_membership_per_space_is_enforced_by_the_database(app, make):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from convergence.models import Membership

    user, commune = make.user(), make.commune()
    assembly = make.assembly(commune)
    # A membership names exactly one space: the one column, which cannot be left empty.
    db.session.add(Membership(user_id=user.id, role="resident"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    make.role(user, "resident", assembly=assembly)  # the same role in another space: allowed
    make.role(user, "resident", commune=commune)
    db.session.add(Membership(user_id=user.id, role="resident", space_id=commune.space_id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
