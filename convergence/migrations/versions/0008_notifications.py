"""mails when a vote or a consent round opens (opt-in), and the last visit to « Pour moi »

Revision ID: 0008_notifications
Revises: 0007_drafting
Create Date: 2026-12-01 15:00:00

Three new tables, empty at first: no row means nobody asked for mail (the preference is
opt-in) and nobody has visited « Pour moi » yet. Nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_notifications'
down_revision = '0007_drafting'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('openings', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preferences'))
    )
    op.create_table('notification_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_sends_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_sends')),
    sa.UniqueConstraint('user_id', 'kind', 'subject_id', name=op.f('uq_notification_sends_user_id_kind_subject_id'))
    )
    op.create_table('for_me_visits',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('visit_started_at', sa.DateTime(), nullable=False),
    sa.Column('previous_visit_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_for_me_visits_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_for_me_visits'))
    )


def downgrade():
    op.drop_table('for_me_visits')
    op.drop_table('notification_sends')
    op.drop_table('notification_preferences')
