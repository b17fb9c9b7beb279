"""Votes in thematic circles: a vote belongs to an assembly or to a circle, exactly one.

Revision ID: mj_0002
Revises: mj_0001

Batch mode: SQLite copies the table (the platform does not turn SQLite's foreign-key
enforcement on, so the copy does not cascade to options and ballots); PostgreSQL alters
it in place.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'mj_0002'
down_revision = 'mj_0001'
branch_labels = None
depends_on = None

ONE_SPACE = ("(CASE WHEN assembly_id IS NULL THEN 0 ELSE 1 END"
             " + CASE WHEN circle_id IS NULL THEN 0 ELSE 1 END) = 1")


def upgrade():
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('circle_id', sa.Integer(), nullable=True))
        batch_op.alter_column('assembly_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_mj_votes_circle_id_circles'), 'circles', ['circle_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_mj_votes_circle_id'), ['circle_id'], unique=False)
        batch_op.create_check_constraint(batch_op.f('ck_mj_votes_one_space'), ONE_SPACE)


def downgrade():
    # Circle votes have no assembly to fall back on: they go, with their ballots.
    op.execute("DELETE FROM mj_votes WHERE circle_id IS NOT NULL")
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_mj_votes_one_space'), type_='check')
        batch_op.drop_index(batch_op.f('ix_mj_votes_circle_id'))
        batch_op.drop_constraint(batch_op.f('fk_mj_votes_circle_id_circles'), type_='foreignkey')
        batch_op.alter_column('assembly_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('circle_id')
