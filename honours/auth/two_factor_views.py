"""Two-factor login pages: the second login step, the user's own settings, the administrator's per-role policy."""
import click
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.web import refused, require_role

from . import sessions, totp, two_factor
from .forms import (
    SecurityPolicyForm,
    TwoFactorCodeForm,
    TwoFactorDisableForm,
    TwoFactorEnableForm,
    TwoFactorLoginForm,
)
from .models import User

bp = Blueprint("two_factor", __name__, cli_group="two-factor")


def _client_ip() -> str:
    return request.remote_addr or ""


def _known_device(user_id: int) -> str | None:
    user = db.session.get(User, user_id)
    return sessions.known_device(user.email) if user else None


def _no_store(response):
    """Pages showing a secret or recovery codes must not stay in any cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/login/two-factor", methods=["GET", "POST"])
def verify():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    pending = sessions.pending_login()
    if pending is None:
        flash(_("Phiên đăng nhập đã hết hạn. Vui lòng nhập lại email và mật khẩu."), "info")
        return redirect(url_for("auth.login"))
    form = TwoFactorLoginForm()
    if form.validate_on_submit():
        try:
            user = two_factor.verify_login(pending.user_id, form.code.data, _client_ip(),
                                           device=_known_device(pending.user_id))
        except two_factor.LoginRestart as error:
            sessions.clear_pending()
            flash(error.message, "danger")
            return redirect(url_for("auth.login"))
        except RuleViolation as error:
            refused(error, form.code)
        else:
            sessions.sign_in(user)
            return sessions.remember_device(redirect(pending.next_url), user)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/two_factor_login.html", form=form), status


def _render_settings(status: int = 200, enable_form=None, disable_form=None, codes_form=None):
    user = current_user
    context = {
        "enabled": user.totp_enabled,
        "enforced": two_factor.role_requires_totp(user.role),
        "enable_form": enable_form or TwoFactorEnableForm(formdata=None),
        "disable_form": disable_form or TwoFactorDisableForm(formdata=None),
        "codes_form": codes_form or TwoFactorCodeForm(formdata=None),
    }
    if user.totp_enabled:
        context["remaining"] = two_factor.remaining_recovery_codes(user)
    else:
        secret = two_factor.start_enrolment(user)
        uri = totp.provisioning_uri(secret, user.email, current_app.config["TOTP_ISSUER"])
        context.update(secret=secret, uri=uri, qr=totp.qr_data_uri(uri))
    return _no_store(current_app.make_response((render_template("auth/two_factor.html", **context), status)))


@bp.get("/account/two-factor")
@require_role(*two_factor.TOTP_ROLES)
def settings():
    return _render_settings()


def _show_codes(codes: list[str]):
    return _no_store(current_app.make_response(render_template("auth/recovery_codes.html", codes=codes)))


@bp.post("/account/two-factor/enable")
@require_role(*two_factor.TOTP_ROLES)
def enable():
    form = TwoFactorEnableForm()
    if not form.validate_on_submit():
        return _render_settings(422, enable_form=form)
    try:
        codes = two_factor.confirm_enrolment(current_user, form.code.data, form.password.data, _client_ip())
    except RuleViolation as error:
        refused(error, form.code)
        return _render_settings(422, enable_form=form)
    sessions.keep_signed_in(current_user)  # every other session of this account has ended
    flash(_("Đã bật xác thực hai bước."), "success")
    return _show_codes(codes)


@bp.post("/account/two-factor/recovery-codes")
@require_role(*two_factor.TOTP_ROLES)
def new_recovery_codes():
    form = TwoFactorCodeForm()
    if not form.validate_on_submit():
        return _render_settings(422, codes_form=form)
    try:
        codes = two_factor.regenerate_recovery_codes(current_user, form.code.data, _client_ip())
    except RuleViolation as error:
        refused(error, form.code)
        return _render_settings(422, codes_form=form)
    flash(_("Đã tạo bộ mã khôi phục mới; các mã cũ không còn dùng được."), "success")
    return _show_codes(codes)


@bp.post("/account/two-factor/disable")
@require_role(*two_factor.TOTP_ROLES)
def disable():
    form = TwoFactorDisableForm()
    if not form.validate_on_submit():
        return _render_settings(422, disable_form=form)
    try:
        two_factor.disable(current_user, form.proof.data, _client_ip())
    except RuleViolation as error:
        refused(error, form.proof)
        return _render_settings(422, disable_form=form)
    sessions.keep_signed_in(current_user)
    flash(_("Đã tắt xác thực hai bước."), "success")
    return redirect(url_for("two_factor.settings"))


@bp.route("/admin/security", methods=["GET", "POST"])
@require_role(roles.ADMIN)
def policy():
    form = SecurityPolicyForm(data=None if request.method == "POST" else two_factor.policies())
    if form.validate_on_submit():
        try:
            changed = two_factor.set_policies(current_user, {role: getattr(form, role).data
                                                             for role in two_factor.TOTP_ROLES})
        except RuleViolation as error:
            refused(error)
        else:
            flash(_("Đã lưu chính sách bảo mật.") if changed else _("Không có thay đổi nào."), "success")
            return redirect(url_for("two_factor.policy"))
    return render_template("auth/security_policy.html", form=form,
                           fields=[getattr(form, role) for role in two_factor.TOTP_ROLES])


@bp.cli.command("reset")
@click.argument("email")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
def reset_command(email: str, reason: str):
    """Turn off two-factor login for an account that lost its phone and its recovery codes."""
    from .services import normalise_email

    user = db.session.scalar(select(User).where(User.email == normalise_email(email))
                             .execution_options(populate_existing=True))
    if user is None:
        raise click.ClickException(f"No account {email}.")
    two_factor.reset(user, reason)
    db.session.commit()  # a command commits once, as a request does
    click.echo(f"Two-factor login turned off for {user.email}; they can sign in with the password only.")
