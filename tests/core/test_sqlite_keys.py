"""Foreign keys hold on SQLite as on PostgreSQL: a deleted parent takes its children
(ON DELETE CASCADE), and a row cannot point at nothing (convergence/sqlite_keys.py)."""

import pytest
from sqlalchemy.exc import IntegrityError

from convergence.extensions import db
from convergence.models import AgendaItem, Assembly, Commune


def test_deleting_a_commune_takes_its_assemblies_and_their_agenda(app, make):
    commune = make.commune()
    assembly = make.assembly(commune)
    db.session.add(AgendaItem(assembly_id=assembly.id, title="Point 1", position=1))
    db.session.commit()
    other = make.assembly(make.commune("Autre commune"))

    db.session.execute(db.delete(Commune).where(Commune.id == commune.id))
    db.session.commit()

    assert db.session.scalars(db.select(Assembly.id)).all() == [other.id]
    assert db.session.scalar(db.select(db.func.count()).select_from(AgendaItem)) == 0


def test_a_row_cannot_point_at_nothing(app, make):
    db.session.add(AgendaItem(assembly_id=999_999, title="Orphelin", position=1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(AgendaItem)) == 0

