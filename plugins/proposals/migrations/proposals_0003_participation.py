"""Proposals: supports, comments (threads, reports, moderation log) and status history move onto the core's participation services

Revision ID: proposals_0003
Revises: proposals_0002
Create Date: 2026-12-01 12:00:00

Every proposal gets a subject carrying its counters (recounted from the rows); comments
keep their threads, authors, dates, hidden states and report counts (their ids move past
the core table's, so that replies still point at their parent); reports, the moderation
log, signatures and status changes follow; links to needs become links between subjects
(here, or in needs_0002 if needs migrates second). A log line whose proposal was deleted
has no subject left to hang on and is not carried over. Then the old tables go.
Downgrading is not supported: the rows now live in core tables other plug-ins share.
"""
from alembic import op
import sqlalchemy as sa

from convergence.participation import migrating


revision = 'proposals_0003'
down_revision = 'proposals_0002'
branch_labels = None
depends_on = '0006_participation'


def upgrade():
    with op.batch_alter_table('proposals_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
    migrating.give_subjects(
        'proposals_proposals', 'proposals',
        supports='(SELECT COUNT(*) FROM proposals_supports s WHERE s.proposal_id = i.id)',
        comments='(SELECT COUNT(*) FROM proposals_comments c WHERE c.proposal_id = i.id)')
    migrating.reset_sequence('participation_subjects')
    base = migrating.offset('participation_comments')
    op.execute(f"INSERT INTO participation_comments (id, subject_id, parent_id, author_id, body, body_html, hidden, "
               f"hidden_reason, reports_count, created_at) "
               f"SELECT c.id + {base}, p.subject_id, c.parent_id + {base}, c.author_id, c.body, c.body_html, c.hidden, "
               f"c.hidden_reason, c.reports_count, c.created_at FROM proposals_comments c "
               f"JOIN proposals_proposals p ON p.id = c.proposal_id ORDER BY c.id")
    migrating.reset_sequence('participation_comments')
    op.execute(f"INSERT INTO participation_reports (comment_id, user_id, reason, created_at) "
               f"SELECT r.comment_id + {base}, r.user_id, r.reason, r.created_at FROM proposals_reports r ORDER BY r.id")
    op.execute(f"INSERT INTO participation_moderation (subject_id, comment_id, action, reason, by_id, at) "
               f"SELECT p.subject_id, m.comment_id + {base}, m.action, m.reason, m.by_id, m.at "
               f"FROM proposals_moderation m JOIN proposals_proposals p ON p.id = m.proposal_id ORDER BY m.id")
    op.execute("INSERT INTO participation_supports (subject_id, user_id, created_at) "
               "SELECT p.subject_id, s.user_id, s.created_at FROM proposals_supports s "
               "JOIN proposals_proposals p ON p.id = s.proposal_id ORDER BY s.id")
    op.execute("INSERT INTO participation_status_changes (subject_id, from_status, to_status, reason, by_id, at) "
               "SELECT p.subject_id, h.from_status, h.to_status, h.reason, h.by_id, h.at "
               "FROM proposals_status_changes h JOIN proposals_proposals p ON p.id = h.proposal_id ORDER BY h.id")
    with op.batch_alter_table('proposals_proposals', schema=None) as batch_op:
        batch_op.alter_column('subject_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_proposals_proposals_subject_id'), ['subject_id'])
        batch_op.create_foreign_key(batch_op.f('fk_proposals_proposals_subject_id_participation_subjects'),
                                    'participation_subjects', ['subject_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('ck_proposals_proposals_supports_not_negative'), type_='check')
        batch_op.drop_column('supports_count')
        batch_op.drop_column('comments_count')
    for table, indexes in (('proposals_reports', ('ix_proposals_reports_user_id',)),
                           ('proposals_moderation', ('ix_proposals_moderation_assembly_id',)),
                           ('proposals_comments', ('ix_proposals_comments_author_id', 'ix_proposals_comments_proposal')),
                           ('proposals_supports', ('ix_proposals_supports_user_id',)),
                           ('proposals_status_changes', ('ix_proposals_status_changes_proposal_id',))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
    migrating.link_needs_to_proposals()


def downgrade():
    raise NotImplementedError("proposals_0003 moved rows into shared core tables; restore a backup instead")
