"""A nominating organisation may withdraw a dossier (the "withdrawn" state); each round names the attachment kinds
a dossier needs before it can be submitted (existing rounds: the CV and the organisation's endorsement letter)

Revision ID: b3d5f7a9c1e2
Revises: f1a3c5e7b9d2
"""
import sqlalchemy as sa
from alembic import op

revision = 'b3d5f7a9c1e2'
down_revision = 'f1a3c5e7b9d2'
branch_labels = None
depends_on = None

DOSSIER_STATES = ('draft', 'submitted', 'returned', 'resubmitted', 'eligible', 'ineligible', 'under_review',
                  'scored', 'approved', 'not_approved', 'published')


def _state_check(states) -> str:
    return 'state IN ({})'.format(', '.join(f"'{state}'" for state in states))


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required_attachment_kinds', sa.String(length=200), server_default='',
                                      nullable=False))
    op.execute("UPDATE round SET required_attachment_kinds = 'cv,endorsement'")
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_dossier_state_known'), type_='check')
        batch_op.create_check_constraint('state_known', _state_check((*DOSSIER_STATES, 'withdrawn')))


def downgrade():
    op.execute("UPDATE dossier SET state = 'submitted' WHERE state = 'withdrawn'")
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_dossier_state_known'), type_='check')
        batch_op.create_check_constraint('state_known', _state_check(DOSSIER_STATES))
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('required_attachment_kinds')
