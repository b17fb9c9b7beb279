"""Majority-judgment votes: the plug-in's own branch, built on top of the core schema.

Revision ID: mj_0001
Revises:
Depends on: 0001_core

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'mj_0001'
down_revision = None
branch_labels = ('mj',)
depends_on = '0001_core'


def upgrade():
    op.create_table('mj_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('scale', sa.String(length=20), nullable=False),
    sa.Column('custom_grades', sa.JSON(), nullable=True),
    sa.Column('n_grades', sa.Integer(), nullable=False),
    sa.Column('voters', sa.String(length=10), nullable=False),
    sa.Column('live_results', sa.Boolean(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=True),
    sa.Column('closes_at', sa.DateTime(), nullable=True),
    sa.Column('announced', sa.String(length=10), nullable=False),
    sa.Column('chain_head', sa.String(length=64), nullable=True),
    sa.Column('chain_length', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_mj_votes_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mj_votes_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mj_votes'))
    )
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mj_votes_assembly_id'), ['assembly_id'], unique=False)

    op.create_table('mj_ballots',
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('receipt', sa.String(length=20), nullable=False),
    sa.Column('grades', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['mj_votes.id'], name=op.f('fk_mj_ballots_vote_id_mj_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vote_id', 'receipt', name=op.f('pk_mj_ballots'))
    )
    op.create_table('mj_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['mj_votes.id'], name=op.f('fk_mj_codes_vote_id_mj_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mj_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_mj_codes_code'))
    )
    with op.batch_alter_table('mj_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mj_codes_vote_id'), ['vote_id'], unique=False)

    op.create_table('mj_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('source_plugin', sa.String(length=60), nullable=True),
    sa.Column('source_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['vote_id'], ['mj_votes.id'], name=op.f('fk_mj_options_vote_id_mj_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mj_options')),
    sa.UniqueConstraint('vote_id', 'position', name=op.f('uq_mj_options_vote_id_position'))
    )
    with op.batch_alter_table('mj_options', schema=None) as batch_op:
        batch_op.create_index('ix_mj_options_source', ['source_plugin', 'source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mj_options_vote_id'), ['vote_id'], unique=False)

    op.create_table('mj_paper_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('ballots', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_mj_paper_batches_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vote_id'], ['mj_votes.id'], name=op.f('fk_mj_paper_batches_vote_id_mj_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mj_paper_batches'))
    )
    with op.batch_alter_table('mj_paper_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mj_paper_batches_vote_id'), ['vote_id'], unique=False)

    op.create_table('mj_counts',
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.SmallInteger(), nullable=False),
    sa.Column('shard', sa.SmallInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['option_id'], ['mj_options.id'], name=op.f('fk_mj_counts_option_id_mj_options'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vote_id'], ['mj_votes.id'], name=op.f('fk_mj_counts_vote_id_mj_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vote_id', 'option_id', 'grade', 'shard', name=op.f('pk_mj_counts'))
    )
    op.create_table('mj_paper_counts',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.SmallInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['mj_paper_batches.id'], name=op.f('fk_mj_paper_counts_batch_id_mj_paper_batches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['mj_options.id'], name=op.f('fk_mj_paper_counts_option_id_mj_options'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('batch_id', 'option_id', 'grade', name=op.f('pk_mj_paper_counts'))
    )
    op.create_table('mj_participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('code_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['code_id'], ['mj_codes.id'], name=op.f('fk_mj_participations_code_id_mj_codes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mj_participations_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vote_id'], ['mj_votes.id'], name=op.f('fk_mj_participations_vote_id_mj_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mj_participations')),
    sa.UniqueConstraint('code_id', name=op.f('uq_mj_participations_code_id')),
    sa.UniqueConstraint('vote_id', 'user_id', name=op.f('uq_mj_participations_vote_id_user_id'))
    )
    with op.batch_alter_table('mj_participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mj_participations_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('mj_participations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mj_participations_user_id'))

    op.drop_table('mj_participations')
    op.drop_table('mj_paper_counts')
    op.drop_table('mj_counts')
    with op.batch_alter_table('mj_paper_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mj_paper_batches_vote_id'))

    op.drop_table('mj_paper_batches')
    with op.batch_alter_table('mj_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mj_options_vote_id'))
        batch_op.drop_index('ix_mj_options_source')

    op.drop_table('mj_options')
    with op.batch_alter_table('mj_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mj_codes_vote_id'))

    op.drop_table('mj_codes')
    op.drop_table('mj_ballots')
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mj_votes_assembly_id'))

    op.drop_table('mj_votes')
