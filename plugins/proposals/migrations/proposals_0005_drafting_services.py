"""Proposals: texts, versions, amendments and consent rounds move onto the core's services

Revision ID: proposals_0005
Revises: proposals_0004
Create Date: 2026-12-01 12:10:00

Each proposal's current title, body and version number become a drafting document
(``proposals_proposals.document_id``); its versions and amendments move to the document,
and its consent rounds and answers to the core's tables, keeping their ids (the pages'
addresses, the amendment numbers shown and the majority-judgment options that name an
amendment stay the same). ``proposals_rounds`` keeps what is the proposal's own in a round:
its number and the version it was about. The old tables are dropped.
"""
from alembic import op
import sqlalchemy as sa


revision = 'proposals_0005'
down_revision = 'proposals_0004'
branch_labels = None
depends_on = '0007_drafting'

# Tables whose ids were copied: their sequences (PostgreSQL) continue after the copies.
COPIED = ('drafting_documents', 'drafting_versions', 'drafting_amendments', 'consent_rounds', 'consent_answers')


def _continue_sequences(tables):
    if op.get_bind().dialect.name != 'postgresql':
        return  # SQLite takes the next id after the largest
    for table in tables:
        op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                   f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")


def upgrade():
    op.create_table('proposals_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['consent_rounds.id'], name=op.f('fk_proposals_rounds_id_consent_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals_proposals.id'], name=op.f('fk_proposals_rounds_proposal_id_proposals_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals_rounds')),
    sa.UniqueConstraint('proposal_id', 'number', name=op.f('uq_proposals_rounds_proposal_id_number'))
    )
    with op.batch_alter_table('proposals_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
    # A proposal's document takes the proposal's id: the copies below find it by that.
    op.execute("INSERT INTO drafting_documents (id, title, body, version, created_at, updated_at) "
               "SELECT id, title, body, version, created_at, updated_at FROM proposals_proposals")
    op.execute("UPDATE proposals_proposals SET document_id = id")
    op.execute("INSERT INTO drafting_versions (id, document_id, number, title, body, note, amendment_id, author_id, "
               "created_at) SELECT id, proposal_id, number, title, body, note, amendment_id, author_id, created_at "
               "FROM proposals_versions")
    op.execute("INSERT INTO drafting_amendments (id, document_id, paragraph, base_version, original_text, new_text, "
               "explanation, state, reason, to_assembly, author_id, decided_by_id, decided_at, created_at) "
               "SELECT id, proposal_id, paragraph, base_version, original_text, new_text, explanation, state, reason, "
               "to_assembly, author_id, decided_by_id, decided_at, created_at FROM proposals_amendments")
    op.execute("INSERT INTO consent_rounds (id, kind, mode, deadline, opened_by_id, opened_at, closed_at, outcome) "
               "SELECT id, 'proposals', mode, deadline, opened_by_id, opened_at, closed_at, outcome "
               "FROM proposals_consent_rounds")
    op.execute("INSERT INTO proposals_rounds (id, proposal_id, number, version) "
               "SELECT id, proposal_id, number, version FROM proposals_consent_rounds")
    op.execute("INSERT INTO consent_answers (id, round_id, user_id, answer, reason, resolved, resolution, created_at, "
               "updated_at) SELECT id, round_id, user_id, answer, reason, resolved, resolution, created_at, updated_at "
               "FROM proposals_consent_answers")
    _continue_sequences(COPIED)
    op.drop_table('proposals_versions')
    with op.batch_alter_table('proposals_consent_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_consent_answers_user_id'))
    op.drop_table('proposals_consent_answers')
    op.drop_table('proposals_consent_rounds')
    with op.batch_alter_table('proposals_amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_amendments_proposal_id'))
    op.drop_table('proposals_amendments')
    with op.batch_alter_table('proposals_proposals', schema=None) as batch_op:
        batch_op.alter_column('document_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_proposals_proposals_document_id'), ['document_id'])
        batch_op.create_foreign_key(batch_op.f('fk_proposals_proposals_document_id_drafting_documents'),
                                    'drafting_documents', ['document_id'], ['id'])
        batch_op.drop_column('body')
        batch_op.drop_column('version')
        batch_op.drop_column('title')


