"""Needs: supports, comments, status history and links move onto the core's participation services

Revision ID: needs_0002
Revises: needs_0001
Create Date: 2026-12-01 12:00:00

Every need gets a subject carrying its supports count; supports, comments (authors and
dates kept) and status changes are copied onto the core tables, links made by proposals
become links between subjects (here, or in proposals_0003 if proposals migrates second),
then the old tables go. Downgrading is not supported: the rows now live in core tables
that other plug-ins share.
"""
from alembic import op
import sqlalchemy as sa

from convergence.participation import migrating


revision = 'needs_0002'
down_revision = 'needs_0001'
branch_labels = None
depends_on = '0006_participation'


def upgrade():
    with op.batch_alter_table('needs_needs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
    migrating.give_subjects(
        'needs_needs', 'needs', supports='(SELECT COUNT(*) FROM needs_supports s WHERE s.need_id = i.id)',
        comments='(SELECT COUNT(*) FROM needs_comments c WHERE c.need_id = i.id)')
    migrating.reset_sequence('participation_subjects')
    op.execute("INSERT INTO participation_supports (subject_id, user_id, created_at) "
               "SELECT n.subject_id, s.user_id, s.created_at FROM needs_supports s "
               "JOIN needs_needs n ON n.id = s.need_id ORDER BY s.id")
    op.execute("INSERT INTO participation_comments (subject_id, parent_id, author_id, body, body_html, hidden, "
               "hidden_reason, reports_count, created_at) "
               "SELECT n.subject_id, NULL, c.user_id, c.body, NULL, false, '', 0, c.created_at FROM needs_comments c "
               "JOIN needs_needs n ON n.id = c.need_id ORDER BY c.id")
    op.execute("INSERT INTO participation_status_changes (subject_id, from_status, to_status, reason, by_id, at) "
               "SELECT n.subject_id, h.from_status, h.to_status, h.reason, h.by_id, h.at FROM needs_status_changes h "
               "JOIN needs_needs n ON n.id = h.need_id ORDER BY h.id")
    with op.batch_alter_table('needs_needs', schema=None) as batch_op:
        batch_op.alter_column('subject_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_needs_needs_subject_id'), ['subject_id'])
        batch_op.create_foreign_key(batch_op.f('fk_needs_needs_subject_id_participation_subjects'),
                                    'participation_subjects', ['subject_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_column('supports_count')
    for table, indexes in (('needs_supports', ('ix_needs_supports_user_id',)),
                           ('needs_comments', ('ix_needs_comments_user_id', 'ix_needs_comments_need_id')),
                           ('needs_status_changes', ('ix_needs_status_changes_need_id',))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
    migrating.link_needs_to_proposals()


def downgrade():
    raise NotImplementedError("needs_0002 moved rows into shared core tables; restore a backup instead")
