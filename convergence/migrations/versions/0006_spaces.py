"""spaces: one row per commune, assembly and circle; memberships, invitations and plug-in
switches on space_id

Revision ID: 0006_spaces
Revises: 0006_participation
Create Date: 2026-12-01 12:00:00

Every existing commune, assembly and circle gets its space (its commune's id; an assembly's
or circle's parent: its commune's space). Memberships and invitations keep every row: their
three foreign keys (exactly one set) become the one space_id they named. The per-assembly
plug-in switches (assembly_plugins) become per-space switches (space_features), same values.
Plug-ins' settings per space get their table (space_settings; plug-ins move theirs onto it
in their own branch, depending on this revision).
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_spaces'
down_revision = '0006_participation'
branch_labels = None
depends_on = None

OWNERS = ('communes', 'assemblies', 'circles')
KIND = {'communes': 'commune', 'assemblies': 'assembly', 'circles': 'circle'}
COLUMN = {'communes': 'commune_id', 'assemblies': 'assembly_id', 'circles': 'circle_id'}


def _create_spaces(bind):
    spaces = sa.table('spaces', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                      sa.column('commune_id', sa.Integer), sa.column('parent_id', sa.Integer),
                      sa.column('created_at', sa.DateTime))
    commune_space = {}
    for table in OWNERS:
        owners = sa.table(table, sa.column('id', sa.Integer), sa.column('commune_id', sa.Integer),
                          sa.column('created_at', sa.DateTime), sa.column('space_id', sa.Integer))
        columns = [owners.c.id, owners.c.created_at]
        if table != 'communes':
            columns.append(owners.c.commune_id)
        for row in bind.execute(sa.select(*columns).order_by(owners.c.id)).all():
            commune_id = row.id if table == 'communes' else row.commune_id
            space_id = bind.execute(spaces.insert().values(
                kind=KIND[table], commune_id=commune_id, created_at=row.created_at,
                parent_id=None if table == 'communes' else commune_space[commune_id],
            ).returning(spaces.c.id)).scalar_one()
            bind.execute(owners.update().where(owners.c.id == row.id).values(space_id=space_id))
            if table == 'communes':
                commune_space[row.id] = space_id


def _space_of_row(table):
    """space_id of the row of ``table`` (memberships, invitations), from whichever of its
    three foreign keys is set."""
    rows = sa.table(table, sa.column('space_id', sa.Integer), *(sa.column(COLUMN[t], sa.Integer) for t in OWNERS))
    choices = []
    for owner in OWNERS:
        owners = sa.table(owner, sa.column('id', sa.Integer), sa.column('space_id', sa.Integer))
        choices.append(sa.select(owners.c.space_id).where(owners.c.id == rows.c[COLUMN[owner]])
                       .scalar_subquery())
    return rows, sa.func.coalesce(*choices)


def upgrade():
    bind = op.get_bind()
    op.create_table('spaces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_spaces_commune_id_communes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['spaces.id'], name=op.f('fk_spaces_parent_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spaces'))
    )
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spaces_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spaces_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_spaces_parent_id'), ['parent_id'], unique=False)

    op.create_table('space_features',
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('plugin_name', sa.String(length=60), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_space_features_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('space_id', 'plugin_name', name=op.f('pk_space_features'))
    )

    op.create_table('space_settings',
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('plugin_name', sa.String(length=60), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_space_settings_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('space_id', 'plugin_name', 'key', name=op.f('pk_space_settings'))
    )

    for table in OWNERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('space_id', sa.Integer(), nullable=True))
    _create_spaces(bind)
    for table in OWNERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('space_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_space_id'), ['space_id'])
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_space_id_spaces'), 'spaces',
                                        ['space_id'], ['id'], ondelete='CASCADE')

    # Plug-in switches: same values, keyed by the assembly's space.
    bind.execute(sa.text(
        "INSERT INTO space_features (space_id, plugin_name, active) "
        "SELECT assemblies.space_id, assembly_plugins.plugin_name, assembly_plugins.active "
        "FROM assembly_plugins JOIN assemblies ON assemblies.id = assembly_plugins.assembly_id"))
    op.drop_table('assembly_plugins')

    # Memberships and invitations: the one space their three keys named.
    for table in ('memberships', 'invitations'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('space_id', sa.Integer(), nullable=True))
        rows, space = _space_of_row(table)
        bind.execute(rows.update().values({rows.c.space_id: space}))

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('uq_memberships_commune_role')
        batch_op.drop_index('uq_memberships_circle_role')
        batch_op.drop_index('uq_memberships_assembly_role')
        batch_op.drop_index(batch_op.f('ix_memberships_commune_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_circle_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_assembly_id'))
        batch_op.drop_constraint(batch_op.f('ck_memberships_one_space'), type_='check')
        for owner in OWNERS:
            batch_op.drop_constraint(batch_op.f(f'fk_memberships_{COLUMN[owner]}_{owner}'), type_='foreignkey')
            batch_op.drop_column(COLUMN[owner])
        batch_op.alter_column('space_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_memberships_space_id'), ['space_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_memberships_user_id_space_id_role'),
                                          ['user_id', 'space_id', 'role'])
        batch_op.create_foreign_key(batch_op.f('fk_memberships_space_id_spaces'), 'spaces',
                                    ['space_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        for owner in OWNERS:
            batch_op.drop_constraint(batch_op.f(f'fk_invitations_{COLUMN[owner]}_{owner}'), type_='foreignkey')
            batch_op.drop_column(COLUMN[owner])
        batch_op.alter_column('space_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_invitations_space_id'), ['space_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_invitations_space_id_spaces'), 'spaces',
                                    ['space_id'], ['id'], ondelete='CASCADE')


def _owner_of_space(table, owner):
    rows = sa.table(table, sa.column('space_id', sa.Integer), sa.column(COLUMN[owner], sa.Integer))
    owners = sa.table(owner, sa.column('id', sa.Integer), sa.column('space_id', sa.Integer))
    return rows, sa.select(owners.c.id).where(owners.c.space_id == rows.c.space_id).scalar_subquery()


def downgrade():
    bind = op.get_bind()
    for table in ('memberships', 'invitations'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for owner in OWNERS:
                batch_op.add_column(sa.Column(COLUMN[owner], sa.Integer(), nullable=True))
        for owner in OWNERS:
            rows, owner_id = _owner_of_space(table, owner)
            bind.execute(rows.update().values({rows.c[COLUMN[owner]]: owner_id}))
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == 'memberships':
                batch_op.drop_constraint(batch_op.f('uq_memberships_user_id_space_id_role'), type_='unique')
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_space_id_spaces'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_space_id'))
            batch_op.drop_column('space_id')
            for owner in OWNERS:
                batch_op.create_foreign_key(batch_op.f(f'fk_{table}_{COLUMN[owner]}_{owner}'), owner,
                                            [COLUMN[owner]], ['id'], ondelete='CASCADE')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'one_space', '(CASE WHEN commune_id IS NULL THEN 0 ELSE 1 END + CASE WHEN assembly_id IS NULL '
            'THEN 0 ELSE 1 END + CASE WHEN circle_id IS NULL THEN 0 ELSE 1 END) = 1')
        for owner in OWNERS:
            batch_op.create_index(batch_op.f(f'ix_memberships_{COLUMN[owner]}'), [COLUMN[owner]], unique=False)
        batch_op.create_index('uq_memberships_assembly_role', ['user_id', 'assembly_id', 'role'], unique=True)
        batch_op.create_index('uq_memberships_circle_role', ['user_id', 'circle_id', 'role'], unique=True)
        batch_op.create_index('uq_memberships_commune_role', ['user_id', 'commune_id', 'role'], unique=True)

    op.create_table('assembly_plugins',
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('plugin_name', sa.String(length=60), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_assembly_plugins_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assembly_id', 'plugin_name', name=op.f('pk_assembly_plugins'))
    )
    # Only the assemblies' switches existed before spaces.
    bind.execute(sa.text(
        "INSERT INTO assembly_plugins (assembly_id, plugin_name, active) "
        "SELECT assemblies.id, space_features.plugin_name, space_features.active "
        "FROM space_features JOIN assemblies ON assemblies.space_id = space_features.space_id"))
    op.drop_table('space_features')
    op.drop_table('space_settings')
    for table in OWNERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_space_id_spaces'), type_='foreignkey')
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_space_id'), type_='unique')
            batch_op.drop_column('space_id')
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spaces_parent_id'))
        batch_op.drop_index(batch_op.f('ix_spaces_kind'))
        batch_op.drop_index(batch_op.f('ix_spaces_commune_id'))
    op.drop_table('spaces')
