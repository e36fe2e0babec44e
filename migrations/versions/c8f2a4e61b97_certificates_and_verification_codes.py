"""Certificates of honourees: a round's certificate template and each honouree's verification code

Revision ID: c8f2a4e61b97
Revises: 7d3e9a1c5b20
"""
import sqlalchemy as sa
from alembic import op

revision = 'c8f2a4e61b97'
down_revision = '7d3e9a1c5b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('signer_capacity', sa.String(length=120), nullable=False),
    sa.Column('signer_title', sa.String(length=120), nullable=False),
    sa.Column('signer_name', sa.String(length=120), nullable=False),
    sa.Column('logo_stored_name', sa.String(length=64), nullable=True),
    sa.Column('logo_content_type', sa.String(length=50), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_certificate_template_round_id_round')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_certificate_template_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_template')),
    sa.UniqueConstraint('logo_stored_name', name=op.f('uq_certificate_template_logo_stored_name')),
    sa.UniqueConstraint('round_id', name=op.f('uq_certificate_template_round_id'))
    )
    with op.batch_alter_table('certificate_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_template_updated_by_id'), ['updated_by_id'], unique=False)

    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('issued', 'revoked')", name=op.f('ck_certificate_state_known')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_certificate_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_certificate_issued_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_code')),
    sa.UniqueConstraint('dossier_id', name=op.f('uq_certificate_dossier_id'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_issued_by_id'), ['issued_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_issued_by_id'))
    op.drop_table('certificate')
    with op.batch_alter_table('certificate_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_template_updated_by_id'))
    op.drop_table('certificate_template')
