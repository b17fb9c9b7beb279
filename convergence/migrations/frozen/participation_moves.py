"""Frozen (issue 9, item 6: the participation tables, 2026-12): what the plug-ins'
migrations use to move their rows onto the participation tables (needs_0002,
proposals_0003). Never edited: a later migration needing something else gets its own copy.

Set-based, so that 100,000 items move in a few statements: a subject's id is the item's
id plus an offset past the subjects already there, and a moved comment's id is its old id
plus an offset too, so that replies keep pointing at the comment they answer.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def offset(table: str) -> int:
    """The highest id already in ``table`` (0 when empty): new rows are numbered after it."""
    return op.get_bind().execute(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one()


def give_subjects(items: str, plugin: str, *, supports: str, comments: str) -> int:
    """Create one subject per row of ``items`` (which has a nullable ``subject_id`` by now),
    with its counters computed by the SQL expressions given (over the item's row ``i``),
    and point each item at it. Returns the offset used."""
    base = offset("participation_subjects")
    op.execute(f"INSERT INTO participation_subjects (id, plugin, supports_count, comments_count, created_at) "
               f"SELECT i.id + {base}, '{plugin}', {supports}, {comments}, i.created_at FROM {items} i")
    op.execute(f"UPDATE {items} SET subject_id = id + {base}")
    return base


def reset_sequence(table: str) -> None:
    """After rows inserted with explicit ids, PostgreSQL's sequence must move past them."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                   f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")


def has_column(table: str, column: str) -> bool:
    inspector = sa.inspect(op.get_bind())
    return table in inspector.get_table_names() and column in {c["name"] for c in inspector.get_columns(table)}


def has_table(table: str) -> bool:
    return table in sa.inspect(op.get_bind()).get_table_names()


def link_needs_to_proposals() -> bool:
    """Move ``needs_links`` rows made by proposals onto ``participation_links`` once both
    plug-ins have subjects (whichever migrates second does it), then drop the old table.
    Returns True when the old table is gone."""
    if not (has_table("needs_links") and has_column("needs_needs", "subject_id")
            and has_column("proposals_proposals", "subject_id")):
        return not has_table("needs_links")
    op.execute("INSERT INTO participation_links (source_id, target_id, created_at) "
               "SELECT p.subject_id, n.subject_id, CURRENT_TIMESTAMP FROM needs_links l "
               "JOIN needs_needs n ON n.id = l.need_id "
               "JOIN proposals_proposals p ON CAST(p.id AS VARCHAR(64)) = l.item_id "
               "WHERE l.plugin = 'proposals' ORDER BY l.id")
    op.execute("DELETE FROM needs_links WHERE plugin = 'proposals'")
    left = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM needs_links")).scalar_one()
    if not left:  # links of other plug-ins would have no subject to point at: kept until they have one
        op.drop_table("needs_links")
    return not left
