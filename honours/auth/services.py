"""Accounts: authentication with throttling, user creation, password change."""
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.transactions import operation

from . import throttling
from .models import User

MIN_PASSWORD_LENGTH = 10
# Very common choices that pass the length and mix rules (compared case-insensitively).
COMMON_PASSWORDS = frozenset({
    "1234567890a", "a1234567890", "abc1234567", "abcd123456", "abc123456789", "qwerty1234", "qwerty12345",
    "1q2w3e4r5t", "1qaz2wsx3edc", "password12", "password123", "password@123", "p@ssw0rd123", "passw0rd123",
    "admin12345", "admin@123456", "iloveyou123", "abc@123456", "123456789a", "a123456789", "aa12345678",
    "matkhau123", "matkhau@123", "matkhau1234", "vietnam123", "vietnam@123", "bacninh123", "bacninh@123",
})
_dummy_hash = None


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def is_throttled(email: str, ip: str) -> bool:
    """Too many recent failures for this account, or from this address (counted in Redis or the database, so
    the limit holds across every app process)."""
    return throttling.backend().is_throttled(normalise_email(email), ip)


def throttled_message() -> str:
    return _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.",
             minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])


def _burn_hash_time(password: str) -> None:
    """Check the password against a dummy hash, so an unknown email takes as long as a wrong password."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = generate_password_hash(secrets.token_hex(16))
    check_password_hash(_dummy_hash, password or "")


def authenticate(email: str, password: str, ip: str) -> User:
    """The user for these credentials, or RuleViolation with a message that never tells which part was wrong.
    For an account with two-factor login the failure count is only cleared once the second step passes, so
    knowing the password does not buy unlimited guesses at the code."""
    email = normalise_email(email)
    throttle = throttling.backend()
    if throttle.is_throttled(email, ip):
        raise RuleViolation(throttled_message())
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        _burn_hash_time(password)
    if user is None or not user.check_password(password) or not user.active:
        throttle.record_failure(email, ip)
        raise RuleViolation(_("Email hoặc mật khẩu không đúng."))
    if not user.totp_enabled:
        throttle.clear(email)
    return user


def check_password_policy(password: str, email: str = "") -> None:
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(_("Mật khẩu phải có ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH))
    if password.isdigit() or password.isalpha():
        raise RuleViolation(_("Mật khẩu phải gồm cả chữ và số hoặc ký tự khác."))
    local_part = normalise_email(email).split("@")[0]
    if len(local_part) >= 3 and local_part in password.lower():
        raise RuleViolation(_("Mật khẩu không được chứa tên tài khoản email."))
    if password.lower() in COMMON_PASSWORDS:
        raise RuleViolation(_("Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác."))


@operation
def create_user(email: str, full_name: str, role: str, password: str, organisation_id: int | None = None,
                is_chair: bool = False) -> User:
    email = normalise_email(email)
    if role not in roles.ALL_ROLES:
        raise RuleViolation(_("Vai trò không hợp lệ."))
    if role == roles.NOMINATOR and organisation_id is None:
        raise RuleViolation(_("Tài khoản đơn vị đề cử phải thuộc một đơn vị."))
    if role != roles.NOMINATOR:
        organisation_id = None
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise RuleViolation(_("Email %(email)s đã được dùng cho tài khoản khác.", email=email))
    check_password_policy(password, email)
    user = User(email=email, full_name=full_name.strip(), role=role, organisation_id=organisation_id,
                is_chair=is_chair and role == roles.COUNCIL)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


@operation
def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise RuleViolation(_("Mật khẩu hiện tại không đúng."))
    if current_password == new_password:
        raise RuleViolation(_("Mật khẩu mới phải khác mật khẩu hiện tại."))
    check_password_policy(new_password, user.email)
    user.set_password(new_password)
    db.session.flush()


@operation
def set_active(actor: User, user: User, active: bool) -> None:
    if actor.id == user.id:
        raise RuleViolation(_("Bạn không thể tự khoá tài khoản của mình."))
    if actor.role != roles.ADMIN and user.role in (roles.ADMIN, roles.SECRETARIAT):
        raise RuleViolation(_("Chỉ quản trị hệ thống mới được thay đổi tài khoản này."))
    user.active = active
    db.session.flush()
