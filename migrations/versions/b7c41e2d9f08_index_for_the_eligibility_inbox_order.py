"""Index for the eligibility inbox order (waiting first, then first come)

Revision ID: b7c41e2d9f08
Revises: 9f5e55efa854
Create Date: 2026-11-26 19:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c41e2d9f08'
down_revision = '9f5e55efa854'
branch_labels = None
depends_on = None


# The eligibility inbox sorts every non-draft dossier by this expression for each page; with the index PostgreSQL
# reads a page off it instead (10,000 dossiers: 10 ms -> 0.2 ms). It must match
# honours.eligibility.services.inbox_query exactly. PostgreSQL only and not in the models: SQLite cannot reflect
# expression indexes, so the models/migrations comparison (tests/test_migrations.py) leaves this one name out.
INDEX = 'ix_dossier_inbox_order'


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index(INDEX, 'dossier',
                        [sa.text("(state IN ('submitted', 'resubmitted')) DESC"), 'submitted_at', 'id'], unique=False)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index(INDEX, table_name='dossier')
