"""participation services: subjects, comments, reports, moderation log, supports, status history, links

Revision ID: 0006_participation
Revises: 0005_account_erasure
Create Date: 2026-12-01 12:00:00

Empty tables: the plug-ins' own revisions (needs_0002, proposals_0003) move their rows in.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_participation'
down_revision = '0005_account_erasure'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)


def upgrade():
    op.create_table('participation_subjects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plugin', sa.String(length=60), nullable=False),
    sa.Column('supports_count', sa.Integer(), nullable=False),
    sa.Column('comments_count', sa.Integer(), nullable=False),
    sa.Column('threshold_reached_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('supports_count >= 0', name=op.f('ck_participation_subjects_supports_not_negative')),
    sa.CheckConstraint('comments_count >= 0', name=op.f('ck_participation_subjects_comments_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_subjects'))
    )
    op.create_table('participation_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('hidden_reason', sa.Text(), nullable=False),
    sa.Column('reports_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    _fk('participation_comments', 'author_id', 'users', 'SET NULL'),
    _fk('participation_comments', 'parent_id', 'participation_comments', 'CASCADE'),
    _fk('participation_comments', 'subject_id', 'participation_subjects', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_comments'))
    )
    with op.batch_alter_table('participation_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_participation_comments_subject', ['subject_id', 'id'], unique=False)

    op.create_table('participation_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    _fk('participation_reports', 'comment_id', 'participation_comments', 'CASCADE'),
    _fk('participation_reports', 'user_id', 'users', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_reports')),
    sa.UniqueConstraint('comment_id', 'user_id', name=op.f('uq_participation_reports_comment_id_user_id'))
    )
    with op.batch_alter_table('participation_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_reports_user_id'), ['user_id'], unique=False)

    op.create_table('participation_moderation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    _fk('participation_moderation', 'by_id', 'users', 'SET NULL'),
    _fk('participation_moderation', 'comment_id', 'participation_comments', 'SET NULL'),
    _fk('participation_moderation', 'subject_id', 'participation_subjects', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_moderation'))
    )
    with op.batch_alter_table('participation_moderation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_moderation_subject_id'), ['subject_id'], unique=False)

    op.create_table('participation_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    _fk('participation_supports', 'subject_id', 'participation_subjects', 'CASCADE'),
    _fk('participation_supports', 'user_id', 'users', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_supports')),
    sa.UniqueConstraint('subject_id', 'user_id', name=op.f('uq_participation_supports_subject_id_user_id'))
    )
    with op.batch_alter_table('participation_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_supports_user_id'), ['user_id'], unique=False)

    op.create_table('participation_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    _fk('participation_status_changes', 'by_id', 'users', 'SET NULL'),
    _fk('participation_status_changes', 'subject_id', 'participation_subjects', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_status_changes'))
    )
    with op.batch_alter_table('participation_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_status_changes_subject_id'), ['subject_id'], unique=False)

    op.create_table('participation_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('source_id <> target_id', name=op.f('ck_participation_links_not_to_itself')),
    _fk('participation_links', 'source_id', 'participation_subjects', 'CASCADE'),
    _fk('participation_links', 'target_id', 'participation_subjects', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_links')),
    sa.UniqueConstraint('source_id', 'target_id', name=op.f('uq_participation_links_source_id_target_id'))
    )
    with op.batch_alter_table('participation_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_links_target_id'), ['target_id'], unique=False)


def downgrade():
    for table in ('participation_links', 'participation_status_changes', 'participation_supports',
                  'participation_moderation', 'participation_reports', 'participation_comments',
                  'participation_subjects'):
        op.drop_table(table)
