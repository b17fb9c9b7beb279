"""Proposals: the support threshold moves from proposals_settings to the core's per-space
settings (space_settings), the same value for the same assembly

Revision ID: proposals_0004
Revises: proposals_0003
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'proposals_0004'
down_revision = 'proposals_0003'
branch_labels = None
depends_on = '0006_spaces'


def upgrade():
    op.get_bind().execute(sa.text(
        "INSERT INTO space_settings (space_id, plugin_name, key, value) "
        "SELECT assemblies.space_id, 'proposals', 'support_threshold', CAST(proposals_settings.support_threshold "
        "AS VARCHAR(20)) FROM proposals_settings JOIN assemblies ON assemblies.id = proposals_settings.assembly_id"))
    op.drop_table('proposals_settings')


def downgrade():
    op.create_table('proposals_settings',
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('support_threshold', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_proposals_settings_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assembly_id', name=op.f('pk_proposals_settings'))
    )
    op.get_bind().execute(sa.text(
        "INSERT INTO proposals_settings (assembly_id, support_threshold) "
        "SELECT assemblies.id, CAST(space_settings.value AS INTEGER) FROM space_settings "
        "JOIN assemblies ON assemblies.space_id = space_settings.space_id "
        "WHERE space_settings.plugin_name = 'proposals' AND space_settings.key = 'support_threshold'"))
    op.execute("DELETE FROM space_settings WHERE plugin_name = 'proposals' AND key = 'support_threshold'")
