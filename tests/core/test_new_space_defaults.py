"""A new space gets the defaults of the plug-ins switched on there by default in the
transaction that creates it (convergence/features.py): one commit holds the commune and
needs' default lists, and a creation that rolls back leaves neither."""

from __future__ import annotations

import sqlalchemy as sa

from convergence.extensions import db
from convergence.models import Commune
from tests.fixtures import browser_fields, login


def _lists(commune_id: int) -> tuple[int, int]:
    from plugins.needs.models import Category, Community

    return tuple(db.session.scalar(db.select(db.func.count()).select_from(model).where(model.commune_id == commune_id))
                 for model in (Category, Community))


def test_a_new_commune_has_needs_lists_in_its_own_commit(app, client, make):
    login(client, make.user(admin=True))
    commits = []
    with app.app_context():
        engine = db.engine
    def count(_connection):
        commits.append(1)

    sa.event.listen(engine, "commit", count)
    try:
        form = {"name": "Saint-Martin", "kind": "commune", **browser_fields(client, "/communes/nouvelle")}
        commits.clear()
        response = client.post("/communes/nouvelle", data=form)
    finally:
        sa.event.remove(engine, "commit", count)
    assert response.status_code == 302
    commune = db.session.scalar(db.select(Commune).where(Commune.name == "Saint-Martin"))
    categories, communities = _lists(commune.id)
    assert categories > 0 and communities > 0
    # One commit for the commune, its space, its administrator and the lists (a second
    # commit after the first would show as two).
    assert len(commits) == 1


def test_a_rolled_back_commune_leaves_no_lists(app):
    with app.app_context():
        commune = Commune(slug="perdue", name="Perdue", kind="commune")
        db.session.add(commune)
        db.session.flush()
        commune_id = commune.id
        assert _lists(commune_id)[0] > 0  # prepared right after the flush, in the same transaction
        db.session.rollback()
        assert _lists(commune_id) == (0, 0)
        assert db.session.get(Commune, commune_id) is None
