"""Two-factor login (TOTP) for staff accounts: enrolment, recovery codes, the login second step, per-role policy."""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update

from honours.core import audit, clock, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.transactions import operation

from . import throttling, totp
from .models import RecoveryCode, SecurityPolicy, User
from .services import password_matches, record_login_failure, throttled_message

# Nominator accounts (organisations) do not get it: the brief is about the accounts that decide.
TOTP_ROLES = (roles.ADMIN, roles.SECRETARIAT, roles.COUNCIL)


class LoginRestart(RuleViolation):
    """The pending login cannot go on (expired, throttled, account changed): start again from the password."""


def can_use(user: User) -> bool:
    return user.role in TOTP_ROLES


def role_requires_totp(role: str) -> bool:
    if role not in TOTP_ROLES:
        return False
    return bool(db.session.scalar(select(SecurityPolicy.require_totp).where(SecurityPolicy.role == role)))


def must_enrol(user: User) -> bool:
    """Signed in with the password only, while the role requires a second factor."""
    return not user.totp_enabled and role_requires_totp(user.role)


def _ensure_can_use(user: User) -> None:
    if not can_use(user):
        raise RuleViolation(_("Loại tài khoản này không dùng xác thực hai bước."))


# ---------------------------------------------------------------- enrolment


@operation
def start_enrolment(user: User) -> str:
    """The secret to add to the authenticator app; kept (unconfirmed) until a code proves it was added."""
    _ensure_can_use(user)
    if user.totp_enabled:
        raise RuleViolation(_("Xác thực hai bước đã được bật."))
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
        db.session.flush()
    return user.totp_secret


@operation
def confirm_enrolment(user: User, code: str, password: str, ip: str) -> list[str]:
    """Turn two-factor login on once a valid code is entered and the password re-entered (a stolen session alone
    cannot bind the account to someone else's phone); returns the recovery codes (shown once)."""
    _ensure_can_use(user)
    if user.totp_enabled:
        raise RuleViolation(_("Xác thực hai bước đã được bật."))
    if not user.totp_secret:
        raise RuleViolation(_("Vui lòng tải lại trang để bắt đầu cài đặt."))
    keys = throttling.keys_for(user.email, ip)
    _reserve(keys, RuleViolation)
    if not password_matches(user, password):
        db.session.rollback()
        raise RuleViolation(_("Mật khẩu không đúng."))
    step = totp.matching_step(user.totp_secret, code)
    if step is None:
        throttling.give_back(keys)  # the password was right: a mistyped code is no guess
        raise RuleViolation(_("Mã xác thực không đúng. Kiểm tra đồng hồ điện thoại và nhập mã mới nhất."))
    throttling.give_back(keys)
    user.totp_enabled_at = clock.now()
    user.totp_last_step = step
    codes = _replace_recovery_codes(user)
    user.end_sessions()  # the view keeps the current session
    audit.record(user, "user", user.id, "totp_enable", "off", "on")
    db.session.flush()
    return codes


def _reserve(keys, error_class) -> timedelta:
    try:
        return throttling.reserve(keys)
    except throttling.Throttled as throttled:
        raise error_class(throttled_message(throttled.wait_seconds)) from None


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=totp.recovery_code_hash(code)) for code in codes)
    return codes


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


# ---------------------------------------------------------------- codes


def _accept_totp(user: User, code: str) -> bool:
    """A valid code for a step later than the last one used (one conditional UPDATE, so two requests racing
    with the same code cannot both pass)."""
    step = totp.matching_step(user.totp_secret or "", code)
    if step is None:
        return False
    result = db.session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    user.totp_last_step = step
    return True


def _use_recovery_code(user: User, code: str) -> bool:
    if not totp.looks_like_recovery_code(code):
        return False
    result = db.session.execute(
        update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
                                   RecoveryCode.code_hash == totp.recovery_code_hash(code))
        .values(used_at=clock.now()).execution_options(synchronize_session=False)
    )
    if result.rowcount < 1:
        return False
    # The reason holds how many codes are left, like other counters in the log.
    audit.record(user, "user", user.id, "totp_recovery_code_used", reason=str(remaining_recovery_codes(user)))
    return True


