"""Example plug-in: greetings, the plug-in's own branch on top of the core schema

Revision ID: example_0001
Revises:
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'example_0001'
down_revision = None
branch_labels = ('example',)
depends_on = '0001_core'


def upgrade():
    op.create_table('example_greetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=True),
    sa.Column('circle_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=280), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('assembly_id IS NULL OR circle_id IS NULL', name=op.f('ck_example_greetings_one_space')),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_example_greetings_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_example_greetings_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_example_greetings_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_example_greetings_commune_id_communes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_example_greetings'))
    )
    with op.batch_alter_table('example_greetings', schema=None) as batch_op:
        for column in ('commune_id', 'assembly_id', 'circle_id', 'author_id'):
            batch_op.create_index(batch_op.f(f'ix_example_greetings_{column}'), [column], unique=False)


def downgrade():
    op.drop_table('example_greetings')
