"""Proposals: comments keep their sanitised HTML, rendered once when written

Revision ID: proposals_0002
Revises: proposals_0001
Create Date: 2026-11-23 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'proposals_0002'
down_revision = 'proposals_0001'
branch_labels = None
depends_on = None


def upgrade():
    # Older rows keep NULL and are rendered when shown, as before.
    with op.batch_alter_table('proposals_comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('proposals_comments', schema=None) as batch_op:
        batch_op.drop_column('body_html')
