"""A round's public guidance documents (PDF) and honourees' publication photos (re-encoded at fixed widths)

Revision ID: a7c9e1b3d5f8
Revises: b3d5f7a9c1e2
"""
import sqlalchemy as sa
from alembic import op

revision = 'a7c9e1b3d5f8'
down_revision = 'b3d5f7a9c1e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('plan', 'regulation', 'form', 'other')", name=op.f('ck_round_document_kind_known')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_round_document_round_id_round')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_round_document_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_document')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_round_document_stored_name'))
    )
    with op.batch_alter_table('round_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_document_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_document_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('publication_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('widths', sa.String(length=40), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_publication_photo_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_publication_photo_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_photo')),
    sa.UniqueConstraint('dossier_id', name=op.f('uq_publication_photo_dossier_id')),
    sa.UniqueConstraint('key', name=op.f('uq_publication_photo_key'))
    )
    with op.batch_alter_table('publication_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_photo_uploaded_by_id'), ['uploaded_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('publication_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_photo_uploaded_by_id'))
    op.drop_table('publication_photo')
    with op.batch_alter_table('round_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_document_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_round_document_round_id'))
    op.drop_table('round_document')
