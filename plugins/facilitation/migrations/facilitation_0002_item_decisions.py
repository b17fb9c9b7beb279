"""Live facilitation: the votes and consent rounds opened from the console on an agenda item

Revision ID: facilitation_0002
Revises: facilitation_0001
Create Date: 2026-12-01 23:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'facilitation_0002'
down_revision = 'facilitation_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('facilitation_item_votes',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_facilitation_item_votes_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_facilitation_item_votes_item_id_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'vote_id', name=op.f('pk_facilitation_item_votes'))
    )
    op.create_index(op.f('ix_facilitation_item_votes_assembly_id'), 'facilitation_item_votes', ['assembly_id'], unique=False)

    op.create_table('facilitation_item_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_facilitation_item_rounds_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id'], ['consent_rounds.id'], name=op.f('fk_facilitation_item_rounds_id_consent_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_facilitation_item_rounds_item_id_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilitation_item_rounds'))
    )
    op.create_index(op.f('ix_facilitation_item_rounds_assembly_id'), 'facilitation_item_rounds', ['assembly_id'], unique=False)
    op.create_index(op.f('ix_facilitation_item_rounds_item_id'), 'facilitation_item_rounds', ['item_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_facilitation_item_rounds_item_id'), table_name='facilitation_item_rounds')
    op.drop_index(op.f('ix_facilitation_item_rounds_assembly_id'), table_name='facilitation_item_rounds')
    op.drop_table('facilitation_item_rounds')
    op.drop_index(op.f('ix_facilitation_item_votes_assembly_id'), table_name='facilitation_item_votes')
    op.drop_table('facilitation_item_votes')
