"""Participatory budgeting: the plug-in's own branch

Revision ID: budget_0001
Revises:
Depends on: 0008_notifications
Create Date: 2026-12-01 18:30:27.062087

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'budget_0001'
down_revision = None
branch_labels = ('budget',)
depends_on = '0008_notifications'


def upgrade():
    
    op.create_table('budget_processes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('envelope', sa.Integer(), nullable=False),
    sa.Column('ballot_kind', sa.String(length=12), nullable=False),
    sa.Column('min_choices', sa.Integer(), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.Column('max_points_per_project', sa.Integer(), nullable=True),
    sa.Column('max_points', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('voters', sa.String(length=10), nullable=False),
    sa.Column('double_entry', sa.Boolean(), nullable=False),
    sa.Column('tie_seed', sa.String(length=64), nullable=False),
    sa.Column('rules_frozen_at', sa.DateTime(), nullable=True),
    sa.Column('vote_state', sa.String(length=10), nullable=False),
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('envelope > 0', name=op.f('ck_budget_processes_envelope_positive')),
    sa.CheckConstraint('max_choices IS NULL OR max_choices >= min_choices', name=op.f('ck_budget_processes_choices_in_order')),
    sa.CheckConstraint('max_points IS NULL OR max_points > 0', name=op.f('ck_budget_processes_points_positive')),
    sa.CheckConstraint('max_points_per_project IS NULL OR max_points_per_project > 0', name=op.f('ck_budget_processes_points_per_project_positive')),
    sa.CheckConstraint('min_choices >= 0', name=op.f('ck_budget_processes_min_choices_not_negative')),
    sa.ForeignKeyConstraint(['box_id'], ['ballot_boxes.id'], name=op.f('fk_budget_processes_box_id_ballot_boxes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_budget_processes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_budget_processes_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_processes')),
    sa.UniqueConstraint('box_id', name=op.f('uq_budget_processes_box_id'))
    )
    with op.batch_alter_table('budget_processes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_processes_space_id'), ['space_id'], unique=False)

    op.create_table('budget_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('envelope', sa.Integer(), nullable=True),
    sa.CheckConstraint('envelope IS NULL OR envelope > 0', name=op.f('ck_budget_areas_envelope_positive')),
    sa.ForeignKeyConstraint(['process_id'], ['budget_processes.id'], name=op.f('fk_budget_areas_process_id_budget_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_areas')),
    sa.UniqueConstraint('process_id', 'name', name=op.f('uq_budget_areas_process_id_name'))
    )
    with op.batch_alter_table('budget_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_areas_process_id'), ['process_id'], unique=False)

    op.create_table('budget_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['budget_processes.id'], name=op.f('fk_budget_categories_process_id_budget_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_categories')),
    sa.UniqueConstraint('process_id', 'name', name=op.f('uq_budget_categories_process_id_name'))
    )
    with op.batch_alter_table('budget_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_categories_process_id'), ['process_id'], unique=False)

    op.create_table('budget_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_html', sa.Text(), nullable=False),
    sa.Column('document_name', sa.String(length=200), nullable=True),
    sa.Column('document_type', sa.String(length=100), nullable=True),
    sa.Column('document', sa.LargeBinary(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['budget_processes.id'], name=op.f('fk_budget_decisions_process_id_budget_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_budget_decisions_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_decisions')),
    sa.UniqueConstraint('process_id', name=op.f('uq_budget_decisions_process_id'))
    )
    op.create_table('budget_paper_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('sheet', sa.Integer(), nullable=False),
    sa.Column('entry', sa.SmallInteger(), nullable=False),
    sa.Column('content', sa.String(length=2000), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('entry IN (1, 2)', name=op.f('ck_budget_paper_sheets_entry_one_or_two')),
    sa.CheckConstraint('sheet > 0', name=op.f('ck_budget_paper_sheets_sheet_positive')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_budget_paper_sheets_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['process_id'], ['budget_processes.id'], name=op.f('fk_budget_paper_sheets_process_id_budget_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_paper_sheets')),
    sa.UniqueConstraint('process_id', 'place', 'sheet', 'entry', name=op.f('uq_budget_paper_sheets_process_id_place_sheet_entry'))
    )
    with op.batch_alter_table('budget_paper_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_paper_sheets_process_id'), ['process_id'], unique=False)

    op.create_table('budget_phases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=True),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at', name=op.f('ck_budget_phases_ends_after_start')),
    sa.ForeignKeyConstraint(['process_id'], ['budget_processes.id'], name=op.f('fk_budget_phases_process_id_budget_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_phases')),
    sa.UniqueConstraint('process_id', 'name', name=op.f('uq_budget_phases_process_id_name'))
    )
    with op.batch_alter_table('budget_phases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_phases_process_id'), ['process_id'], unique=False)

    op.create_table('budget_results',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('progress', sa.SmallInteger(), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('tie_order', sa.JSON(), nullable=False),
    sa.Column('ballots_count', sa.Integer(), nullable=False),
    sa.Column('ballots_hash', sa.String(length=64), nullable=False),
    sa.Column('funded', sa.JSON(), nullable=False),
    sa.Column('total_cost', sa.Integer(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_budget_results_progress_a_percentage')),
    sa.ForeignKeyConstraint(['process_id'], ['budget_processes.id'], name=op.f('fk_budget_results_process_id_budget_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_budget_results_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('process_id', name=op.f('pk_budget_results'))
    )
    op.create_table('budget_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.Column('revised_cost', sa.Integer(), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('review_reason', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('source_ref', sa.String(length=64), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('cost >= 0', name=op.f('ck_budget_projects_cost_not_negative')),
    sa.CheckConstraint('latitude IS NULL OR (latitude BETWEEN -90 AND 90)', name=op.f('ck_budget_projects_latitude_on_earth')),
    sa.CheckConstraint('longitude IS NULL OR (longitude BETWEEN -180 AND 180)', name=op.f('ck_budget_projects_longitude_on_earth')),
    sa.CheckConstraint('revised_cost IS NULL OR revised_cost >= 0', name=op.f('ck_budget_projects_revised_cost_not_negative')),
    sa.ForeignKeyConstraint(['area_id'], ['budget_areas.id'], name=op.f('fk_budget_projects_area_id_budget_areas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_budget_projects_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['category_id'], ['budget_categories.id'], name=op.f('fk_budget_projects_category_id_budget_categories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['budget_projects.id'], name=op.f('fk_budget_projects_merged_into_id_budget_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['process_id'], ['budget_processes.id'], name=op.f('fk_budget_projects_process_id_budget_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_budget_projects_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subject_id'], ['participation_subjects.id'], name=op.f('fk_budget_projects_subject_id_participation_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_projects')),
    sa.UniqueConstraint('process_id', 'number', name=op.f('uq_budget_projects_process_id_number')),
    sa.UniqueConstraint('subject_id', name=op.f('uq_budget_projects_subject_id'))
    )
    with op.batch_alter_table('budget_projects', schema=None) as batch_op:
        batch_op.create_index('ix_budget_projects_process_status', ['process_id', 'status', 'number'], unique=False)

    op.create_table('budget_departures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('funded', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['budget_decisions.id'], name=op.f('fk_budget_departures_decision_id_budget_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['budget_projects.id'], name=op.f('fk_budget_departures_project_id_budget_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_departures')),
    sa.UniqueConstraint('decision_id', 'project_id', name=op.f('uq_budget_departures_decision_id_project_id'))
    )
    with op.batch_alter_table('budget_departures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_departures_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_departures_project_id'), ['project_id'], unique=False)

    op.create_table('budget_follow_ups',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('progress', sa.SmallInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('committed', sa.Integer(), nullable=False),
    sa.Column('spent', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('committed >= 0 AND spent >= 0', name=op.f('ck_budget_follow_ups_money_not_negative')),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_budget_follow_ups_progress_a_percentage')),
    sa.ForeignKeyConstraint(['project_id'], ['budget_projects.id'], name=op.f('fk_budget_follow_ups_project_id_budget_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_budget_follow_ups_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_budget_follow_ups'))
    )
    op.create_table('budget_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['budget_projects.id'], name=op.f('fk_budget_milestones_project_id_budget_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_milestones'))
    )
    with op.batch_alter_table('budget_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_milestones_project_id'), ['project_id'], unique=False)

    


def downgrade():
    
    with op.batch_alter_table('budget_milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_milestones_project_id'))

    op.drop_table('budget_milestones')
    op.drop_table('budget_follow_ups')
    with op.batch_alter_table('budget_departures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_departures_project_id'))
        batch_op.drop_index(batch_op.f('ix_budget_departures_decision_id'))

    op.drop_table('budget_departures')
    with op.batch_alter_table('budget_projects', schema=None) as batch_op:
        batch_op.drop_index('ix_budget_projects_process_status')

    op.drop_table('budget_projects')
    op.drop_table('budget_results')
    with op.batch_alter_table('budget_phases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_phases_process_id'))

    op.drop_table('budget_phases')
    with op.batch_alter_table('budget_paper_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_paper_sheets_process_id'))

    op.drop_table('budget_paper_sheets')
    op.drop_table('budget_decisions')
    with op.batch_alter_table('budget_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_categories_process_id'))

    op.drop_table('budget_categories')
    with op.batch_alter_table('budget_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_areas_process_id'))

    op.drop_table('budget_areas')
    with op.batch_alter_table('budget_processes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_processes_space_id'))

    op.drop_table('budget_processes')
    
