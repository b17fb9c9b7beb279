"""roles offered by e-mail: the invited address on invitations

Revision ID: 0005_account_erasure
Revises: 0004_form_tokens
Create Date: 2026-12-01 09:00:00

A role is no longer given by typing someone's address: it is offered by mail and given
when the person accepts, so the invitation keeps the one address that may accept it.
Existing invitations are open links and keep a NULL address.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_account_erasure'
down_revision = '0004_form_tokens'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.create_index(batch_op.f('ix_invitations_email'), ['email'], unique=False)


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_email'))
        batch_op.drop_column('email')
