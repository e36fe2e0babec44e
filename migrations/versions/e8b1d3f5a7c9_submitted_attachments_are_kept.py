"""Submitted attachments are kept: the submission a file first went in with, and the upload that superseded it

Revision ID: e8b1d3f5a7c9
Revises: d4e6f8a0b2c4
"""
import sqlalchemy as sa
from alembic import op

revision = 'e8b1d3f5a7c9'
down_revision = 'd4e6f8a0b2c4'
branch_labels = None
depends_on = None

# A file uploaded before a submission was part of it (files could be deleted until now, so what is still there and
# older than a submission went in with the first such submission).
BACKFILL_SUBMITTED_IN = """
    UPDATE attachment SET submitted_in = (
        SELECT MIN(s.number) FROM dossier_submission s
        WHERE s.dossier_id = attachment.dossier_id AND s.submitted_at >= attachment.uploaded_at)
"""


def upgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_in', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('superseded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_attachment_superseded_by_id_attachment'), 'attachment',
                                    ['superseded_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_attachment_superseded_by_id'), ['superseded_by_id'], unique=False)
    op.execute(BACKFILL_SUBMITTED_IN)


def downgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_superseded_by_id'))
        batch_op.drop_constraint(batch_op.f('fk_attachment_superseded_by_id_attachment'), type_='foreignkey')
        batch_op.drop_column('superseded_by_id')
        batch_op.drop_column('submitted_in')
