"""Commune des Communes: the votes between wordings — which exclusive group an mj vote
decides and what became of it, and the voting code of each delegation.

Revision ID: cdc_0004
Revises: cdc_0003

"""
from alembic import op
import sqlalchemy as sa


revision = 'cdc_0004'
down_revision = 'cdc_0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cdc_wording_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('exclusive_group', sa.Integer(), nullable=False),
    sa.Column('mj_vote_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.Column('result', sa.String(length=10), nullable=True),
    sa.Column('winner_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("result IS NULL OR result IN ('amendment', 'current', 'tie', 'unapplied')", name=op.f('ck_cdc_wording_votes_result_known')),
    sa.ForeignKeyConstraint(['article_id'], ['cdc_articles.id'], name=op.f('fk_cdc_wording_votes_article_id_cdc_articles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cdc_wording_votes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['declaration_id'], ['cdc_declarations.id'], name=op.f('fk_cdc_wording_votes_declaration_id_cdc_declarations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['winner_id'], ['cdc_amendments.id'], name=op.f('fk_cdc_wording_votes_winner_id_cdc_amendments'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_wording_votes')),
    sa.UniqueConstraint('mj_vote_id', name=op.f('uq_cdc_wording_votes_mj_vote_id'))
    )
    with op.batch_alter_table('cdc_wording_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cdc_wording_votes_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('cdc_wording_codes',
    sa.Column('wording_vote_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['delegation_id'], ['cdc_delegations.id'], name=op.f('fk_cdc_wording_codes_delegation_id_cdc_delegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wording_vote_id'], ['cdc_wording_votes.id'], name=op.f('fk_cdc_wording_codes_wording_vote_id_cdc_wording_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('wording_vote_id', 'delegation_id', name=op.f('pk_cdc_wording_codes'))
    )
    with op.batch_alter_table('cdc_wording_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cdc_wording_codes_delegation_id'), ['delegation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('cdc_wording_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cdc_wording_codes_delegation_id'))

    op.drop_table('cdc_wording_codes')
    with op.batch_alter_table('cdc_wording_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cdc_wording_votes_declaration_id'))

    op.drop_table('cdc_wording_votes')
