"""the journal of decisions hash-chained per commune; the entries already there chained in order

Revision ID: 0009_journal_chain
Revises: 0008_notifications
Create Date: 2026-12-01 19:00:00

Five columns on ``audit_entries``: the chain (the commune's id, 0 without a commune), the
place in it, the previous entry's hash, the entry's hash and the seals of the fields that
name a person (convergence/journal_chain.py), with UNIQUE (chain, sequence). The entries
recorded before are chained in the order they were written (their ids), each chain from
its first entry; the names already replaced by an erasure are chained as they now read.
The serialisation is imported, not copied: its version 1 never changes.
"""
from alembic import op
import sqlalchemy as sa

from convergence import journal_chain


revision = '0009_journal_chain'
down_revision = '0008_notifications'
branch_labels = None
depends_on = None

_ENTRIES = sa.table(
    'audit_entries',
    sa.column('id', sa.Integer()), sa.column('actor_id', sa.Integer()), sa.column('action', sa.String()),
    sa.column('commune_id', sa.Integer()), sa.column('target', sa.String()), sa.column('details', sa.JSON()),
    sa.column('created_at', sa.DateTime()), sa.column('chain', sa.Integer()), sa.column('sequence', sa.Integer()),
    sa.column('previous_hash', sa.String()), sa.column('hash', sa.String()),
    sa.column('seals', sa.JSON(none_as_null=True)),
)


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('previous_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('seals', sa.JSON(none_as_null=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entries_chain_sequence'), ['chain', 'sequence'])

    connection = op.get_bind()
    heads: dict[int, tuple[int, str]] = {}
    chained = []
    for row in connection.execute(sa.select(_ENTRIES).order_by(_ENTRIES.c.id)).mappings():
        chain = row['commune_id'] if row['commune_id'] is not None else 0
        sequence, previous = heads.get(chain, (0, journal_chain.GENESIS))
        sequence += 1
        details = journal_chain.normalised(row['details'])
        seals = journal_chain.new_seals(row['action'], row['actor_id'], details)
        digest = journal_chain.entry_hash(
            previous=previous, sequence=sequence, action=row['action'], commune_id=row['commune_id'],
            actor_id=row['actor_id'], target=row['target'], details=details, created_at=row['created_at'],
            seals=seals)
        heads[chain] = (sequence, digest)
        chained.append({'_id': row['id'], 'chain': chain, 'sequence': sequence, 'previous_hash': previous,
                        'hash': digest, 'seals': seals, 'details': details})
    if chained:
        connection.execute(
            _ENTRIES.update().where(_ENTRIES.c.id == sa.bindparam('_id')).values(
                chain=sa.bindparam('chain'), sequence=sa.bindparam('sequence'),
                previous_hash=sa.bindparam('previous_hash'), hash=sa.bindparam('hash'),
                seals=sa.bindparam('seals'), details=sa.bindparam('details')),
            chained)


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_entries_chain_sequence'), type_='unique')
        batch_op.drop_column('seals')
        batch_op.drop_column('hash')
        batch_op.drop_column('previous_hash')
        batch_op.drop_column('sequence')
        batch_op.drop_column('chain')
