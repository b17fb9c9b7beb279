"""Needs: default lists for every commune that has none

Revision ID: needs_0003
Revises: needs_0002
Create Date: 2026-12-01 14:00:00

The default categories and communities used to be written by the first needs page a
commune showed (a write during a GET). They are now added when needs is switched on in a
commune or as a commune is created (the plug-in's ``on_enabled``); this data step gives
them to the communes that never showed a needs page. The labels are in French, the site's
default language (the same words the page wrote for a French reader); facilitators edit
them. Downgrading removes nothing: the lists may have been edited and needs refer to them.
"""
from alembic import op
import sqlalchemy as sa


revision = 'needs_0003'
down_revision = 'needs_0002'
branch_labels = None
depends_on = None

CATEGORIES = [
    ("alimentation", "Alimentation"), ("logement", "Logement"), ("eau", "Eau"), ("energie", "Énergie"),
    ("mobilite", "Mobilité"), ("sante", "Santé"), ("lien_social", "Lien social"),
]
COMMUNITIES = [
    ("locataires", "Locataires"), ("personnes_agees", "Personnes âgées"), ("jeunes", "Jeunes"),
    ("familles", "Familles"), ("agriculteurs", "Agriculteurs"),
]


def upgrade():
    bind = op.get_bind()
    for table, rows in (("needs_categories", CATEGORIES), ("needs_communities", COMMUNITIES)):
        # The communes without any entry in this list, read once before filling it.
        bare = [row[0] for row in bind.execute(sa.text(
            f"SELECT c.id FROM communes c WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.commune_id = c.id)"))]
        for commune_id in bare:
            bind.execute(sa.text(f"INSERT INTO {table} (commune_id, code, label) VALUES (:c, :code, :label)"),
                         [{"c": commune_id, "code": code, "label": label} for code, label in rows])


def downgrade():
    pass
