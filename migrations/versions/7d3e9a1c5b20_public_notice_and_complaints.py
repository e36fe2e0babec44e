"""Public notice of the proposed list (opinions) and complaints; the round's notice and complaint periods

Revision ID: 7d3e9a1c5b20
Revises: 7b3e91d0a5c2
"""
import sqlalchemy as sa
from alembic import op

revision = '7d3e9a1c5b20'
down_revision = '7b3e91d0a5c2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('complainant', sa.String(length=20), nullable=False),
    sa.Column('complainant_name', sa.String(length=255), nullable=False),
    sa.Column('complainant_email', sa.String(length=254), nullable=False),
    sa.Column('lodged_by_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('complex_case', sa.Boolean(), nullable=False),
    sa.Column('lodged_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('lodged', 'accepted', 'refused', 'resolved')", name=op.f('ck_complaint_state_known')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_complaint_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['lodged_by_id'], ['user.id'], name=op.f('fk_complaint_lodged_by_id_user')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_complaint_round_id_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_lodged_at'), ['lodged_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_lodged_by_id'), ['lodged_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_state'), ['state'], unique=False)

    op.create_table('notice_opinion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt', sa.String(length=20), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('sender_name', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.String(length=254), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_stored_name', sa.String(length=64), nullable=True),
    sa.Column('file_content_type', sa.String(length=50), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('conclusion', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('received', 'verified', 'asked', 'replied', 'no_effect', 'withdrawn')", name=op.f('ck_notice_opinion_state_known')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_notice_opinion_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_notice_opinion_round_id_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_opinion')),
    sa.UniqueConstraint('file_stored_name', name=op.f('uq_notice_opinion_file_stored_name')),
    sa.UniqueConstraint('receipt', name=op.f('uq_notice_opinion_receipt'))
    )
    with op.batch_alter_table('notice_opinion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_opinion_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_opinion_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_opinion_state'), ['state'], unique=False)

    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_days', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('notice_opened_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('notice_ends_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('complaint_days', sa.Integer(), server_default='90', nullable=False))



def downgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('complaint_days')
        batch_op.drop_column('notice_ends_at')
        batch_op.drop_column('notice_opened_at')
        batch_op.drop_column('notice_days')

    with op.batch_alter_table('notice_opinion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_opinion_state'))
        batch_op.drop_index(batch_op.f('ix_notice_opinion_round_id'))
        batch_op.drop_index(batch_op.f('ix_notice_opinion_dossier_id'))

    op.drop_table('notice_opinion')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_state'))
        batch_op.drop_index(batch_op.f('ix_complaint_round_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_lodged_by_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_lodged_at'))
        batch_op.drop_index(batch_op.f('ix_complaint_dossier_id'))

    op.drop_table('complaint')
