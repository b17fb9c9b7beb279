"""Commune des Communes: the joint declaration — its articles, amendments with the
committee's procedure, delegations' supports and public voices, signatures, and the
contributions sent from communes.

Revision ID: cdc_0002
Revises: cdc_0001

"""
from alembic import op
import sqlalchemy as sa


revision = 'cdc_0002'
down_revision = 'cdc_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cdc_declarations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('amendments_deadline', sa.DateTime(), nullable=True),
    sa.Column('next_article_number', sa.Integer(), nullable=False),
    sa.Column('next_amendment_number', sa.Integer(), nullable=False),
    sa.Column('adoption_mode', sa.String(length=12), nullable=True),
    sa.Column('adopted_at', sa.DateTime(), nullable=True),
    sa.Column('adopted_version', sa.Integer(), nullable=True),
    sa.Column('adopted_hash', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'amending', 'voting', 'adopted')", name=op.f('ck_cdc_declarations_state_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cdc_declarations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['drafting_documents.id'], name=op.f('fk_cdc_declarations_document_id_drafting_documents'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['meeting_id'], ['cdc_meetings.id'], name=op.f('fk_cdc_declarations_meeting_id_cdc_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_declarations')),
    sa.UniqueConstraint('document_id', name=op.f('uq_cdc_declarations_document_id')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_cdc_declarations_meeting_id'))
    )
    op.create_table('cdc_articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['cdc_declarations.id'], name=op.f('fk_cdc_articles_declaration_id_cdc_declarations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_articles')),
    sa.UniqueConstraint('declaration_id', 'number', name=op.f('uq_cdc_articles_declaration_id_number'))
    )
    with op.batch_alter_table('cdc_articles', schema=None) as batch_op:
        batch_op.create_index('ix_cdc_articles_declaration_position', ['declaration_id', 'position'], unique=False)

    op.create_table('cdc_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('collective_name', sa.String(length=200), nullable=False),
    sa.Column('decision_reference', sa.String(length=200), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['cdc_declarations.id'], name=op.f('fk_cdc_signatures_declaration_id_cdc_declarations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegation_id'], ['cdc_delegations.id'], name=op.f('fk_cdc_signatures_delegation_id_cdc_delegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_cdc_signatures_signed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_signatures')),
    sa.UniqueConstraint('declaration_id', 'delegation_id', name=op.f('uq_cdc_signatures_declaration_id_delegation_id'))
    )
    with op.batch_alter_table('cdc_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cdc_signatures_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('cdc_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('section', sa.String(length=200), nullable=False),
    sa.Column('procedure', sa.String(length=16), nullable=True),
    sa.Column('procedure_text', sa.Text(), nullable=False),
    sa.Column('procedure_reason', sa.Text(), nullable=False),
    sa.Column('merge_into_id', sa.Integer(), nullable=True),
    sa.Column('procedure_at', sa.DateTime(), nullable=True),
    sa.Column('answer', sa.String(length=10), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('exclusive_group', sa.Integer(), nullable=True),
    sa.Column('mj_vote_id', sa.Integer(), nullable=True),
    sa.Column('supports_count', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("answer IS NULL OR answer IN ('agreed', 'maintained')", name=op.f('ck_cdc_amendments_answer_known')),
    sa.CheckConstraint("kind IN ('modify', 'add')", name=op.f('ck_cdc_amendments_kind_known')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('adopted', 'rejected', 'merged', 'withdrawn')", name=op.f('ck_cdc_amendments_outcome_known')),
    sa.CheckConstraint("procedure IS NULL OR procedure IN ('accept', 'accept_modified', 'merge', 'reject')", name=op.f('ck_cdc_amendments_procedure_known')),
    sa.ForeignKeyConstraint(['amendment_id'], ['drafting_amendments.id'], name=op.f('fk_cdc_amendments_amendment_id_drafting_amendments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['article_id'], ['cdc_articles.id'], name=op.f('fk_cdc_amendments_article_id_cdc_articles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['declaration_id'], ['cdc_declarations.id'], name=op.f('fk_cdc_amendments_declaration_id_cdc_declarations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegation_id'], ['cdc_delegations.id'], name=op.f('fk_cdc_amendments_delegation_id_cdc_delegations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merge_into_id'], ['cdc_amendments.id'], name=op.f('fk_cdc_amendments_merge_into_id_cdc_amendments'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_amendments')),
    sa.UniqueConstraint('amendment_id', name=op.f('uq_cdc_amendments_amendment_id')),
    sa.UniqueConstraint('declaration_id', 'number', name=op.f('uq_cdc_amendments_declaration_id_number'))
    )
    with op.batch_alter_table('cdc_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cdc_amendments_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdc_amendments_declaration_id'), ['declaration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdc_amendments_delegation_id'), ['delegation_id'], unique=False)

    op.create_table('cdc_amendment_supports',
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['cdc_amendments.id'], name=op.f('fk_cdc_amendment_supports_amendment_id_cdc_amendments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegation_id'], ['cdc_delegations.id'], name=op.f('fk_cdc_amendment_supports_delegation_id_cdc_delegations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('amendment_id', 'delegation_id', name=op.f('pk_cdc_amendment_supports'))
    )
    with op.batch_alter_table('cdc_amendment_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cdc_amendment_supports_delegation_id'), ['delegation_id'], unique=False)

    op.create_table('cdc_contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('contribution', 'amendment')", name=op.f('ck_cdc_contributions_kind_known')),
    sa.ForeignKeyConstraint(['amendment_id'], ['cdc_amendments.id'], name=op.f('fk_cdc_contributions_amendment_id_cdc_amendments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_cdc_contributions_commune_id_communes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['declaration_id'], ['cdc_declarations.id'], name=op.f('fk_cdc_contributions_declaration_id_cdc_declarations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_cdc_contributions_sent_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_contributions')),
    sa.UniqueConstraint('declaration_id', 'proposal_id', name=op.f('uq_cdc_contributions_declaration_id_proposal_id'))
    )
    with op.batch_alter_table('cdc_contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cdc_contributions_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('cdc_floor_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=10), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('weight_for', sa.Integer(), nullable=False),
    sa.Column('weight_against', sa.Integer(), nullable=False),
    sa.Column('weight_abstain', sa.Integer(), nullable=False),
    sa.Column('carried', sa.Boolean(), nullable=True),
    sa.CheckConstraint("subject IN ('amendment', 'adoption')", name=op.f('ck_cdc_floor_votes_subject_known')),
    sa.ForeignKeyConstraint(['amendment_id'], ['cdc_amendments.id'], name=op.f('fk_cdc_floor_votes_amendment_id_cdc_amendments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['declaration_id'], ['cdc_declarations.id'], name=op.f('fk_cdc_floor_votes_declaration_id_cdc_declarations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_floor_votes')),
    sa.UniqueConstraint('declaration_id', 'amendment_id', name=op.f('uq_cdc_floor_votes_declaration_id_amendment_id'))
    )
    with op.batch_alter_table('cdc_floor_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cdc_floor_votes_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('cdc_voices',
    sa.Column('floor_vote_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('cast_by_id', sa.Integer(), nullable=True),
    sa.Column('by_organiser', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("choice IN ('for', 'against', 'abstain')", name=op.f('ck_cdc_voices_choice_known')),
    sa.CheckConstraint('weight >= 1', name=op.f('ck_cdc_voices_weight_positive')),
    sa.ForeignKeyConstraint(['cast_by_id'], ['users.id'], name=op.f('fk_cdc_voices_cast_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delegation_id'], ['cdc_delegations.id'], name=op.f('fk_cdc_voices_delegation_id_cdc_delegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['floor_vote_id'], ['cdc_floor_votes.id'], name=op.f('fk_cdc_voices_floor_vote_id_cdc_floor_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('floor_vote_id', 'delegation_id', name=op.f('pk_cdc_voices'))
    )
    with op.batch_alter_table('cdc_voices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cdc_voices_delegation_id'), ['delegation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('cdc_voices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cdc_voices_delegation_id'))

    op.drop_table('cdc_voices')
    with op.batch_alter_table('cdc_floor_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cdc_floor_votes_declaration_id'))

    op.drop_table('cdc_floor_votes')
    with op.batch_alter_table('cdc_contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cdc_contributions_declaration_id'))

    op.drop_table('cdc_contributions')
    with op.batch_alter_table('cdc_amendment_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cdc_amendment_supports_delegation_id'))

    op.drop_table('cdc_amendment_supports')
    with op.batch_alter_table('cdc_amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cdc_amendments_delegation_id'))
        batch_op.drop_index(batch_op.f('ix_cdc_amendments_declaration_id'))
        batch_op.drop_index(batch_op.f('ix_cdc_amendments_article_id'))

    op.drop_table('cdc_amendments')
    with op.batch_alter_table('cdc_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cdc_signatures_declaration_id'))

    op.drop_table('cdc_signatures')
    with op.batch_alter_table('cdc_articles', schema=None) as batch_op:
        batch_op.drop_index('ix_cdc_articles_declaration_position')

    op.drop_table('cdc_articles')
    op.drop_table('cdc_declarations')
