"""Bulk intake of people (staff lists), the citizen identification number, and the folded-name trigram index

Revision ID: 3f8a1c6d9b27
Revises: e7b1c3d9f2a6
Create Date: 2026-12-03 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f8a1c6d9b27'
down_revision = 'e7b1c3d9f2a6'
branch_labels = None
depends_on = None

# Substring search on the accent-free name ("LIKE '%van an%'") cannot use a B-tree; on PostgreSQL a pg_trgm GIN
# index serves it (150,000 people: a sequential scan of ~40 ms becomes an index lookup of ~1 ms). PostgreSQL only
# and not in the models (SQLite has no GIN; there ix_person_identity, a plain index on the folded name and birth
# date, serves exact and prefix matches), so the models/migrations comparison leaves this name out
# (honours.core.db.MIGRATION_ONLY_INDEXES).
TRIGRAM_INDEX = 'ix_person_name_trgm'


def upgrade():
    op.create_table('person_intake',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('matched_count', sa.Integer(), nullable=False),
    sa.Column('proposed_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_person_intake_created_by_id_user')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                            name=op.f('fk_person_intake_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_intake'))
    )
    with op.batch_alter_table('person_intake', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_intake_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_intake_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_intake_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('citizen_id', sa.String(length=12), nullable=True))
        batch_op.create_index(batch_op.f('ix_person_citizen_id'), ['citizen_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute(f'CREATE INDEX {TRIGRAM_INDEX} ON person USING gin (name_folded gin_trgm_ops)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'DROP INDEX IF EXISTS {TRIGRAM_INDEX}')  # the extension stays: other objects may use it
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_citizen_id'))
        batch_op.drop_column('citizen_id')

    with op.batch_alter_table('person_intake', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_intake_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_person_intake_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_person_intake_created_at'))

    op.drop_table('person_intake')
