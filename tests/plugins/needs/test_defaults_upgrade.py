"""needs_0003: the communes that never showed a needs page (their lists used to be written
by the first one) get the default lists; a list a commune already has is left as it is.
On SQLite and on PostgreSQL (in a schema of its own)."""

from __future__ import annotations


from convergence.extensions import db
from tests.core.test_participation_upgrade import insert, old_database, rows  # noqa: F401  (fixture)
from tests.fixtures import make_test_app


def test_the_upgrade_gives_the_default_lists_to_the_communes_without_them(old_database):  # noqa: F811
    from flask_migrate import upgrade

    app = make_test_app(old_database)
    with app.app_context():
        upgrade(revision="needs_0002")
        bare = insert("communes", slug="sans-listes", name="Sans-Listes", kind="commune")
        used = insert("communes", slug="deja-servie", name="Déjà-Servie", kind="commune")
        insert("needs_categories", commune_id=used, code="eau", label="Eau potable")
        db.session.commit()
        upgrade(revision="needs_0003")
        categories = rows("SELECT commune_id, code, label FROM needs_categories ORDER BY commune_id, code")
        communities = rows("SELECT commune_id, code FROM needs_communities ORDER BY commune_id, code")
        db.session.remove()
        db.engine.dispose()
    assert [(c, code) for c, code, _label in categories if c == bare] == [
        (bare, code) for code in sorted(("alimentation", "logement", "eau", "energie", "mobilite", "sante",
                                         "lien_social"))]
    assert ("Alimentation", "Énergie") == tuple(label for c, code, label in categories
                                               if c == bare and code in ("alimentation", "energie"))
    assert [(c, code, label) for c, code, label in categories if c == used] == [(used, "eau", "Eau potable")]
    expected = sorted(("locataires", "personnes_agees", "jeunes", "familles", "agriculteurs"))
    for commune in (bare, used):
        assert [code for c, code in communities if c == commune] == expected
