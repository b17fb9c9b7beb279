"""Participatory budgeting: a process may name a review circle, whose members study the
projects' feasibility besides its facilitators.

Revision ID: budget_0002_pb_projects
Revises: budget_0001
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'budget_0002_pb_projects'
down_revision = 'budget_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('budget_processes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_circle_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_budget_processes_review_circle_id_circles'), 'circles',
                                    ['review_circle_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('budget_processes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_budget_processes_review_circle_id_circles'), type_='foreignkey')
        batch_op.drop_column('review_circle_id')
