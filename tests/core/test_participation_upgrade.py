"""A database at the heads before the participation services (0005_account_erasure,
needs_0001, proposals_0002), holding rows in every table that moved, upgraded to the new
heads: every row arrives in the core's tables, threads, authors, hidden states, counters
and links kept, and the pages show them. On SQLite and on PostgreSQL (in a schema of its own)."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from convergence.extensions import db
from tests.fixtures import _normalise, is_postgres, make_test_app

OLD_HEADS = ("0005_account_erasure", "needs_0001", "proposals_0002")
SCHEMA = "participation_upgrade"
MOVED = ("needs_supports", "needs_comments", "needs_status_changes", "needs_links", "proposals_supports",
         "proposals_comments", "proposals_reports", "proposals_moderation", "proposals_status_changes")
WHEN = datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def old_database(test_database_url, tmp_path):
    if is_postgres(test_database_url):
        engine = sa.create_engine(_normalise(test_database_url), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
        separator = "&" if "?" in test_database_url else "?"
        yield f"{test_database_url}{separator}options=-csearch_path%3D{SCHEMA}"
        with engine.connect() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'before-participation.db'}"


def insert(table: str, **values) -> int:
    """One row, every NOT NULL column not named filled with a neutral value of its type."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=db.session.connection())
    for column in reflected.columns:
        if column.name in values or column.nullable or column.primary_key or column.server_default is not None:
            continue
        kind = column.type.python_type
        values[column.name] = {int: 0, bool: False, datetime: WHEN, float: 0.0}.get(kind, "")
    return db.session.execute(sa.insert(reflected).values(**values).returning(reflected.c.id)).scalar_one()


def rows(sql: str, **params) -> list:
    return db.session.execute(sa.text(sql), params).all()


