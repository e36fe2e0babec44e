"""Changes a submission proposes to an existing person record; the time a nominating organisation sees on its
dossiers; the per-account count of duplicate-nomination checks

Revision ID: a5c7e9b1d3f5
Revises: 7e3a9c51b0d4
"""
import sqlalchemy as sa
from alembic import op

# The last step the nominating organisation was told of (states.NOMINATOR_ACTIONS), else the last change: before
# the council's work starts the two are the same; after it, updated_at may carry internal steps.
BACKFILL_NOMINATOR_TIME = """
    UPDATE dossier SET nominator_updated_at = COALESCE((
        SELECT MAX(a.at) FROM audit_entry a
        WHERE a.entity_type = 'dossier' AND a.entity_id = dossier.id
          AND a.action IN ('submit', 'resubmit', 'return', 'mark_eligible', 'mark_ineligible', 'publish')
          AND dossier.state IN ('under_review', 'scored', 'approved', 'not_approved', 'published')
    ), updated_at)
"""

revision = 'a5c7e9b1d3f5'
down_revision = '7e3a9c51b0d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('duplicate_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('identity', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_duplicate_check_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_check'))
    )
    with op.batch_alter_table('duplicate_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_check_at'), ['at'], unique=False)
        batch_op.create_index('ix_duplicate_check_user_at', ['user_id', 'at'], unique=False)

    op.create_table('person_change_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=False),
    sa.Column('proposed_value', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('source_type', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'accepted', 'rejected', 'superseded')", name=op.f('ck_person_change_proposal_state_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_person_change_proposal_decided_by_id_user')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_person_change_proposal_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_change_proposal_person_id_person')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_person_change_proposal_proposed_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_change_proposal'))
    )
    with op.batch_alter_table('person_change_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_change_proposal_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_change_proposal_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_person_change_proposal_person_state', ['person_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_change_proposal_proposed_by_id'), ['proposed_by_id'], unique=False)
        batch_op.create_index('ix_person_change_proposal_source', ['source_type', 'source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_change_proposal_state'), ['state'], unique=False)

    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nominator_updated_at', sa.DateTime(), nullable=True))
    op.execute(BACKFILL_NOMINATOR_TIME)
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.alter_column('nominator_updated_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('nominator_updated_at')

    with op.batch_alter_table('person_change_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_change_proposal_state'))
        batch_op.drop_index('ix_person_change_proposal_source')
        batch_op.drop_index(batch_op.f('ix_person_change_proposal_proposed_by_id'))
        batch_op.drop_index('ix_person_change_proposal_person_state')
        batch_op.drop_index(batch_op.f('ix_person_change_proposal_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_person_change_proposal_decided_by_id'))

    op.drop_table('person_change_proposal')
    with op.batch_alter_table('duplicate_check', schema=None) as batch_op:
        batch_op.drop_index('ix_duplicate_check_user_at')
        batch_op.drop_index(batch_op.f('ix_duplicate_check_at'))

    op.drop_table('duplicate_check')
