"""Data-subject requests and the actions taken on them

Revision ID: efa5d96ffb59
Revises: e2f4a6c8b0d1
"""
import sqlalchemy as sa
from alembic import op

revision = 'efa5d96ffb59'
down_revision = 'e2f4a6c8b0d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('received', 'in_progress', 'answered', 'refused')",
                       name=op.f('ck_data_request_state_known')),
    sa.CheckConstraint("kind IN ('access', 'correction', 'deletion', 'restriction', 'objection', 'withdraw_consent')",
                       name=op.f('ck_data_request_kind_known')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user.id'], name=op.f('fk_data_request_handled_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_request'))
    )
    with op.batch_alter_table('data_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_request_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_request_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_request_handled_by_id'), ['handled_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_request_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_request_state'), ['state'], unique=False)
    op.create_table('data_request_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['data_request.id'],
                            name=op.f('fk_data_request_action_request_id_data_request')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['user.id'], name=op.f('fk_data_request_action_taken_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_request_action'))
    )
    with op.batch_alter_table('data_request_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_request_action_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_request_action_taken_by_id'), ['taken_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('data_request_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_request_action_taken_by_id'))
        batch_op.drop_index(batch_op.f('ix_data_request_action_request_id'))
    op.drop_table('data_request_action')
    with op.batch_alter_table('data_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_request_state'))
        batch_op.drop_index(batch_op.f('ix_data_request_received_at'))
        batch_op.drop_index(batch_op.f('ix_data_request_handled_by_id'))
        batch_op.drop_index(batch_op.f('ix_data_request_email'))
        batch_op.drop_index(batch_op.f('ix_data_request_deadline'))
    op.drop_table('data_request')
