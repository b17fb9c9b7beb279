"""Votes remember the plug-in that asked for them, told the result by ``vote-closed``.

Revision ID: mj_0004
Revises: mj_0003

Votes already created by the proposals plug-in (their options point at proposals or
amendments) are marked as asked by it, with their assembly as its reference, so a vote
still open at the upgrade brings its result back by itself at the close.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'mj_0004'
down_revision = 'mj_0003'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('mj_votes', sa.Column('asked_by', sa.String(length=60), nullable=True))
    op.add_column('mj_votes', sa.Column('asked_ref', sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE mj_votes SET asked_by = 'proposals', asked_ref = 'assembly:' || CAST(assembly_id AS VARCHAR(20)) "
        "WHERE assembly_id IS NOT NULL AND id IN (SELECT vote_id FROM mj_options "
        "WHERE source_plugin IN ('proposals', 'proposals.amendment'))"
    )


def downgrade():
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.drop_column('asked_ref')
        batch_op.drop_column('asked_by')
