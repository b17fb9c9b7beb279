"""timed states: one row per transition of a timed subject (vote, consent round…)

Revision ID: 0006_tasks
Revises: 0006_spaces
Create Date: 2026-12-01 12:00:00

A transition is recorded once: the unique (kind, subject_id, to_state) lets only the
first writer (the worker at a deadline, or a facilitator's action) insert it. Nothing
to carry over: a vote's last announced state stays in mj_votes.announced.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_tasks'
down_revision = '0006_ballot_boxes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'phase_transitions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('from_state', sa.String(length=20), nullable=False),
        sa.Column('to_state', sa.String(length=20), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_phase_transitions')),
        sa.UniqueConstraint('kind', 'subject_id', 'to_state',
                            name=op.f('uq_phase_transitions_kind_subject_id_to_state')),
    )


def downgrade():
    op.drop_table('phase_transitions')
