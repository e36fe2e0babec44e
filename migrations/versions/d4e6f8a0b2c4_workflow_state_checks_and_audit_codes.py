"""State columns checked against their workflow's states; audit reasons as code and parameters; each submitted
score sheet keeps its weighted total

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
    'referral': ('state', ('draft', 'submitted', 'accepted', 'declined')),
    'talent_pool_entry': ('status', ('active', 'retired')),
    'talent_need': ('status', ('open', 'closed')),
    'talent_match': ('outcome', ('proposed', 'contacted', 'engaged', 'not_suitable')),
    'score_sheet': ('status', ('draft', 'submitted')),
    'council_session': ('status', ('open', 'closed', 'confirmed')),
}

# The total out of 100 of each submitted sheet: points / max_points * weight over the round's criteria (a criterion
# without points counts 0), as honours.reviews.totals computes it.
BACKFILL_TOTALS = """
    UPDATE score_sheet SET weighted_total = ROUND((
        SELECT COALESCE(SUM(COALESCE(i.points, 0) * c.weight / c.max_points), 0)
        FROM dossier d JOIN criterion c ON c.round_id = d.round_id
        LEFT JOIN score_item i ON i.criterion_id = c.id AND i.sheet_id = score_sheet.id
        WHERE d.id = score_sheet.dossier_id), 2)
    WHERE status = 'submitted'
"""


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_code', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reason_params', sa.JSON(), nullable=True))
    with op.batch_alter_table('score_sheet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weighted_total', sa.Numeric(precision=5, scale=2), nullable=True))
    op.execute(BACKFILL_TOTALS)
    for table, (column, states) in STATE_CHECKS.items():
        allowed = ", ".join(f"'{state}'" for state in states)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(f'{column}_known', f'{column} IN ({allowed})')


def downgrade():
    for table, (column, _states) in STATE_CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{column}_known'), type_='check')
    with op.batch_alter_table('score_sheet', schema=None) as batch_op:
        batch_op.drop_column('weighted_total')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('reason_params')
        batch_op.drop_column('reason_code')
