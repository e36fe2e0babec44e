"""State columns checked against their workflow's states; audit reasons as code and parameters

Revision ID: d4e6f8a0b2c4
Revises: c3d5e7f9a1b2
"""
import sqlalchemy as sa
from alembic import op

revision = 'd4e6f8a0b2c4'
down_revision = 'c3d5e7f9a1b2'
branch_labels = None
depends_on = None

# table -> (state column, the workflow's states), as the models generate them (Workflow.check_constraint()).
STATE_CHECKS = {
    'dossier': ('state', ('draft', 'submitted', 'returned', 'resubmitted', 'eligible', 'ineligible', 'under_review',
                          'scored', 'approved', 'not_approved', 'published')),
    'outbox_message': ('status', ('pending', 'sending', 'sent', 'failed')),
}


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_code', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reason_params', sa.JSON(), nullable=True))
    for table, (column, states) in STATE_CHECKS.items():
        allowed = ", ".join(f"'{state}'" for state in states)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(f'{column}_known', f'{column} IN ({allowed})')


def downgrade():
    for table, (column, _states) in STATE_CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{column}_known'), type_='check')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('reason_params')
        batch_op.drop_column('reason_code')
