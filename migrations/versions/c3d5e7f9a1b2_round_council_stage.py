"""Round.council_stage: the council's progress, kept on the round so earlier stages need not import the council

Revision ID: c3d5e7f9a1b2
Revises: b7c41e2d9f08
"""
import sqlalchemy as sa
from alembic import op

revision = 'c3d5e7f9a1b2'
down_revision = 'b7c41e2d9f08'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('council_stage', sa.String(length=20), server_default='', nullable=False))
    # Rounds whose council already met: confirmed when every session is, deliberating otherwise.
    op.execute("""
        UPDATE round SET council_stage = CASE
            WHEN EXISTS (SELECT 1 FROM council_session s WHERE s.round_id = round.id AND s.status <> 'confirmed')
                THEN 'deliberating'
            ELSE 'confirmed' END
        WHERE EXISTS (SELECT 1 FROM council_session s WHERE s.round_id = round.id)
    """)


def downgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('council_stage')
