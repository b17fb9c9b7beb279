"""Sealed ballots: ballots of an open vote are kept sealed until the close, which writes
them out in random order; existing ballots are written out again in random order.

Revision ID: mj_0003
Revises: mj_0002

Until now a ballot, its participation and the tally's counters were written by one
transaction, whose marks (PostgreSQL's xmin, the rows' physical order, SQLite's rowid)
tied each ballot to its voter. This revision:

* adds ``mj_votes.seal_salt`` (given to every vote not yet closed) and ``mj_sealed_ballots``;
* rewrites the ballots of every vote in an order drawn at random, and folds the online
  counters of each (option, grade) into one row, all in this revision's transaction, so no
  existing ballot or counter keeps the mark of the transaction that cast it.

Rows deleted or rewritten here stay in PostgreSQL's files until VACUUM reclaims them and
new rows overwrite them: run ``VACUUM`` after upgrading (see the mj README).
"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'mj_0003'
down_revision = 'mj_0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal_salt', sa.String(length=32), nullable=True))
    op.create_table(
        'mj_sealed_ballots',
        sa.Column('vote_id', sa.Integer(), nullable=False),
        sa.Column('lookup', sa.LargeBinary(length=16), nullable=False),
        sa.Column('sealed', sa.LargeBinary(length=200), nullable=False),
        sa.ForeignKeyConstraint(['vote_id'], ['mj_votes.id'], name=op.f('fk_mj_sealed_ballots_vote_id_mj_votes'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('vote_id', 'lookup', name=op.f('pk_mj_sealed_ballots')),
    )
    connection = op.get_bind()
    votes = connection.execute(sa.text("SELECT id, announced FROM mj_votes")).fetchall()
    for vote_id, announced in votes:
        if announced != 'closed':
            connection.execute(sa.text("UPDATE mj_votes SET seal_salt = :salt WHERE id = :id"),
                               {"salt": secrets.token_hex(16), "id": vote_id})
        _write_out_again(connection, vote_id)


def _write_out_again(connection, vote_id):
    ballots = connection.execute(
        sa.text("SELECT receipt, grades FROM mj_ballots WHERE vote_id = :id"), {"id": vote_id}).fetchall()
    if ballots:
        ballots = [tuple(row) for row in ballots]
        secrets.SystemRandom().shuffle(ballots)
        connection.execute(sa.text("DELETE FROM mj_ballots WHERE vote_id = :id"), {"id": vote_id})
        connection.execute(sa.text("INSERT INTO mj_ballots (vote_id, receipt, grades) VALUES (:v, :r, :g)"),
                           [{"v": vote_id, "r": r, "g": g} for r, g in ballots])
    online = connection.execute(sa.text(
        "SELECT option_id, grade, SUM(count) FROM mj_counts WHERE vote_id = :id AND shard >= 0 "
        "GROUP BY option_id, grade"), {"id": vote_id}).fetchall()
    if online:
        connection.execute(sa.text("DELETE FROM mj_counts WHERE vote_id = :id AND shard >= 0"), {"id": vote_id})
        connection.execute(sa.text(
            "INSERT INTO mj_counts (vote_id, option_id, grade, shard, count) VALUES (:v, :o, :g, 0, :c)"),
            [{"v": vote_id, "o": o, "g": g, "c": int(c)} for o, g, c in online if c])


def downgrade():
    # Sealed ballots cannot be opened without the application's key: a downgrade would lose
    # the ballots of open votes, so it is refused while there are any.
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT 1 FROM mj_sealed_ballots LIMIT 1")).first() is not None:
        raise RuntimeError("open votes hold sealed ballots: close them before downgrading")
    op.drop_table('mj_sealed_ballots')
    with op.batch_alter_table('mj_votes', schema=None) as batch_op:
        batch_op.drop_column('seal_salt')
