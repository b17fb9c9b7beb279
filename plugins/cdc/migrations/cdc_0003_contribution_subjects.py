"""Commune des Communes: a contribution sent from a commune gets a participation subject,
so that the link to the proposal it comes from shows on both sides (core links).

Revision ID: cdc_0003
Revises: cdc_0002

Rows sent before (there should be none: nothing wrote them) get a subject each.
"""
from alembic import op
import sqlalchemy as sa

from convergence.migrations.frozen.participation_moves import give_subjects, reset_sequence


revision = 'cdc_0003'
down_revision = 'cdc_0002'
branch_labels = None
depends_on = '0006_participation'


def upgrade():
    with op.batch_alter_table('cdc_contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
    give_subjects('cdc_contributions', 'cdc', supports='0', comments='0')
    reset_sequence('participation_subjects')
    with op.batch_alter_table('cdc_contributions', schema=None) as batch_op:
        batch_op.alter_column('subject_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_cdc_contributions_subject_id'), ['subject_id'])
        batch_op.create_foreign_key(batch_op.f('fk_cdc_contributions_subject_id_participation_subjects'),
                                    'participation_subjects', ['subject_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('cdc_contributions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cdc_contributions_subject_id_participation_subjects'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_cdc_contributions_subject_id'), type_='unique')
        batch_op.drop_column('subject_id')
    op.execute("DELETE FROM participation_subjects WHERE plugin = 'cdc'")
