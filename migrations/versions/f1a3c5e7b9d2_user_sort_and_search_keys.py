"""Users list: a natural sort key of each account's email (donvi2 before donvi10) and a search text without
diacritics (name and email), kept by the User model's validators

Revision ID: f1a3c5e7b9d2
Revises: a5c7e9b1d3f5
"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = 'f1a3c5e7b9d2'
down_revision = 'a5c7e9b1d3f5'
branch_labels = None
depends_on = None

# A copy of honours.core.text.fold and honours.auth.models.natural_key as they were when this was written: a
# migration must not change when the application code does.
_DIGITS = re.compile(r"\d+")


def _fold(text):
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D").replace("Ð", "D").replace("ð", "d")
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def _natural_key(text):
    return _DIGITS.sub(lambda run: run.group().lstrip("0").zfill(12), _fold(text))[:320]


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_sort_key', sa.String(length=320), server_default='', nullable=False))
        batch_op.add_column(sa.Column('search_text', sa.String(length=500), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_user_email_sort_key'), ['email_sort_key'], unique=False)
    connection = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('email', sa.String),
                    sa.column('full_name', sa.String), sa.column('email_sort_key', sa.String),
                    sa.column('search_text', sa.String))
    for id_, email, full_name in connection.execute(sa.select(user.c.id, user.c.email, user.c.full_name)).all():
        connection.execute(user.update().where(user.c.id == id_).values(
            email_sort_key=_natural_key(email), search_text=f"{_fold(full_name)} {_fold(email)}"[:500]))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_email_sort_key'))
        batch_op.drop_column('search_text')
        batch_op.drop_column('email_sort_key')
