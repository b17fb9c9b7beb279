"""The synthesis of a commune's needs: needs and supports by category and neighbourhood,
which facilitators put on an assembly's agenda. Nothing here commits."""

from __future__ import annotations

from flask_babel import gettext as _

from convergence.assemblies import agenda
from convergence.extensions import db
from convergence.models import Assembly

from . import lists
from .models import Need

AGENDA_TITLE = "Synthèse des besoins"  # the agenda is written in the commune's language


def synthesis_rows(commune_id):
    """(category_id, neighbourhood_id, needs, supports) in one grouped query."""
    return db.session.execute(
        db.select(Need.category_id, Need.neighbourhood_id, db.func.count(Need.id),
                  db.func.coalesce(db.func.sum(Need.supports_count), 0))
        .where(Need.commune_id == commune_id, Need.merged_into_id.is_(None))
        .group_by(Need.category_id, Need.neighbourhood_id)
    ).all()


def table(commune):
    """(columns, rows): columns are (neighbourhood id or None, name); each row is
    (category, [(needs, supports) per column], (needs, supports) in all)."""
    found = lists.of(commune)
    cells = {(c, n): (count, supports) for c, n, count, supports in synthesis_rows(commune.id)}
    columns = [(n.id, n.name) for n in found.neighbourhoods] + [(None, _("No neighbourhood"))]
    rows = []
    for category in found.categories:
        row = [cells.get((category.id, n_id), (0, 0)) for n_id, _name in columns]
        rows.append((category, row, (sum(r[0] for r in row), sum(r[1] for r in row))))
    return columns, rows


def open_assemblies(commune) -> list[Assembly]:
    """The assemblies whose agenda the synthesis may go on: the commune's, not closed."""
    return db.session.scalars(db.select(Assembly).where(
        Assembly.commune_id == commune.id, Assembly.status != "closed").order_by(Assembly.starts_at)).all()


def put_on_agenda(commune, assembly, link: str):
    """A plenary item with each category's totals and the link to the synthesis."""
    _columns, rows = table(commune)
    lines = [f"- {category.label} : {total[0]} / {total[1]}" for category, _row, total in rows if total[0]]
    return agenda.append_item(assembly.id, kind="pleniere", title=AGENDA_TITLE,
                              description="\n".join(lines + ["", link]))
