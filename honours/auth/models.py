import re
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, String, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from honours.core import clock, roles
from honours.core.db import db
from honours.core.text import fold

from .secret_box import EncryptedString

# An invited account's password hash: not a werkzeug hash, so no password ever matches it.
UNUSABLE_PASSWORD_PREFIX = "invited$"  # nosec B105 # a marker, not a password
SORT_KEY_LENGTH = 320
SEARCH_TEXT_LENGTH = 500
_DIGITS = re.compile(r"\d+")


def natural_key(text: str) -> str:
    """A text key that sorts numbers by value: "donvi2" before "donvi10" (each run of digits padded to 12)."""
    return _DIGITS.sub(lambda run: run.group().lstrip("0").zfill(12), fold(text))[:SORT_KEY_LENGTH]


def search_text(full_name: str | None, email: str | None) -> str:
    """What the users list searches: name and email, lower-case, without diacritics."""
    return f"{fold(full_name)} {fold(email)}"[:SEARCH_TEXT_LENGTH]


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), index=True)
    is_chair: Mapped[bool] = mapped_column(default=False)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    # Two-factor login (TOTP, RFC 6238). A secret without totp_enabled_at is an enrolment not yet confirmed.
    # Encrypted at rest (TOTP_ENCRYPTION_KEY); plain text in Python.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedString(255))
    totp_enabled_at: Mapped[datetime | None]
    # The last time step a code was accepted for: a code (or an older one) cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Part of every session of this user (sessions.py): bumping it signs every session out, everywhere.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # Kept by the validators below, so the users list sorts naturally and searches without diacritics in SQL, the
    # same on SQLite and PostgreSQL, and paginates.
    email_sort_key: Mapped[str] = mapped_column(String(SORT_KEY_LENGTH), default="", server_default="", index=True)
    search_text: Mapped[str] = mapped_column(String(SEARCH_TEXT_LENGTH), default="", server_default="")

    organisation = relationship("Organisation", back_populates="users")

    @validates("email", "full_name")
    def _keep_keys(self, key: str, value: str) -> str:
        email = value if key == "email" else self.email
        full_name = value if key == "full_name" else self.full_name
        self.email_sort_key = natural_key(email or "")
        self.search_text = search_text(full_name, email)
        return value

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def has_usable_password(self) -> bool:
        return not self.password_hash.startswith(UNUSABLE_PASSWORD_PREFIX)

    def end_sessions(self) -> None:
        """Every session signed in before now stops working at its next request."""
        self.session_generation = (self.session_generation or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def role_label(self) -> str:
        return str(roles.ROLE_LABELS.get(self.role, self.role))


# What an account may do: a change to any of these ends its sessions, whichever service makes it, so a session
# never keeps rights (or an organisation) the account no longer has.
PRIVILEGES = ("role", "organisation_id", "is_chair", "active", "password_hash")


@event.listens_for(User, "before_update")
def _privileges_changed(mapper, connection, user):
    state = inspect(user)
    if not state.attrs.session_generation.history.added and any(
            state.attrs[name].history.has_changes() for name in PRIVILEGES):
        user.end_sessions()


class LoginThrottle(db.Model):
    """Login attempts of one account, address or known device (throttling.py): changed only by compare-and-set on
    `version`, so concurrent attempts are counted one by one across every process."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_at: Mapped[datetime]  # no attempt before this
    last_at: Mapped[datetime] = mapped_column(index=True)  # attempts are forgotten after a quiet window
    version: Mapped[int] = mapped_column(default=1)


class EndedSession(db.Model):
    """A session signed out with the logout button: a copy of its cookie is refused until it would have expired
    anyway (SESSION_MAX_HOURS after its sign-in); older rows are purged at each logout."""

    __tablename__ = "ended_session"

    sid: Mapped[str] = mapped_column(String(32), primary_key=True)
    until: Mapped[datetime] = mapped_column(index=True)


class RecoveryCode(db.Model):
    """One-time codes for logging in without the authenticator app; only a hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    used_at: Mapped[datetime | None]


class SecurityPolicy(db.Model):
    """Per-role rules set by the administrator (two-factor login required or not)."""

    __tablename__ = "security_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20), unique=True)
    require_totp: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
