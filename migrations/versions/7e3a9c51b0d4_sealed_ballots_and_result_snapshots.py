"""Sealed ballot urn, immutable result snapshots, Round.scoring_started_at

Ballots now wait encrypted in one urn row per open session and are inserted all at once, shuffled, when voting
closes (docs/ballot-secrecy.md). Ballots already stored were written next to their receipts (same transaction id
on PostgreSQL): they are rewritten here in random order, so they share this migration's transaction instead.
A confirmed result is recorded once in council_result_snapshot; rounds whose scoring has started (a submitted
sheet) get scoring_started_at, which freezes their criteria and rules.

Revision ID: 7e3a9c51b0d4
Revises: a7e3c9d51f20
"""
import sqlalchemy as sa
from alembic import op

revision = '7e3a9c51b0d4'
down_revision = 'a7e3c9d51f20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ballot_urn',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['council_session.id'], name=op.f('fk_ballot_urn_session_id_council_session')),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_ballot_urn')),
    sqlite_with_rowid=False
    )
    op.create_table('council_result_snapshot',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_council_result_snapshot_round_id_round')),
    sa.ForeignKeyConstraint(['session_id'], ['council_session.id'], name=op.f('fk_council_result_snapshot_session_id_council_session')),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_council_result_snapshot'))
    )
    with op.batch_alter_table('council_result_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_result_snapshot_round_id'), ['round_id'], unique=False)
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scoring_started_at', sa.DateTime(), nullable=True))
    op.execute("""
        UPDATE round SET scoring_started_at = (
            SELECT MIN(s.submitted_at) FROM score_sheet s JOIN dossier d ON d.id = s.dossier_id
            WHERE d.round_id = round.id AND s.status = 'submitted')
    """)
    op.execute("""
        UPDATE round SET scoring_started_at = created_at
        WHERE scoring_started_at IS NULL AND EXISTS (
            SELECT 1 FROM score_sheet s JOIN dossier d ON d.id = s.dossier_id
            WHERE d.round_id = round.id AND s.status = 'submitted')
    """)
    if op.get_bind().dialect.name == 'postgresql':  # SQLite's WITHOUT ROWID tables keep no insertion order
        op.execute("CREATE TEMP TABLE old_ballot AS SELECT id, session_id FROM ballot")
        op.execute("CREATE TEMP TABLE old_choice AS SELECT ballot_id, dossier_id, agree FROM ballot_choice")
        op.execute("DELETE FROM ballot_choice")
        op.execute("DELETE FROM ballot")
        op.execute("INSERT INTO ballot (id, session_id) SELECT id, session_id FROM old_ballot ORDER BY random()")
        op.execute("INSERT INTO ballot_choice (ballot_id, dossier_id, agree) "
                   "SELECT ballot_id, dossier_id, agree FROM old_choice ORDER BY random()")
        op.execute("DROP TABLE old_choice")
        op.execute("DROP TABLE old_ballot")


def downgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('scoring_started_at')
    with op.batch_alter_table('council_result_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_result_snapshot_round_id'))
    op.drop_table('council_result_snapshot')
    op.drop_table('ballot_urn')
