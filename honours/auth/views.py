from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from honours.core.errors import RuleViolation
from honours.core.web import refused

from . import services, sessions
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the login page cannot be used as an open redirect."""
    # Browsers read "/\\host" like "//host", so backslashes are refused too.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr or "",
                                         device=sessions.known_device(form.email.data))
        except RuleViolation as error:
            refused(error)
        else:
            if user.totp_enabled:  # not signed in until the code is checked
                sessions.begin_second_step(user, _safe_next(request.args.get("next")))
                return redirect(url_for("two_factor.verify"))
            sessions.sign_in(user)  # a fresh session: no session fixation
            return sessions.remember_device(redirect(_safe_next(request.args.get("next"))), user)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    sessions.end_this_session()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("home.index"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere():
    services.sign_out_everywhere(current_user)
    sessions.sign_out()
    flash(_("Bạn đã đăng xuất khỏi mọi thiết bị."), "info")
    return redirect(url_for("home.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except RuleViolation as error:
            refused(error, form.new_password)
        else:
            sessions.keep_signed_in(current_user)  # every other session of this account has ended
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


@bp.get("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))
