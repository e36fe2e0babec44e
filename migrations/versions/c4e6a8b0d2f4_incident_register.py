"""The register of personal-data incidents

Revision ID: c4e6a8b0d2f4
Revises: a7c9e1b3d5f8
"""
import sqlalchemy as sa
from alembic import op

revision = 'c4e6a8b0d2f4'
down_revision = 'a7c9e1b3d5f8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('found_at', sa.DateTime(), nullable=False),
    sa.Column('people_affected', sa.Integer(), nullable=True),
    sa.Column('data_categories', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('authority_notified_at', sa.DateTime(), nullable=True),
    sa.Column('people_notified_at', sa.DateTime(), nullable=True),
    sa.Column('notifications', sa.Text(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_incident_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_found_at'), ['found_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_recorded_by_id'), ['recorded_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_incident_found_at'))
    op.drop_table('incident')
