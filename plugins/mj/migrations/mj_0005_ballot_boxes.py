"""Votes keep their ballots in the balloting service's ballot boxes (core revision
0006_ballot_boxes): one box per vote, every row copied, mj's own ballot tables dropped.

Revision ID: mj_0005
Revises: mj_0004

* each vote gets a box (``mj_votes.box_id``) holding its salt unchanged and the name its
  ballots were sealed under (``mj:<vote id>``), so an open vote's sealed ballots still open
  at the close;
* codes and paper batches keep their ids (participations and ``mj_paper_counts`` point at
  them); participations, sealed ballots and written-out ballots are copied by one
  ``INSERT … SELECT`` each, ordered by the old rows' physical order (ctid, rowid): ballots
  already written out keep the random order their close drew, nothing is shuffled again;
* ``mj_counts`` and ``mj_paper_counts`` stay mj's.

Everything is copied by this revision's one transaction, so no copied row keeps the mark of
the transaction that cast it. The old tables' rows stay in PostgreSQL's files until VACUUM:
run ``VACUUM`` after upgrading (see the mj README).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'mj_0005'
down_revision = 'mj_0004'
branch_labels = None
depends_on = '0006_ballot_boxes'


def _physical(connection, alias):
    return f"{alias}.ctid" if connection.dialect.name == "postgresql" else f"{alias}.rowid"


def _offset(connection, table):
    return connection.execute(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar()


def _advance_sequence(connection, table):
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"))


def upgrade():
    connection = op.get_bind()
    boxes, codes, batches = (_offset(connection, t) for t in ('ballot_boxes', 'ballot_codes', 'ballot_paper_batches'))
    op.add_column('mj_votes', sa.Column('box_id', sa.Integer(), nullable=True))
    op.execute(sa.text(
        "INSERT INTO ballot_boxes (id, method, seal_salt, seal_context) "
        "SELECT id + :boxes, 'mj', seal_salt, 'mj:' || CAST(id AS VARCHAR(20)) FROM mj_votes ORDER BY id"
    ).bindparams(boxes=boxes))
    op.execute(sa.text("UPDATE mj_votes SET box_id = id + :boxes").bindparams(boxes=boxes))
    op.execute(sa.text(
        "INSERT INTO ballot_codes (id, box_id, code) SELECT c.id + :codes, v.box_id, c.code "
        "FROM mj_codes c JOIN mj_votes v ON v.id = c.vote_id ORDER BY c.id").bindparams(codes=codes))
    op.execute(sa.text(
        "INSERT INTO ballot_participations (box_id, user_id, code_id) "
        "SELECT v.box_id, p.user_id, p.code_id + :codes FROM mj_participations p "
        "JOIN mj_votes v ON v.id = p.vote_id ORDER BY p.id").bindparams(codes=codes))
    op.execute(
        "INSERT INTO ballot_sealed (box_id, lookup, sealed) SELECT v.box_id, s.lookup, s.sealed "
        f"FROM mj_sealed_ballots s JOIN mj_votes v ON v.id = s.vote_id ORDER BY {_physical(connection, 's')}")
    op.execute(
        "INSERT INTO ballots (box_id, receipt, content) SELECT v.box_id, b.receipt, b.grades "
        f"FROM mj_ballots b JOIN mj_votes v ON v.id = b.vote_id ORDER BY {_physical(connection, 'b')}")
    op.execute(sa.text(
        "INSERT INTO ballot_paper_batches (id, box_id, label, ballots, entered_by_id, entered_at) "
        "SELECT b.id + :batches, v.box_id, b.label, b.ballots, b.entered_by_id, b.entered_at "
        "FROM mj_paper_batches b JOIN mj_votes v ON v.id = b.vote_id ORDER BY b.id").bindparams(batches=batches))
    for table in ('ballot_boxes', 'ballot_codes', 'ballot_participations', 'ballot_paper_batches'):
        _advance_sequence(connection, table)

    with op.batch_alter_table('mj_paper_counts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_mj_paper_counts_batch_id_mj_paper_batches', type_='foreignkey')
    op.execute(sa.text("UPDATE mj_paper_counts SET batch_id = batch_id + :batches").bindparams(batches=batches))
    with op.batch_alter_table('mj_paper_counts', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_mj_paper_counts_batch_id_ballot_paper_batches'),
                                    'ballot_paper_batches', ['batch_id'], ['id'], ondelete='CASCADE')
    for table in ('mj_participations', 'mj_sealed_ballots', 'mj_ballots', 'mj_codes', 'mj_paper_batches'):
        op.drop_table(table)
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.alter_column('box_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_mj_votes_box_id'), ['box_id'])
        batch_op.create_foreign_key(batch_op.f('fk_mj_votes_box_id_ballot_boxes'), 'ballot_boxes', ['box_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.drop_column('seal_salt')


def downgrade():
    # The way back: mj's own tables again, as revisions mj_0001 and mj_0003 made them, the
    # rows copied back in the same order, the boxes of mj's votes deleted.
    connection = op.get_bind()
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal_salt', sa.String(length=32), nullable=True))
    op.execute("UPDATE mj_votes SET seal_salt = (SELECT seal_salt FROM ballot_boxes WHERE ballot_boxes.id = mj_votes.box_id)")
    _fk = _old_fk
    op.create_table('mj_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    _fk('mj_codes', 'vote_id', 'mj_votes', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mj_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_mj_codes_code'))
    )
    with op.batch_alter_table('mj_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mj_codes_vote_id'), ['vote_id'], unique=False)
    op.create_table('mj_ballots',
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('receipt', sa.String(length=20), nullable=False),
    sa.Column('grades', sa.String(length=60), nullable=False),
    _fk('mj_ballots', 'vote_id', 'mj_votes', 'CASCADE'),
    sa.PrimaryKeyConstraint('vote_id', 'receipt', name=op.f('pk_mj_ballots'))
    )
    op.create_table('mj_paper_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('ballots', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    _fk('mj_paper_batches', 'entered_by_id', 'users', 'SET NULL'),
    _fk('mj_paper_batches', 'vote_id', 'mj_votes', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mj_paper_batches'))
    )
    with op.batch_alter_table('mj_paper_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mj_paper_batches_vote_id'), ['vote_id'], unique=False)
    op.create_table('mj_participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('code_id', sa.Integer(), nullable=True),
    _fk('mj_participations', 'code_id', 'mj_codes', 'CASCADE'),
    _fk('mj_participations', 'user_id', 'users', 'SET NULL'),
    _fk('mj_participations', 'vote_id', 'mj_votes', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mj_participations')),
    sa.UniqueConstraint('code_id', name=op.f('uq_mj_participations_code_id')),
    sa.UniqueConstraint('vote_id', 'user_id', name=op.f('uq_mj_participations_vote_id_user_id'))
    )
    with op.batch_alter_table('mj_participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mj_participations_user_id'), ['user_id'], unique=False)
    op.create_table('mj_sealed_ballots',
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('lookup', sa.LargeBinary(length=16), nullable=False),
    sa.Column('sealed', sa.LargeBinary(length=200), nullable=False),
    _fk('mj_sealed_ballots', 'vote_id', 'mj_votes', 'CASCADE'),
    sa.PrimaryKeyConstraint('vote_id', 'lookup', name=op.f('pk_mj_sealed_ballots')),
    )
    op.execute("INSERT INTO mj_codes (id, vote_id, code) SELECT c.id, v.id, c.code "
               "FROM ballot_codes c JOIN mj_votes v ON v.box_id = c.box_id ORDER BY c.id")
    op.execute("INSERT INTO mj_participations (vote_id, user_id, code_id) SELECT v.id, p.user_id, p.code_id "
               "FROM ballot_participations p JOIN mj_votes v ON v.box_id = p.box_id ORDER BY p.id")
    op.execute("INSERT INTO mj_sealed_ballots (vote_id, lookup, sealed) SELECT v.id, s.lookup, s.sealed "
               f"FROM ballot_sealed s JOIN mj_votes v ON v.box_id = s.box_id ORDER BY {_physical(connection, 's')}")
    op.execute("INSERT INTO mj_ballots (vote_id, receipt, grades) SELECT v.id, b.receipt, b.content "
               f"FROM ballots b JOIN mj_votes v ON v.box_id = b.box_id ORDER BY {_physical(connection, 'b')}")
    op.execute("INSERT INTO mj_paper_batches (id, vote_id, label, ballots, entered_by_id, entered_at) "
               "SELECT b.id, v.id, b.label, b.ballots, b.entered_by_id, b.entered_at "
               "FROM ballot_paper_batches b JOIN mj_votes v ON v.box_id = b.box_id ORDER BY b.id")
    for table in ('mj_codes', 'mj_participations', 'mj_paper_batches'):
        _advance_sequence(connection, table)
    with op.batch_alter_table('mj_paper_counts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_mj_paper_counts_batch_id_ballot_paper_batches', type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_mj_paper_counts_batch_id_mj_paper_batches'),
                                    'mj_paper_batches', ['batch_id'], ['id'], ondelete='CASCADE')
    box_ids = "SELECT box_id FROM mj_votes"
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.drop_constraint('fk_mj_votes_box_id_ballot_boxes', type_='foreignkey')
        batch_op.drop_constraint('uq_mj_votes_box_id', type_='unique')
    for table in ('ballot_paper_batches', 'ballots', 'ballot_sealed', 'ballot_participations', 'ballot_codes'):
        op.execute(f"DELETE FROM {table} WHERE box_id IN ({box_ids})")
    op.execute(f"DELETE FROM ballot_boxes WHERE id IN ({box_ids})")
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.drop_column('box_id')


def _old_fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)
