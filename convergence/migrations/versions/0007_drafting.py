"""drafting and consent services in the core; circles' entries and exits by consent

Revision ID: 0007_drafting
Revises: 0006_spaces
Create Date: 2026-12-01 12:00:00

Drafting documents with their versions and amendments, consent rounds with their answers
(one per person and round), and the circles' requests to join or exclude (a round's
subject: joined on the round's id). Existing circle records keep an empty ``round_id``:
they were typed by a facilitator after a meeting. The proposals branch moves its versions,
amendments and rounds here (proposals_0005).
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_drafting'
down_revision = '0006_tasks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('drafting_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafting_documents'))
    )
    op.create_table('consent_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_consent_rounds_opened_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_rounds'))
    )
    op.create_table('drafting_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('original_text', sa.Text(), nullable=False),
    sa.Column('new_text', sa.Text(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('to_assembly', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_drafting_amendments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_drafting_amendments_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['drafting_documents.id'], name=op.f('fk_drafting_amendments_document_id_drafting_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafting_amendments'))
    )
    with op.batch_alter_table('drafting_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drafting_amendments_document_id'), ['document_id'], unique=False)

    op.create_table('drafting_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_drafting_versions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['drafting_documents.id'], name=op.f('fk_drafting_versions_document_id_drafting_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafting_versions')),
    sa.UniqueConstraint('document_id', 'number', name=op.f('uq_drafting_versions_document_id_number'))
    )
    op.create_table('circle_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('request', sa.String(length=10), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['asked_by_id'], ['users.id'], name=op.f('fk_circle_requests_asked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_circle_requests_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id'], ['consent_rounds.id'], name=op.f('fk_circle_requests_id_consent_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_circle_requests_person_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_requests'))
    )
    with op.batch_alter_table('circle_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circle_requests_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circle_requests_person_id'), ['person_id'], unique=False)

    op.create_table('consent_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("answer <> 'objection' OR length(reason) > 0", name=op.f('ck_consent_answers_objection_has_reason')),
    sa.ForeignKeyConstraint(['round_id'], ['consent_rounds.id'], name=op.f('fk_consent_answers_round_id_consent_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consent_answers_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_answers')),
    sa.UniqueConstraint('round_id', 'user_id', name=op.f('uq_consent_answers_round_id_user_id'))
    )
    with op.batch_alter_table('consent_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_answers_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('circle_membership_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_circle_membership_events_round_id_consent_rounds'), 'consent_rounds', ['round_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('circle_membership_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_circle_membership_events_round_id_consent_rounds'), type_='foreignkey')
        batch_op.drop_column('round_id')

    with op.batch_alter_table('consent_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_answers_user_id'))

    op.drop_table('consent_answers')
    with op.batch_alter_table('circle_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circle_requests_person_id'))
        batch_op.drop_index(batch_op.f('ix_circle_requests_circle_id'))

    op.drop_table('circle_requests')
    op.drop_table('drafting_versions')
    with op.batch_alter_table('drafting_amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drafting_amendments_document_id'))

    op.drop_table('drafting_amendments')
    op.drop_table('consent_rounds')
    op.drop_table('drafting_documents')
