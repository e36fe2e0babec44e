"""The council session's vote-counting board (ban kiểm phiếu) and its secretary's name

Revision ID: 9d3f6b1a7e25
Revises: 5e1ec7a0b9d3
"""
import sqlalchemy as sa
from alembic import op

revision = '9d3f6b1a7e25'
down_revision = '5e1ec7a0b9d3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('council_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secretary_name', sa.String(length=200), nullable=False, server_default=''))
    op.create_table('council_counting_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['council_session.id'], name=op.f('fk_council_counting_member_session_id_council_session')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_council_counting_member_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_counting_member')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_council_counting_member_session_id_user_id'))
    )
    with op.batch_alter_table('council_counting_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_counting_member_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_council_counting_member_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('council_counting_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_counting_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_council_counting_member_session_id'))
    op.drop_table('council_counting_member')
    with op.batch_alter_table('council_session', schema=None) as batch_op:
        batch_op.drop_column('secretary_name')
