"""Commune des Communes: meetings, their programme, delegations and their requests,
lodging offers and matches — the plug-in's own branch.

Revision ID: cdc_0001
Revises:
Depends on: 0008_notifications

"""
from alembic import op
import sqlalchemy as sa


revision = 'cdc_0001'
down_revision = None
branch_labels = ('cdc',)
depends_on = '0008_notifications'


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f'fk_{table}_{column}_{target.split(".")[0]}'),
                                   ondelete=ondelete)


def upgrade():
    op.create_table('cdc_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('registration_deadline', sa.DateTime(), nullable=False),
    sa.Column('delegation_cap', sa.Integer(), nullable=True),
    sa.Column('people_cap', sa.Integer(), nullable=True),
    sa.Column('invitation', sa.Text(), nullable=False),
    sa.Column('contact_email', sa.String(length=120), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('venue_details', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    _fk('cdc_meetings', 'assembly_id', 'assemblies.id', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_meetings')),
    sa.UniqueConstraint('assembly_id', name=op.f('uq_cdc_meetings_assembly_id'))
    )
    op.create_table('cdc_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('room', sa.String(length=120), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    _fk('cdc_sessions', 'meeting_id', 'cdc_meetings.id', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_sessions'))
    )
    op.create_index(op.f('ix_cdc_sessions_meeting_id'), 'cdc_sessions', ['meeting_id'])
    op.create_table('cdc_delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('collective_name', sa.String(length=200), nullable=False),
    sa.Column('home_town', sa.String(length=120), nullable=False),
    sa.Column('collective_form', sa.Text(), nullable=False),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.Column('initiatives', sa.Text(), nullable=False),
    sa.Column('municipal_list', sa.Boolean(), nullable=False),
    sa.Column('municipal_functioning', sa.Text(), nullable=False),
    sa.Column('why_alone', sa.Text(), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('contact_email', sa.String(length=120), nullable=False),
    sa.Column('social_networks', sa.String(length=200), nullable=False),
    sa.Column('people_count', sa.Integer(), nullable=False),
    sa.Column('mandate_kind', sa.String(length=20), nullable=False),
    sa.Column('mandate_text', sa.Text(), nullable=False),
    sa.Column('vote_weight', sa.Integer(), nullable=False),
    sa.Column('proposals', sa.Text(), nullable=False),
    sa.Column('dietary_needs', sa.Text(), nullable=False),
    sa.Column('lodging_mode', sa.String(length=8), nullable=False),
    sa.Column('by_train', sa.Boolean(), nullable=False),
    sa.Column('arrival', sa.String(length=120), nullable=False),
    sa.Column('shuttle_people', sa.Integer(), nullable=False),
    sa.Column('checkin_token', sa.String(length=32), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('people_count >= 1', name=op.f('ck_cdc_delegations_people_positive')),
    _fk('cdc_delegations', 'meeting_id', 'cdc_meetings.id', 'CASCADE'),
    _fk('cdc_delegations', 'commune_id', 'communes.id', 'SET NULL'),
    _fk('cdc_delegations', 'registered_by_id', 'users.id', 'SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_delegations')),
    sa.UniqueConstraint('checkin_token', name=op.f('uq_cdc_delegations_checkin_token'))
    )
    op.create_index(op.f('ix_cdc_delegations_meeting_id'), 'cdc_delegations', ['meeting_id'])
    op.create_index(op.f('ix_cdc_delegations_registered_by_id'), 'cdc_delegations', ['registered_by_id'])
    op.create_table('cdc_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('is_head', sa.Boolean(), nullable=False),
    sa.Column('checkin_token', sa.String(length=32), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    _fk('cdc_members', 'delegation_id', 'cdc_delegations.id', 'CASCADE'),
    _fk('cdc_members', 'user_id', 'users.id', 'SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_members')),
    sa.UniqueConstraint('delegation_id', 'position', name=op.f('uq_cdc_members_delegation_id_position')),
    sa.UniqueConstraint('checkin_token', name=op.f('uq_cdc_members_checkin_token'))
    )
    op.create_index(op.f('ix_cdc_members_delegation_id'), 'cdc_members', ['delegation_id'])
    op.create_index(op.f('ix_cdc_members_user_id'), 'cdc_members', ['user_id'])
    for table, key, key_type in (('cdc_lodging_needs', 'night', sa.Date()),
                                 ('cdc_meal_orders', 'session_id', sa.Integer()),
                                 ('cdc_workshop_choices', 'session_id', sa.Integer())):
        constraints = [_fk(table, 'delegation_id', 'cdc_delegations.id', 'CASCADE')]
        if key == 'session_id':
            constraints.append(_fk(table, 'session_id', 'cdc_sessions.id', 'CASCADE'))
        op.create_table(table,
        sa.Column('delegation_id', sa.Integer(), nullable=False),
        sa.Column(key, key_type, nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.CheckConstraint('people >= 1', name=op.f(f'ck_{table}_people_positive')),
        *constraints,
        sa.PrimaryKeyConstraint('delegation_id', key, name=op.f(f'pk_{table}'))
        )
        if key == 'session_id':
            op.create_index(op.f(f'ix_{table}_session_id'), table, ['session_id'])
    op.create_table('cdc_mandate_documents',
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    _fk('cdc_mandate_documents', 'delegation_id', 'cdc_delegations.id', 'CASCADE'),
    sa.PrimaryKeyConstraint('delegation_id', name=op.f('pk_cdc_mandate_documents'))
    )
    op.create_table('cdc_lodging_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('nights', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('places >= 1', name=op.f('ck_cdc_lodging_offers_places_positive')),
    _fk('cdc_lodging_offers', 'meeting_id', 'cdc_meetings.id', 'CASCADE'),
    _fk('cdc_lodging_offers', 'host_id', 'users.id', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_lodging_offers'))
    )
    op.create_index(op.f('ix_cdc_lodging_offers_meeting_id'), 'cdc_lodging_offers', ['meeting_id'])
    op.create_index(op.f('ix_cdc_lodging_offers_host_id'), 'cdc_lodging_offers', ['host_id'])
    op.create_table('cdc_lodging_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.CheckConstraint('people >= 1', name=op.f('ck_cdc_lodging_matches_people_positive')),
    _fk('cdc_lodging_matches', 'offer_id', 'cdc_lodging_offers.id', 'CASCADE'),
    _fk('cdc_lodging_matches', 'delegation_id', 'cdc_delegations.id', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_lodging_matches')),
    sa.UniqueConstraint('offer_id', 'delegation_id', 'night',
                        name=op.f('uq_cdc_lodging_matches_offer_id_delegation_id_night'))
    )
    op.create_index(op.f('ix_cdc_lodging_matches_offer_id'), 'cdc_lodging_matches', ['offer_id'])
    op.create_index(op.f('ix_cdc_lodging_matches_delegation_id'), 'cdc_lodging_matches', ['delegation_id'])


def downgrade():
    for table in ('cdc_lodging_matches', 'cdc_lodging_offers', 'cdc_mandate_documents', 'cdc_workshop_choices',
                  'cdc_meal_orders', 'cdc_lodging_needs', 'cdc_members', 'cdc_delegations', 'cdc_sessions',
                  'cdc_meetings'):
        op.drop_table(table)
