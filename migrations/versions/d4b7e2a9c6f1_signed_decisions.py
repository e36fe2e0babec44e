"""The signed provincial decision of a council session (PDF) with the result of checking its signatures

Revision ID: d4b7e2a9c6f1
Revises: c8f2a4e61b97
"""
import sqlalchemy as sa
from alembic import op

revision = 'd4b7e2a9c6f1'
down_revision = 'c8f2a4e61b97'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signed_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('signer_subject', sa.String(length=500), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('unsigned', 'invalid', 'modified', 'valid_untrusted', 'valid_unchecked', "
                       "'valid_trusted')", name=op.f('ck_signed_decision_status_known')),
    sa.ForeignKeyConstraint(['session_id'], ['council_session.id'],
                            name=op.f('fk_signed_decision_session_id_council_session')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_signed_decision_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_decision')),
    sa.UniqueConstraint('session_id', name=op.f('uq_signed_decision_session_id')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_signed_decision_stored_name'))
    )
    with op.batch_alter_table('signed_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signed_decision_uploaded_by_id'), ['uploaded_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('signed_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signed_decision_uploaded_by_id'))
    op.drop_table('signed_decision')
