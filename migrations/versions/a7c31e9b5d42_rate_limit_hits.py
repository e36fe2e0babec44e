"""Rate-limited attempts (Excel imports per account), counted in a sliding window across processes

Revision ID: a7c31e9b5d42
Revises: e8b1d3f5a7c9
"""
import sqlalchemy as sa
from alembic import op

revision = 'a7c31e9b5d42'
down_revision = 'e8b1d3f5a7c9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_limit_hit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_hit'))
    )
    with op.batch_alter_table('rate_limit_hit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_hit_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_limit_hit_bucket'), ['bucket'], unique=False)


def downgrade():
    with op.batch_alter_table('rate_limit_hit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_hit_bucket'))
        batch_op.drop_index(batch_op.f('ix_rate_limit_hit_at'))
    op.drop_table('rate_limit_hit')
