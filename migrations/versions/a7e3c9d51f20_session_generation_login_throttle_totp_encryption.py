"""Sessions that can be revoked (a session generation per user, the sessions signed out), login throttling by progressive delays (one
compare-and-set row per account, address or known device instead of a row per failure), two-step secrets
encrypted at rest

Revision ID: a7e3c9d51f20
Revises: a7c31e9b5d42
"""
import sqlalchemy as sa
from alembic import op

revision = 'a7e3c9d51f20'
down_revision = 'a7c31e9b5d42'
branch_labels = None
depends_on = None


def _fernet():
    """The key the app uses (TOTP_ENCRYPTION_KEY, or on a developer's machine one derived from SECRET_KEY)."""
    from flask import current_app, has_app_context

    from honours.auth.secret_box import fernet_for, key_material

    if has_app_context():
        config = current_app.config
    else:
        from honours import create_app

        config = create_app().config
    return fernet_for(key_material(config))


def _rewrite_secrets(change) -> None:
    connection = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))
    for user_id, secret in connection.execute(sa.select(user.c.id, user.c.totp_secret)
                                              .where(user.c.totp_secret.is_not(None))).all():
        new = change(secret)
        if new != secret:
            connection.execute(user.update().where(user.c.id == user_id).values(totp_secret=new))


def upgrade():
    op.create_table(
        'login_throttle',
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_at', sa.DateTime(), nullable=False),
        sa.Column('last_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle')),
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_last_at'), ['last_at'], unique=False)
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_ip'))
        batch_op.drop_index(batch_op.f('ix_login_failure_email'))
        batch_op.drop_index(batch_op.f('ix_login_failure_at'))
    op.drop_table('login_failure')
    op.create_table(
        'ended_session',
        sa.Column('sid', sa.String(length=32), nullable=False),
        sa.Column('until', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('sid', name=op.f('pk_ended_session')),
    )
    with op.batch_alter_table('ended_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ended_session_until'), ['until'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=255),
                              existing_nullable=True)
    from honours.auth.secret_box import TOKEN_PREFIX

    fernet = _fernet()
    _rewrite_secrets(lambda secret: secret if secret.startswith(TOKEN_PREFIX)
                     else fernet.encrypt(secret.encode()).decode())


def downgrade():
    from honours.auth.secret_box import TOKEN_PREFIX

    fernet = _fernet()
    _rewrite_secrets(lambda secret: fernet.decrypt(secret.encode()).decode() if secret.startswith(TOKEN_PREFIX)
                     else secret)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255), type_=sa.String(length=64),
                              existing_nullable=True)
        batch_op.drop_column('session_generation')

    op.create_table(
        'login_failure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('ip', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure')),
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_ip'), ['ip'], unique=False)
    with op.batch_alter_table('ended_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ended_session_until'))
    op.drop_table('ended_session')
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_last_at'))
    op.drop_table('login_throttle')