@pytest.mark.parametrize("migrated_first", ["needs_0002", "proposals_0003"])
def test_the_upgrade_moves_every_row_onto_the_participation_tables(old_database, migrated_first):
    """``migrated_first``: the plug-in migrated first; the links move with whichever comes second."""
    from flask_migrate import upgrade

    app = make_test_app(old_database)
    with app.app_context():
        for revision in OLD_HEADS:
            upgrade(revision=revision)
        people = [insert("users", email=f"p{n}@example.org", display_name=f"Personne {n}") for n in range(4)]
        commune = insert("communes", slug="vieux-bourg", name="Vieux-Bourg", kind="commune")
        assembly = insert("assemblies", commune_id=commune, title="Assemblée d'avant", starts_at=WHEN,
                          status="open")
        category = insert("needs_categories", commune_id=commune, code="eau", label="Eau")
        fuite = insert("needs_needs", commune_id=commune, category_id=category, title="Fuite rue Haute",
                       status="recognised", supports_count=2)
        egout = insert("needs_needs", commune_id=commune, category_id=category, title="Égout bouché",
                       status="reported", supports_count=1)
        for need, person in ((fuite, 0), (fuite, 1), (egout, 2)):
            insert("needs_supports", need_id=need, user_id=people[person])
        insert("needs_comments", need_id=fuite, user_id=people[0], body="Chez moi aussi")
        insert("needs_comments", need_id=egout, user_id=None, body="Signalé avant la suppression d'un compte")
        insert("needs_status_changes", need_id=fuite, from_status=None, to_status="reported", by_id=people[0])
        insert("needs_status_changes", need_id=fuite, from_status="reported", to_status="recognised",
               reason="Vu sur place", by_id=people[3])
        jardin = insert("proposals_proposals", assembly_id=assembly, title="Un jardin partagé", body="Texte.",
                        status="discussion", version=1, supports_count=1, comments_count=2)
        fontaine = insert("proposals_proposals", assembly_id=assembly, title="Une fontaine", body="Texte.",
                          status="draft", version=1, supports_count=0, comments_count=1)
        first = insert("proposals_comments", proposal_id=jardin, author_id=people[0], body="Premier avis",
                       body_html="<p>Premier avis</p>")
        reply = insert("proposals_comments", proposal_id=jardin, parent_id=first, author_id=people[1],
                       body="Une réponse blessante", body_html="<p>Une réponse blessante</p>", hidden=True,
                       hidden_reason="Attaque personnelle", reports_count=1)
        insert("proposals_comments", proposal_id=fontaine, author_id=people[2], body="Où ?", body_html=None)
        insert("proposals_reports", comment_id=reply, user_id=people[2], reason="Insultant")
        insert("proposals_moderation", assembly_id=assembly, comment_id=reply, proposal_id=jardin, action="hide",
               reason="Attaque personnelle", by_id=people[3])
        insert("proposals_supports", proposal_id=jardin, user_id=people[0])
        insert("proposals_status_changes", proposal_id=jardin, from_status=None, to_status="draft", by_id=people[0])
        insert("proposals_status_changes", proposal_id=jardin, from_status="draft", to_status="discussion",
               reason="Prête", by_id=people[0])
        insert("needs_links", need_id=fuite, plugin="proposals", item_id=str(jardin), label="Un jardin partagé",
               url=f"/propositions/{jardin}")
        db.session.commit()
        db.session.remove()

        upgrade(revision=migrated_first)
        upgrade(revision="heads")

        tables = set(sa.inspect(db.engine).get_table_names())
        assert not tables & set(MOVED), tables & set(MOVED)
        subject = dict(rows("SELECT id, subject_id FROM needs_needs") + rows(
            "SELECT -id, subject_id FROM proposals_proposals"))  # proposals by negative id: one map
        need, proposal = (lambda n: subject[n]), (lambda p: subject[-p])
        assert sorted(rows("SELECT id, plugin, supports_count, comments_count FROM participation_subjects")) == sorted([
            (need(fuite), "needs", 2, 1), (need(egout), "needs", 1, 1),
            (proposal(jardin), "proposals", 1, 2), (proposal(fontaine), "proposals", 0, 1)])
        assert sorted(rows("SELECT subject_id, user_id FROM participation_supports")) == sorted([
            (need(fuite), people[0]), (need(fuite), people[1]), (need(egout), people[2]),
            (proposal(jardin), people[0])])
        comments = {body: (subject_id, parent, author, html, hidden, reason, reports, cid)
                    for cid, subject_id, parent, author, body, html, hidden, reason, reports in rows(
                        "SELECT id, subject_id, parent_id, author_id, body, body_html, hidden, hidden_reason, "
                        "reports_count FROM participation_comments")}
        assert len(comments) == 5
        assert comments["Chez moi aussi"][:5] == (need(fuite), None, people[0], None, False)
        assert comments["Signalé avant la suppression d'un compte"][:3] == (need(egout), None, None)
        assert comments["Premier avis"][:4] == (proposal(jardin), None, people[0], "<p>Premier avis</p>")
        moved_first, moved_reply = comments["Premier avis"][-1], comments["Une réponse blessante"][-1]
        assert comments["Une réponse blessante"][:7] == (
            proposal(jardin), moved_first, people[1], "<p>Une réponse blessante</p>", True, "Attaque personnelle", 1)
        assert comments["Où ?"][:4] == (proposal(fontaine), None, people[2], None)
        assert rows("SELECT comment_id, user_id, reason FROM participation_reports") == [
            (moved_reply, people[2], "Insultant")]
        assert rows("SELECT subject_id, comment_id, action, reason, by_id FROM participation_moderation") == [
            (proposal(jardin), moved_reply, "hide", "Attaque personnelle", people[3])]
        # Each item's history in its order (which plug-in migrates first is Alembic's choice).
        history = rows("SELECT subject_id, from_status, to_status, reason, by_id FROM participation_status_changes "
                       "ORDER BY id")
        assert [h for h in history if h[0] == need(fuite)] == [
            (need(fuite), None, "reported", "", people[0]), (need(fuite), "reported", "recognised", "Vu sur place",
                                                             people[3])]
        assert [h for h in history if h[0] == proposal(jardin)] == [
            (proposal(jardin), None, "draft", "", people[0]), (proposal(jardin), "draft", "discussion", "Prête",
                                                                  people[0])]
        assert len(history) == 4
        assert rows("SELECT source_id, target_id FROM participation_links") == [(proposal(jardin), need(fuite))]

        # New rows after the moved ones: the sequences moved past the ids given explicitly.
        from convergence.participation import comments as discussion
        from convergence.models import User

        discussion.add(proposal(jardin), db.session.get(User, people[2]), "Un avis de plus")
        db.session.commit()

        client = app.test_client()
        need_page = client.get(f"/communes/vieux-bourg/besoins/{fuite}").get_data(as_text=True)
        assert "Chez moi aussi" in need_page and "Un jardin partagé" in need_page and "Vu sur place" in need_page
        proposal_page = client.get(f"/propositions/{jardin}").get_data(as_text=True)
        assert "Premier avis" in proposal_page and "Attaque personnelle" in proposal_page
        assert "Une réponse blessante" not in proposal_page  # still hidden
        assert f"#{fuite} Fuite rue Haute" in proposal_page and "Un avis de plus" in proposal_page
        db.session.remove()
        db.engine.dispose()
