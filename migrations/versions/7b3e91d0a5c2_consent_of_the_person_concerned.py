"""The consent of the person concerned, per purpose: requests, choices and signed paper scans

Revision ID: 7b3e91d0a5c2
Revises: 3f8a1c6d9b27
"""
import sqlalchemy as sa
from alembic import op

revision = '7b3e91d0a5c2'
down_revision = '3f8a1c6d9b27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consent_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=True),
    sa.Column('referral_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('link_nonce', sa.String(length=32), nullable=True),
    sa.Column('link_sent_at', sa.DateTime(), nullable=True),
    sa.Column('link_used_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('requested', 'paper_pending', 'paper_received', 'answered', 'paper_confirmed')", name=op.f('ck_consent_request_state_known')),
    sa.CheckConstraint('(dossier_id IS NULL) <> (referral_id IS NULL)', name=op.f('ck_consent_request_one_subject')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_consent_request_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_consent_request_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_request')),
    sa.UniqueConstraint('dossier_id', name=op.f('uq_consent_request_dossier_id')),
    sa.UniqueConstraint('referral_id', name=op.f('uq_consent_request_referral_id'))
    )
    op.create_table('consent_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=1), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('client_address', sa.String(length=45), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("channel IN ('online', 'paper')", name=op.f('ck_consent_choice_channel_known')),
    sa.CheckConstraint("decision IN ('given', 'refused', 'withdrawn')", name=op.f('ck_consent_choice_decision_known')),
    sa.CheckConstraint("purpose IN ('a', 'b', 'c', 'd', 'e')", name=op.f('ck_consent_choice_purpose_known')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_consent_choice_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['request_id'], ['consent_request.id'], name=op.f('fk_consent_choice_request_id_consent_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_choice'))
    )
    with op.batch_alter_table('consent_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_choice_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_choice_request_id'), ['request_id'], unique=False)

    op.create_table('consent_scan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['consent_request.id'], name=op.f('fk_consent_scan_request_id_consent_request')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_consent_scan_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_scan')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_consent_scan_stored_name'))
    )
    with op.batch_alter_table('consent_scan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_scan_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_scan_uploaded_by_id'), ['uploaded_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consent_scan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_scan_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_consent_scan_request_id'))

    op.drop_table('consent_scan')
    with op.batch_alter_table('consent_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_choice_request_id'))
        batch_op.drop_index(batch_op.f('ix_consent_choice_recorded_by_id'))

    op.drop_table('consent_choice')
    op.drop_table('consent_request')
