"""Accounts: authentication with throttling, the command line's user creation, password change, locking, signing
out everywhere. Accounts made by the admin or the secretariat are invitations (accounts.py): no password is ever
typed or seen by anyone but the account's owner."""
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from honours.core import audit, roles
from honours.core.confirm import ensure_confirmed
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
LOGIN_FAILED = audit.Reason("auth.login_failed", audit.N_("Đăng nhập sai từ địa chỉ %(ip)s."))
LOGIN_THROTTLED = audit.Reason("auth.login_throttled", audit.N_(
    "Quá nhiều lần đăng nhập sai (địa chỉ %(ip)s): lần tiếp theo phải chờ %(seconds)s giây."))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def throttled_message(wait_seconds: int) -> str:
    if wait_seconds < 60:
        return _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(seconds)s giây.", seconds=wait_seconds)
    return _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.",
             minutes=(wait_seconds + 59) // 60)


def _burn_hash_time(password: str) -> None:
    """Check the password against a dummy hash, so an unknown email (or an invited account without a password)
    takes as long as a wrong password."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = generate_password_hash(secrets.token_hex(16))
    check_password_hash(_dummy_hash, password or "")


def password_matches(user: User | None, password: str) -> bool:
    """Always one slow hash check, whether the account exists, has a password or not."""
    if user is None or not user.has_usable_password:
        _burn_hash_time(password)
        return False
    return user.check_password(password)


def record_login_failure(user: User | None, ip: str, started: timedelta) -> None:
    """Audit a refused login (never the password, nor an unknown email that may be a mistyped password) and,
    when this failure started a delay, the throttling; committed at once, as the page answers with an error."""
    if user is not None:
        audit.record(None, "user", user.id, "login_failure", reason=LOGIN_FAILED(ip=ip))
    if started:
        audit.record(None, "user" if user else "login", user.id if user else 0, "login_throttled",
                     reason=LOGIN_THROTTLED(ip=ip, seconds=int(started.total_seconds())))
    if user is not None or started:
        db.session.commit()


def authenticate(email: str, password: str, ip: str, device: str | None = None) -> User:
    """The user for these credentials, or RuleViolation with a message that never tells which part was wrong.

    The attempt is counted before the password is checked (throttling.reserve), so parallel guesses get no more
    tries than sequential ones. A right password gives its attempt back; for an account with two-factor login
    the account's count is only cleared once the second step passes, so knowing the password does not buy
    unlimited guesses at the code."""
    email = normalise_email(email)
    keys = throttling.keys_for(email, ip, device)
    try:
        started = throttling.reserve(keys)
    except throttling.Throttled as throttled:
        raise RuleViolation(throttled_message(throttled.wait_seconds)) from None
    user = db.session.scalar(select(User).where(User.email == email))
    if not password_matches(user, password) or not user.active:
        record_login_failure(user, ip, started)
        raise RuleViolation(_("Email hoặc mật khẩu không đúng."))
    if user.totp_enabled:
        throttling.give_back(keys)
    else:
        throttling.signed_in(keys)
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


def check_account_fields(email: str, role: str, organisation_id: int | None, except_user: User | None = None) -> None:
    """The rules an account's email, role and organisation follow, at creation and at each edit."""
    if role not in roles.ALL_ROLES:
        raise RuleViolation(_("Vai trò không hợp lệ."))
    if role == roles.NOMINATOR and organisation_id is None:
        raise RuleViolation(_("Tài khoản đơn vị đề cử phải thuộc một đơn vị."))
    taken = select(User.id).where(User.email == email)
    if except_user is not None:
        taken = taken.where(User.id != except_user.id)
    if db.session.scalar(taken):
        raise RuleViolation(_("Email %(email)s đã được dùng cho tài khoản khác.", email=email))


def record_created(actor: User | None, user: User) -> None:
    """The account's "create" entry: its role, and " chair" for the council's chair."""
    audit.record(actor, "user", user.id, "create", "", user.role + (" chair" if user.is_chair else ""))


def record_edited(actor: User, user: User, old_role: str, reason) -> None:
    """An "edit" entry: from and to are the roles when the role changed (the reason says every change in words)."""
    changed = old_role != user.role
    audit.record(actor, "user", user.id, "edit", old_role if changed else "", user.role if changed else "", reason)


@operation
def create_user(email: str, full_name: str, role: str, password: str, organisation_id: int | None = None,
                is_chair: bool = False) -> User:
    """A new account with a password, from the command line only (`flask create-user`, e.g. the first admin): in
    the app, accounts are invitations (accounts.invite_user) and their owner chooses the password."""
    email = normalise_email(email)
    check_account_fields(email, role, organisation_id)
    if role != roles.NOMINATOR:
        organisation_id = None
    check_password_policy(password, email)
    user = User(email=email, full_name=full_name.strip(), role=role, organisation_id=organisation_id,
                is_chair=is_chair and role == roles.COUNCIL)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_created(None, user)
    return user


@operation
def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise RuleViolation(_("Mật khẩu hiện tại không đúng."))
    if current_password == new_password:
        raise RuleViolation(_("Mật khẩu mới phải khác mật khẩu hiện tại."))
    check_password_policy(new_password, user.email)
    user.set_password(new_password)
    user.end_sessions()  # a session copied before the change stops working; the view renews the current one
    audit.record(user, "user", user.id, "password_change")
    db.session.flush()


def ensure_may_manage(actor: User, user: User) -> None:
    """The admin manages every account; the secretariat, council and nominator accounts only."""
    if actor.role not in (roles.ADMIN, roles.SECRETARIAT):
        raise RuleViolation(_("Chỉ quản trị hệ thống hoặc Ban thư ký mới được quản lý tài khoản."))
    if actor.role != roles.ADMIN and user.role in (roles.ADMIN, roles.SECRETARIAT):
        raise RuleViolation(_("Chỉ quản trị hệ thống mới được thay đổi tài khoản này."))


@operation
def set_active(actor: User, user: User, active: bool, *, confirmed: bool = False) -> None:
    """Lock or unlock an account, once the manager has seen what it does (core/confirm.py)."""
    if actor.id == user.id:
        raise RuleViolation(_("Bạn không thể tự khoá tài khoản của mình."))
    ensure_may_manage(actor, user)
    if user.active == active:
        return
    if active:
        ensure_confirmed(confirmed, _(
            "mở khoá tài khoản %(email)s (%(name)s): người này lại đăng nhập được với mật khẩu của mình.",
            email=user.email, name=user.full_name))
    else:
        ensure_confirmed(confirmed, _(
            "khoá tài khoản %(email)s (%(name)s): người này bị đăng xuất ngay trên mọi thiết bị và không thể đăng "
            "nhập, cũng không nhận thư đặt lại mật khẩu, cho đến khi được mở khoá.",
            email=user.email, name=user.full_name))
    user.active = active
    user.end_sessions()  # neither a session of the locked account nor one copied before survives an unlock
    audit.record(actor, "user", user.id, "unlock" if active else "lock", "locked" if active else "active",
                 "active" if active else "locked")
    db.session.flush()


@operation
def sign_out_everywhere(user: User) -> None:
    """Every session of this user ends, on every device (the current one too: the view signs it out)."""
    user.end_sessions()
    audit.record(user, "user", user.id, "logout_everywhere")
    db.session.flush()
