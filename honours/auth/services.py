"""Accounts: authentication with throttling, user creation, password change."""
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select

from honours import clock
from honours.errors import RuleViolation
from honours.extensions import db

from . import roles
from .models import LoginFailure, User

MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def is_throttled(email: str, ip: str) -> bool:
    """Too many recent failures for this account, or from this address (counted in the database,
    so the limit holds across every app process)."""
    config = current_app.config
    since = clock.now() - timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"])
    by_email, by_ip = db.session.execute(
        select(
            func.count(LoginFailure.id).filter(LoginFailure.email == email),
            func.count(LoginFailure.id).filter(LoginFailure.ip == ip),
        ).where(LoginFailure.at >= since, or_(LoginFailure.email == email, LoginFailure.ip == ip))
    ).one()
    return by_email >= config["LOGIN_MAX_FAILURES"] or by_ip >= config["LOGIN_MAX_FAILURES_PER_IP"]


def authenticate(email: str, password: str, ip: str) -> User:
    """The user for these credentials, or RuleViolation with a message that never tells which part was wrong."""
    email = normalise_email(email)
    if is_throttled(email, ip):
        raise RuleViolation(_("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.",
                              minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"]))
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.check_password(password) or not user.active:
        db.session.add(LoginFailure(email=email, ip=ip))
        db.session.commit()
        raise RuleViolation(_("Email hoặc mật khẩu không đúng."))
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    db.session.commit()
    return user


def check_password_policy(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise RuleViolation(_("Mật khẩu phải có ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH))
    if password.isdigit() or password.isalpha():
        raise RuleViolation(_("Mật khẩu phải gồm cả chữ và số hoặc ký tự khác."))


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
    check_password_policy(password)
    user = User(email=email, full_name=full_name.strip(), role=role, organisation_id=organisation_id,
                is_chair=is_chair and role == roles.COUNCIL)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise RuleViolation(_("Mật khẩu hiện tại không đúng."))
    if current_password == new_password:
        raise RuleViolation(_("Mật khẩu mới phải khác mật khẩu hiện tại."))
    check_password_policy(new_password)
    user.set_password(new_password)
    db.session.commit()


def set_active(actor: User, user: User, active: bool) -> None:
    if actor.id == user.id:
        raise RuleViolation(_("Bạn không thể tự khoá tài khoản của mình."))
    if actor.role != roles.ADMIN and user.role in (roles.ADMIN, roles.SECRETARIAT):
        raise RuleViolation(_("Chỉ quản trị hệ thống mới được thay đổi tài khoản này."))
    user.active = active
    db.session.commit()