def downgrade():
    with op.batch_alter_table('proposals_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))
    op.execute("UPDATE proposals_proposals SET title = (SELECT d.title FROM drafting_documents d WHERE d.id = document_id), "
               "body = (SELECT d.body FROM drafting_documents d WHERE d.id = document_id), "
               "version = (SELECT d.version FROM drafting_documents d WHERE d.id = document_id)")
    op.create_table('proposals_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
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
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_proposals_amendments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_proposals_amendments_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals_proposals.id'], name=op.f('fk_proposals_amendments_proposal_id_proposals_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals_amendments'))
    )
    with op.batch_alter_table('proposals_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_amendments_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposals_consent_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_proposals_consent_rounds_opened_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals_proposals.id'], name=op.f('fk_proposals_consent_rounds_proposal_id_proposals_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals_consent_rounds')),
    sa.UniqueConstraint('proposal_id', 'number', name=op.f('uq_proposals_consent_rounds_proposal_id_number'))
    )
    op.create_table('proposals_consent_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("answer <> 'objection' OR length(reason) > 0", name=op.f('ck_proposals_consent_answers_objection_has_reason')),
    sa.ForeignKeyConstraint(['round_id'], ['proposals_consent_rounds.id'], name=op.f('fk_proposals_consent_answers_round_id_proposals_consent_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposals_consent_answers_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals_consent_answers')),
    sa.UniqueConstraint('round_id', 'user_id', name=op.f('uq_proposals_consent_answers_round_id_user_id'))
    )
    with op.batch_alter_table('proposals_consent_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_consent_answers_user_id'), ['user_id'], unique=False)

    op.create_table('proposals_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_proposals_versions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals_proposals.id'], name=op.f('fk_proposals_versions_proposal_id_proposals_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals_versions')),
    sa.UniqueConstraint('proposal_id', 'number', name=op.f('uq_proposals_versions_proposal_id_number'))
    )
    op.execute("INSERT INTO proposals_versions (id, proposal_id, number, title, body, note, amendment_id, author_id, "
               "created_at) SELECT v.id, p.id, v.number, v.title, v.body, v.note, v.amendment_id, v.author_id, "
               "v.created_at FROM drafting_versions v JOIN proposals_proposals p ON p.document_id = v.document_id")
    op.execute("INSERT INTO proposals_amendments (id, proposal_id, paragraph, base_version, original_text, new_text, "
               "explanation, state, reason, to_assembly, author_id, decided_by_id, decided_at, created_at) "
               "SELECT a.id, p.id, a.paragraph, a.base_version, a.original_text, a.new_text, a.explanation, a.state, "
               "a.reason, a.to_assembly, a.author_id, a.decided_by_id, a.decided_at, a.created_at "
               "FROM drafting_amendments a JOIN proposals_proposals p ON p.document_id = a.document_id")
    op.execute("INSERT INTO proposals_consent_rounds (id, proposal_id, number, version, mode, deadline, opened_by_id, "
               "opened_at, closed_at, outcome) SELECT r.id, pr.proposal_id, pr.number, pr.version, r.mode, r.deadline, "
               "r.opened_by_id, r.opened_at, r.closed_at, r.outcome "
               "FROM proposals_rounds pr JOIN consent_rounds r ON r.id = pr.id")
    op.execute("INSERT INTO proposals_consent_answers (id, round_id, user_id, answer, reason, resolved, resolution, "
               "created_at, updated_at) SELECT a.id, a.round_id, a.user_id, a.answer, a.reason, a.resolved, "
               "a.resolution, a.created_at, a.updated_at FROM consent_answers a "
               "JOIN proposals_rounds pr ON pr.id = a.round_id")
    _continue_sequences(('proposals_versions', 'proposals_amendments', 'proposals_consent_rounds',
                         'proposals_consent_answers'))
    op.execute("DELETE FROM consent_rounds WHERE id IN (SELECT id FROM proposals_rounds)")
    op.drop_table('proposals_rounds')
    documents = [row[0] for row in op.get_bind().execute(sa.text("SELECT document_id FROM proposals_proposals"))]
    with op.batch_alter_table('proposals_proposals', schema=None) as batch_op:
        batch_op.alter_column('title', existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('version', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('body', existing_type=sa.Text(), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_proposals_proposals_document_id_drafting_documents'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_proposals_proposals_document_id'), type_='unique')
        batch_op.drop_column('document_id')
    if documents:
        op.get_bind().execute(sa.text("DELETE FROM drafting_documents WHERE id IN :ids")
                              .bindparams(sa.bindparam("ids", expanding=True)), {"ids": documents})