def _bad_code() -> RuleViolation:
    return RuleViolation(_("Mã xác thực không đúng hoặc đã được dùng."))


@operation
def verify_login(user_id: int, code: str, ip: str, device: str | None = None) -> User:
    """Second login step: a TOTP code or an unused recovery code. The attempt is counted before the code is
    checked, on the same keys as the password step (so parallel guesses get no more tries); the account's count
    is cleared only here, once both steps passed."""
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.totp_enabled:
        raise LoginRestart(_("Phiên đăng nhập không còn hiệu lực. Vui lòng đăng nhập lại."))
    keys = throttling.keys_for(user.email, ip, device)
    started = _reserve(keys, LoginRestart)
    if not (_accept_totp(user, code) or _use_recovery_code(user, code)):
        db.session.rollback()
        record_login_failure(user, ip, started)
        raise _bad_code()
    db.session.flush()
    throttling.signed_in(keys)
    return user


def _check_proof(user: User, proof: str, ip: str, allow_password: bool) -> None:
    """A current code (or the password when allowed) confirms a sensitive change; attempts are throttled."""
    keys = throttling.keys_for(user.email, ip)
    _reserve(keys, RuleViolation)
    if _accept_totp(user, proof) or (allow_password and password_matches(user, proof or "")):
        throttling.give_back(keys)
        return
    db.session.rollback()
    if allow_password:
        raise RuleViolation(_("Mã xác thực hoặc mật khẩu không đúng."))
    raise _bad_code()


@operation
def disable(user: User, proof: str, ip: str) -> None:
    if not user.totp_enabled:
        raise RuleViolation(_("Xác thực hai bước chưa được bật."))
    if role_requires_totp(user.role):
        raise RuleViolation(_("Vai trò của bạn bắt buộc xác thực hai bước nên không thể tắt."))
    _check_proof(user, proof, ip, allow_password=True)
    _clear(user)
    user.end_sessions()  # the view keeps the current session
    audit.record(user, "user", user.id, "totp_disable", "on", "off")
    db.session.flush()


@operation
def regenerate_recovery_codes(user: User, code: str, ip: str) -> list[str]:
    if not user.totp_enabled:
        raise RuleViolation(_("Xác thực hai bước chưa được bật."))
    _check_proof(user, code, ip, allow_password=False)
    codes = _replace_recovery_codes(user)
    audit.record(user, "user", user.id, "totp_recovery_codes_new")
    db.session.flush()
    return codes


@operation
def reset(user: User, reason: str) -> None:
    """Operator's way out for someone who lost both the phone and the recovery codes (CLI)."""
    _clear(user)
    user.end_sessions()
    audit.record(None, "user", user.id, "totp_reset", "on", "off", reason=reason)
    db.session.flush()


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


# ---------------------------------------------------------------- policy


def policies() -> dict[str, bool]:
    stored = dict(db.session.execute(select(SecurityPolicy.role, SecurityPolicy.require_totp)).all())
    return {role: bool(stored.get(role)) for role in TOTP_ROLES}


@operation
def set_policies(actor: User, wanted: dict[str, bool]) -> list[str]:
    """Save the per-role requirement; returns the roles whose rule changed (each change audited)."""
    if actor.role != roles.ADMIN:
        raise RuleViolation(_("Chỉ quản trị hệ thống mới được thay đổi chính sách bảo mật."))
    existing = {p.role: p for p in db.session.scalars(select(SecurityPolicy).with_for_update())}
    changed = []
    for role in TOTP_ROLES:
        required = bool(wanted.get(role))
        policy = existing.get(role)
        if policy is None:
            if not required:
                continue
            policy = SecurityPolicy(role=role, require_totp=False)
            db.session.add(policy)
            db.session.flush()
        if policy.require_totp == required:
            continue
        policy.require_totp, policy.updated_at, policy.updated_by_id = required, clock.now(), actor.id
        audit.record(actor, "security_policy", policy.id, "require_totp" if required else "relax_totp",
                     "off" if required else "on", "on" if required else "off", role)
        changed.append(role)
    db.session.flush()
    return changed
