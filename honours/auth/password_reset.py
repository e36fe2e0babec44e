"""Forgotten password ("Quên mật khẩu"): the owner of an account's email gets a link to choose a new password.

The answer is the same whether or not the email has an account (and the same work is done: a token is signed and
the email rendered either way), so the form tells nobody which addresses exist. Requests are limited per email
and per client address (core/ratelimit.py). Locked accounts get no email.

The link is signed (SECRET_KEY, salt "reset-password"), expires after PASSWORD_RESET_MINUTES and carries a
fingerprint of the password hash and the session generation: it stops working once used (the hash changes), when
the account is locked or signed out everywhere, or when its rights change. A new password ends every other
session; two-factor login stays as it was, and the person signs in again (with the code) after the reset.
"""
import hashlib
import hmac
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo

from honours.core import audit, clock, ratelimit
from honours.core.db import db, lock_row
from honours.core.errors import RuleViolation
from honours.core.forms import Form, email_address, max_length, required
from honours.core.outbox import services as outbox
from honours.core.transactions import operation
from honours.core.web import refused

from .invitations import ClockSigner
from .models import User
from .services import check_password_policy, normalise_email

SALT = "reset-password"
PATH = "/password/reset/"
RESET_REQUESTED = audit.Reason("auth.password_reset_requested", audit.N_(
    "Yêu cầu đặt lại mật khẩu qua email, từ địa chỉ %(ip)s."))


class ResetThrottled(RuleViolation):
    """Too many requests for this email or from this address (whether the account exists or not)."""


class LinkExpired(RuleViolation):
    pass


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=ClockSigner)


def _fingerprint(password_hash: str, generation: int) -> str:
    return hashlib.sha256(f"{password_hash}:{generation or 0}".encode()).hexdigest()[:24]


def token_for(user: User) -> str:
    return _serializer().dumps({"user": user.id, "check": _fingerprint(user.password_hash, user.session_generation)})


def valid_minutes() -> int:
    return current_app.config["PASSWORD_RESET_MINUTES"]


def _email(user: User, token: str) -> tuple[str, str]:
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + PATH + token
    valid_until = clock.now() + timedelta(minutes=valid_minutes())
    subject = render_template("email/password_reset_subject.txt", user=user).strip()
    body = render_template("email/password_reset.txt", user=user, link=link, valid_until=valid_until,
                           minutes=valid_minutes())
    return subject, body


@operation
def request_reset(email: str, ip: str) -> None:
    """Queue the reset email when the address belongs to an active account; otherwise do the same work and send
    nothing. ResetThrottled past the limits (counted for unknown addresses too, so the refusal reveals nothing)."""
    config = current_app.config
    email = normalise_email(email)
    window = timedelta(minutes=config["PASSWORD_RESET_WINDOW_MINUTES"])
    if not ratelimit.allow("password_reset_ip", ip, config["PASSWORD_RESET_PER_IP"], window) \
            or not ratelimit.allow("password_reset_email", email, config["PASSWORD_RESET_PER_EMAIL"], window):
        raise ResetThrottled(_("Đã có quá nhiều yêu cầu đặt lại mật khẩu. Vui lòng thử lại sau %(minutes)s phút.",
                               minutes=config["PASSWORD_RESET_WINDOW_MINUTES"]))
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None and user.active:
        subject, body = _email(user, token_for(user))
        outbox.enqueue(user.email, subject, body)
        audit.record(None, "user", user.id, "password_reset_request", reason=RESET_REQUESTED(ip=ip))
    else:
        # The same signing and rendering as for an account, thrown away: the answer takes as long.
        stand_in = User(email=email or "-", full_name="-", role="", password_hash="-")  # nosec B106 # a stand-in, never stored
        _email(stand_in, _serializer().dumps({"user": 0, "check": _fingerprint("-", 0)}))
    db.session.flush()


def user_for_token(token: str, lock: bool = False) -> User:
    """The account of a reset link, or RuleViolation (LinkExpired) when it is forged, used, expired or the account
    locked."""
    invalid = _("Liên kết đặt lại mật khẩu không hợp lệ hoặc đã được sử dụng.")
    try:
        payload = _serializer().loads(token, max_age=valid_minutes() * 60)
    except SignatureExpired:
        raise LinkExpired(_("Liên kết đặt lại mật khẩu đã hết hạn (liên kết chỉ có hiệu lực %(minutes)s phút).",
                            minutes=valid_minutes())) from None
    except BadSignature:
        raise RuleViolation(invalid) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        raise RuleViolation(invalid)
    user = lock_row(User, payload["user"], "password_hash") if lock else db.session.get(User, payload["user"])
    if user is None or not user.active or not hmac.compare_digest(
            str(payload.get("check")), _fingerprint(user.password_hash, user.session_generation)):
        raise RuleViolation(invalid)
    return user


@operation
def reset(token: str, password: str) -> User:
    """Set the new password; the link stops working and every session of the account ends."""
    user = user_for_token(token, lock=True)  # locked: the same link used twice at once sets one password
    check_password_policy(password, user.email)
    user.set_password(password)
    user.end_sessions()
    audit.record(user, "user", user.id, "password_reset")
    db.session.flush()
    return user


# ---------------------------------------------------------------- pages

bp = Blueprint("password_reset", __name__)


class ForgotPasswordForm(Form):
    email = EmailField(_l("Email"), validators=[required(), email_address(), max_length(254)],
                       filters=[lambda value: value.strip() if isinstance(value, str) else value],
                       render_kw={"autocomplete": "email"})


class ResetPasswordForm(Form):
    new_password = PasswordField(_l("Mật khẩu mới"), validators=[required(), max_length(200)],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"), render_kw={"autocomplete": "new-password"},
        validators=[required(), EqualTo("new_password", message=_l("Hai mật khẩu không khớp."))],
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    form = ForgotPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            request_reset(form.email.data, request.remote_addr or "")
        except ResetThrottled as error:
            refused(error, form.email)
            status = 429
        else:
            return redirect(url_for("password_reset.sent"))
    elif form.errors:
        status = 422
    return render_template("auth/forgot_password.html", form=form), status


@bp.get("/password/forgot/sent")
def sent():
    return render_template("auth/forgot_password_sent.html", minutes=valid_minutes())


@bp.route(PATH + "<reset_token>", methods=["GET", "POST"])
def reset_password(reset_token: str):
    form = ResetPasswordForm()
    try:
        user = user_for_token(reset_token)
    except RuleViolation as error:
        page = render_template("auth/reset_password.html", form=None, error=error.message,
                               expired=isinstance(error, LinkExpired))
        return _private(page, 400)
    if form.validate_on_submit():
        try:
            reset(reset_token, form.new_password.data)
        except RuleViolation as error:
            refused(error, form.new_password)
        else:
            flash(_("Đã đặt mật khẩu mới. Vui lòng đăng nhập bằng mật khẩu mới; mọi phiên đăng nhập khác của tài "
                    "khoản đã kết thúc."), "success")
            return redirect(url_for("auth.login"))
    page = render_template("auth/reset_password.html", form=form, account=user)
    return _private(page, 422 if form.errors else 200)


def _private(page: str, status: int):
    """The URL holds the token: never cached, never sent on as a referrer."""
    return page, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
