"""Invitations: an account created for someone (Excel import) has no usable password; its owner gets an emailed
link to choose one. The link is signed (SECRET_KEY, salt "set-password"), expires after INVITATION_DAYS and
carries a fingerprint of the password hash, so it stops working as soon as a password is set (single use) or
the invitation is sent again."""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from wtforms import PasswordField
from wtforms.validators import EqualTo

from honours.core import audit, clock, roles
from honours.core.db import db, lock_row
from honours.core.errors import RuleViolation
from honours.core.forms import Form, max_length, required
from honours.core.outbox import services as outbox
from honours.core.transactions import operation
from honours.core.web import refused, require_role

from .models import UNUSABLE_PASSWORD_PREFIX, User
from .services import check_password_policy, ensure_may_manage
from .sessions import sign_in

SALT = "set-password"
# Not a werkzeug hash, so no password ever matches it; the random part makes each invitation's fingerprint new.
INVITED_PREFIX = UNUSABLE_PASSWORD_PREFIX
PATH = "/invitation/"


class ClockSigner(TimestampSigner):
    """Timestamps from honours.clock, so expiry follows the app's notion of now (and tests can move it)."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=ClockSigner)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def unusable_password() -> str:
    return INVITED_PREFIX + secrets.token_hex(16)


def is_pending(user: User) -> bool:
    """Invited but no password chosen yet."""
    return user.password_hash.startswith(INVITED_PREFIX)


def token_for(user: User) -> str:
    return _serializer().dumps({"user": user.id, "password": _fingerprint(user)})


def valid_days() -> int:
    return current_app.config["INVITATION_DAYS"]


def send_invitation(user: User) -> None:
    """Queue the invitation email in the caller's transaction (the user must have an id: flush first)."""
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + PATH + token_for(user)
    valid_until = clock.now() + timedelta(days=valid_days())
    subject = render_template("email/invitation_subject.txt", user=user).strip()
    body = render_template("email/invitation.txt", user=user, link=link, valid_until=valid_until)
    outbox.enqueue(user.email, subject, body)


def user_for_token(token: str, lock: bool = False) -> User:
    """The invited user, or RuleViolation when the link is forged, expired, already used or the account locked."""
    used_or_invalid = _("Liên kết đặt mật khẩu không hợp lệ hoặc đã được sử dụng.")
    try:
        payload = _serializer().loads(token, max_age=valid_days() * 86400)
    except SignatureExpired:
        raise RuleViolation(_(
            "Liên kết đặt mật khẩu đã hết hạn. Vui lòng đề nghị Ban thư ký gửi lại thư mời.")) from None
    except BadSignature:
        raise RuleViolation(used_or_invalid) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        raise RuleViolation(used_or_invalid)
    user = lock_row(User, payload["user"], "password_hash") if lock else db.session.get(User, payload["user"])
    if user is None or not hmac.compare_digest(str(payload.get("password")), _fingerprint(user)):
        raise RuleViolation(used_or_invalid)
    if not user.active:
        raise RuleViolation(_("Tài khoản đã bị khoá. Vui lòng liên hệ Ban thư ký."))
    return user


@operation
def accept(token: str, password: str) -> User:
    """Set the password chosen through an invitation link; the link stops working."""
    user = user_for_token(token, lock=True)  # locked: the same link used twice at once sets one password
    check_password_policy(password, user.email)
    user.set_password(password)
    user.end_sessions()
    audit.record(user, "user", user.id, "accept_invitation")
    db.session.flush()
    return user


@operation
def resend(actor: User, user: User) -> None:
    """A new link for an account that has not chosen its password yet; the previous link stops working."""
    ensure_may_manage(actor, user)
    if not user.active:
        raise RuleViolation(_("Tài khoản đã bị khoá. Vui lòng liên hệ Ban thư ký."))
    if not is_pending(user):
        raise RuleViolation(_("Tài khoản %(email)s đã đặt mật khẩu, không cần gửi lại thư mời.", email=user.email))
    user.password_hash = unusable_password()
    send_invitation(user)
    audit.record(actor, "user", user.id, "resend_invitation")
    db.session.flush()


# ---------------------------------------------------------------- pages

bp = Blueprint("invitations", __name__)


class SetPasswordForm(Form):
    new_password = PasswordField(_l("Mật khẩu mới"), validators=[required(), max_length(200)])
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[required(), EqualTo("new_password", message=_l("Hai mật khẩu không khớp."))],
    )


class ResendForm(Form):
    """The button: CSRF only."""


@bp.route(PATH + "<invitation_token>", methods=["GET", "POST"])
def set_password(invitation_token: str):
    form = SetPasswordForm()
    try:
        user = user_for_token(invitation_token)
    except RuleViolation as error:
        return _private(render_template("auth/set_password.html", form=None, error=error.message), 400)
    if form.validate_on_submit():
        try:
            user = accept(invitation_token, form.new_password.data)
        except RuleViolation as error:
            refused(error, form.new_password)
        else:
            sign_in(user)  # a fresh session: whoever was signed in on this browser is signed out
            flash(_("Đã đặt mật khẩu. Chào mừng %(name)s!", name=user.full_name), "success")
            return redirect(url_for("home.index"))
    page = render_template("auth/set_password.html", form=form, invited=user,
                           signed_in_as_other=current_user.is_authenticated and current_user.id != user.id)
    return _private(page, 422 if form.errors else 200)


def _private(page: str, status: int):
    """The URL holds the token: never cached, never sent on as a referrer."""
    return page, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.post("/users/<int:user_id>/invitation")
@require_role(roles.ADMIN, roles.SECRETARIAT)
def resend_invitation(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ResendForm().validate_on_submit():
        flash(_("Biểu mẫu đã hết hạn, vui lòng tải lại trang và thử lại."), "danger")
    else:
        try:
            resend(current_user, user)
        except RuleViolation as error:
            refused(error)
        else:
            flash(_("Đã gửi lại thư mời đặt mật khẩu tới %(email)s.", email=user.email), "success")
    return redirect(url_for("users.index"))
