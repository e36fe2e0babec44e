"""The round's review stamp (the results page and the secretariat's home page reuse what they computed)

Revision ID: e2f4a6c8b0d1
Revises: c4e6a8b0d2f4
"""
import sqlalchemy as sa
from alembic import op

revision = 'e2f4a6c8b0d1'
down_revision = 'c4e6a8b0d2f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round') as batch_op:
        batch_op.add_column(sa.Column('review_stamp', sa.String(length=32), nullable=False, server_default=''))
    # Any value unique per round will do until the first change gives it a random one.
    op.execute("UPDATE round SET review_stamp = 'initial-' || id")
    with op.batch_alter_table('round') as batch_op:
        batch_op.alter_column('review_stamp', server_default=None)


def downgrade():
    with op.batch_alter_table('round') as batch_op:
        batch_op.drop_column('review_stamp')
