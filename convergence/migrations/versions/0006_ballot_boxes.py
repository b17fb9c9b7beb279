"""ballot boxes: the balloting service's storage (participations, codes, sealed ballots,
ballots written out, paper batches), keyed by box

Revision ID: 0006_ballot_boxes
Revises: 0006_spaces
Create Date: 2026-12-01 13:00:00

Empty tables: the plug-ins' own revisions (mj_0005) move their rows in.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_ballot_boxes'
down_revision = '0006_spaces'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)


def upgrade():
    op.create_table('ballot_boxes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('seal_salt', sa.String(length=32), nullable=True),
    sa.Column('seal_context', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_boxes'))
    )
    op.create_table('ballot_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    _fk('ballot_codes', 'box_id', 'ballot_boxes', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_ballot_codes_code'))
    )
    with op.batch_alter_table('ballot_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_codes_box_id'), ['box_id'], unique=False)
    op.create_table('ballot_participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('code_id', sa.Integer(), nullable=True),
    _fk('ballot_participations', 'box_id', 'ballot_boxes', 'CASCADE'),
    _fk('ballot_participations', 'code_id', 'ballot_codes', 'CASCADE'),
    _fk('ballot_participations', 'user_id', 'users', 'SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_participations')),
    sa.UniqueConstraint('box_id', 'user_id', name=op.f('uq_ballot_participations_box_id_user_id')),
    sa.UniqueConstraint('code_id', name=op.f('uq_ballot_participations_code_id'))
    )
    with op.batch_alter_table('ballot_participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_participations_user_id'), ['user_id'], unique=False)
    op.create_table('ballot_sealed',
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('lookup', sa.LargeBinary(length=16), nullable=False),
    sa.Column('sealed', sa.LargeBinary(length=200), nullable=False),
    _fk('ballot_sealed', 'box_id', 'ballot_boxes', 'CASCADE'),
    sa.PrimaryKeyConstraint('box_id', 'lookup', name=op.f('pk_ballot_sealed'))
    )
    op.create_table('ballots',
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('receipt', sa.String(length=20), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    _fk('ballots', 'box_id', 'ballot_boxes', 'CASCADE'),
    sa.PrimaryKeyConstraint('box_id', 'receipt', name=op.f('pk_ballots'))
    )
    op.create_table('ballot_paper_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('ballots', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    _fk('ballot_paper_batches', 'box_id', 'ballot_boxes', 'CASCADE'),
    _fk('ballot_paper_batches', 'entered_by_id', 'users', 'SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_paper_batches'))
    )
    with op.batch_alter_table('ballot_paper_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_paper_batches_box_id'), ['box_id'], unique=False)


def downgrade():
    for table in ('ballot_paper_batches', 'ballots', 'ballot_sealed', 'ballot_participations', 'ballot_codes',
                  'ballot_boxes'):
        op.drop_table(table)
