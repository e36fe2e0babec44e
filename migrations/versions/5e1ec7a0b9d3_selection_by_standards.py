"""Selection by standards and eligibility rules per round (existing rounds select by points)

Revision ID: 5e1ec7a0b9d3
Revises: efa5d96ffb59
"""
import sqlalchemy as sa
from alembic import op

revision = '5e1ec7a0b9d3'
down_revision = 'efa5d96ffb59'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eligibility_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_eligibility_rule_round_id_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligibility_rule')),
    sa.UniqueConstraint('round_id', 'kind', name=op.f('uq_eligibility_rule_round_id_kind'))
    )
    with op.batch_alter_table('eligibility_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eligibility_rule_round_id'), ['round_id'], unique=False)

    op.create_table('round_standard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_round_standard_round_id_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_standard'))
    )
    with op.batch_alter_table('round_standard', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_standard_round_id'), ['round_id'], unique=False)

    op.create_table('rule_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('rule_kind', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_rule_override_decided_by_id_user')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_rule_override_dossier_id_dossier')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_override')),
    sa.UniqueConstraint('dossier_id', 'rule_kind', name=op.f('uq_rule_override_dossier_id_rule_kind'))
    )
    with op.batch_alter_table('rule_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_override_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rule_override_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('standard_appraisal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('appraised_by_id', sa.Integer(), nullable=False),
    sa.Column('appraised_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("verdict IN ('met', 'not_met', 'clarify')", name=op.f('ck_standard_appraisal_verdict_known')),
    sa.ForeignKeyConstraint(['appraised_by_id'], ['user.id'], name=op.f('fk_standard_appraisal_appraised_by_id_user')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_standard_appraisal_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['standard_id'], ['round_standard.id'], name=op.f('fk_standard_appraisal_standard_id_round_standard')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_appraisal')),
    sa.UniqueConstraint('dossier_id', 'standard_id', name=op.f('uq_standard_appraisal_dossier_id_standard_id'))
    )
    with op.batch_alter_table('standard_appraisal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_appraisal_appraised_by_id'), ['appraised_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_standard_appraisal_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_standard_appraisal_standard_id'), ['standard_id'], unique=False)

    op.create_table('clarification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('open', 'answered')", name=op.f('ck_clarification_state_known')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_clarification_answered_by_id_user')),
    sa.ForeignKeyConstraint(['asked_by_id'], ['user.id'], name=op.f('fk_clarification_asked_by_id_user')),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], name=op.f('fk_clarification_attachment_id_attachment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_clarification_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['standard_id'], ['round_standard.id'], name=op.f('fk_clarification_standard_id_round_standard')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clarification'))
    )
    with op.batch_alter_table('clarification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clarification_answered_by_id'), ['answered_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clarification_asked_by_id'), ['asked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clarification_attachment_id'), ['attachment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clarification_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clarification_standard_id'), ['standard_id'], unique=False)

    op.create_table('standard_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('achievement_position', sa.Integer(), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], name=op.f('fk_standard_claim_attachment_id_attachment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_standard_claim_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['standard_id'], ['round_standard.id'], name=op.f('fk_standard_claim_standard_id_round_standard')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_claim')),
    sa.UniqueConstraint('dossier_id', 'standard_id', name=op.f('uq_standard_claim_dossier_id_standard_id'))
    )
    with op.batch_alter_table('standard_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_claim_attachment_id'), ['attachment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_standard_claim_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_standard_claim_standard_id'), ['standard_id'], unique=False)

    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('years_in_province', sa.Integer(), nullable=True))

    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('selection_method', sa.String(length=20), server_default='points', nullable=False))
        batch_op.add_column(sa.Column('achievement_standards_needed', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('achievement_standards_needed')
        batch_op.drop_column('selection_method')

    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('years_in_province')

    with op.batch_alter_table('standard_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_claim_standard_id'))
        batch_op.drop_index(batch_op.f('ix_standard_claim_dossier_id'))
        batch_op.drop_index(batch_op.f('ix_standard_claim_attachment_id'))

    op.drop_table('standard_claim')
    with op.batch_alter_table('clarification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clarification_standard_id'))
        batch_op.drop_index(batch_op.f('ix_clarification_dossier_id'))
        batch_op.drop_index(batch_op.f('ix_clarification_attachment_id'))
        batch_op.drop_index(batch_op.f('ix_clarification_asked_by_id'))
        batch_op.drop_index(batch_op.f('ix_clarification_answered_by_id'))

    op.drop_table('clarification')
    with op.batch_alter_table('standard_appraisal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_appraisal_standard_id'))
        batch_op.drop_index(batch_op.f('ix_standard_appraisal_dossier_id'))
        batch_op.drop_index(batch_op.f('ix_standard_appraisal_appraised_by_id'))

    op.drop_table('standard_appraisal')
    with op.batch_alter_table('rule_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rule_override_dossier_id'))
        batch_op.drop_index(batch_op.f('ix_rule_override_decided_by_id'))

    op.drop_table('rule_override')
    with op.batch_alter_table('round_standard', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_standard_round_id'))

    op.drop_table('round_standard')
    with op.batch_alter_table('eligibility_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eligibility_rule_round_id'))

    op.drop_table('eligibility_rule')
