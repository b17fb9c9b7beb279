"""Live facilitation: speaking lists, requests and turns, minutes' notes, note-takers —
the plug-in's own branch on top of the core schema

Revision ID: facilitation_0001
Revises:
Create Date: 2026-12-01 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'facilitation_0001'
down_revision = None
branch_labels = ('facilitation',)
depends_on = '0008_notifications'


def upgrade():
    op.create_table('facilitation_lists',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_facilitation_lists_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_facilitation_lists_item_id_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_facilitation_lists'))
    )
    op.create_index(op.f('ix_facilitation_lists_assembly_id'), 'facilitation_lists', ['assembly_id'], unique=False)

    op.create_table('facilitation_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('person', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('list_group', sa.String(length=80), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('running_since', sa.DateTime(), nullable=True),
    sa.Column('counted', sa.Float(), nullable=False),
    sa.Column('allotted', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('intervention', 'reply', 'procedure')", name=op.f('ck_facilitation_requests_kind')),
    sa.CheckConstraint("state IN ('waiting', 'speaking', 'done', 'withdrawn')", name=op.f('ck_facilitation_requests_state')),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_facilitation_requests_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_facilitation_requests_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_facilitation_requests_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilitation_requests'))
    )
    for column in ('assembly_id', 'item_id', 'user_id'):
        op.create_index(op.f(f'ix_facilitation_requests_{column}'), 'facilitation_requests', [column], unique=False)
    # The database's own rules: one waiting request per person and item, one turn spoken
    # at a time per item.
    op.create_index('uq_facilitation_requests_one_waiting', 'facilitation_requests', ['item_id', 'person'],
                    unique=True, sqlite_where=sa.text("state = 'waiting'"),
                    postgresql_where=sa.text("state = 'waiting'"))
    op.create_index('uq_facilitation_requests_one_speaking', 'facilitation_requests', ['item_id'],
                    unique=True, sqlite_where=sa.text("state = 'speaking'"),
                    postgresql_where=sa.text("state = 'speaking'"))

    op.create_table('facilitation_notes',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('decisions', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_facilitation_notes_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_facilitation_notes_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_facilitation_notes_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_facilitation_notes'))
    )
    op.create_index(op.f('ix_facilitation_notes_assembly_id'), 'facilitation_notes', ['assembly_id'], unique=False)

    op.create_table('facilitation_note_takers',
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_facilitation_note_takers_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_facilitation_note_takers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assembly_id', 'user_id', name=op.f('pk_facilitation_note_takers'))
    )


def downgrade():
    op.drop_table('facilitation_note_takers')
    op.drop_table('facilitation_notes')
    op.drop_index('uq_facilitation_requests_one_speaking', table_name='facilitation_requests')
    op.drop_index('uq_facilitation_requests_one_waiting', table_name='facilitation_requests')
    op.drop_table('facilitation_requests')
    op.drop_table('facilitation_lists')
