"""Participatory budgeting: the registers of the polling places (émargement). A polling
place of a process, its count of voters without account nor code and its register's close;
the émargements, each a participation of the process's ballot box with its place (no time).

Revision ID: budget_0003
Revises: budget_0002_pb_projects
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'budget_0003'
down_revision = 'budget_0002_pb_projects'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('budget_polling_places',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('walk_ins', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('walk_ins >= 0', name=op.f('ck_budget_polling_places_walk_ins_not_negative')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_budget_polling_places_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['process_id'], ['budget_processes.id'], name=op.f('fk_budget_polling_places_process_id_budget_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_polling_places')),
    sa.UniqueConstraint('process_id', 'name', name=op.f('uq_budget_polling_places_process_id_name'))
    )
    with op.batch_alter_table('budget_polling_places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_polling_places_process_id'), ['process_id'], unique=False)

    op.create_table('budget_roll_marks',
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participation_id'], ['ballot_participations.id'], name=op.f('fk_budget_roll_marks_participation_id_ballot_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['budget_polling_places.id'], name=op.f('fk_budget_roll_marks_place_id_budget_polling_places'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participation_id', name=op.f('pk_budget_roll_marks'))
    )
    with op.batch_alter_table('budget_roll_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_roll_marks_place_id'), ['place_id'], unique=False)



def downgrade():
    with op.batch_alter_table('budget_roll_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_roll_marks_place_id'))

    op.drop_table('budget_roll_marks')
    with op.batch_alter_table('budget_polling_places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_polling_places_process_id'))

    op.drop_table('budget_polling_places')
