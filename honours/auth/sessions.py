"""What the login session holds: a fresh session at each sign-in, the idle timeout, the pending second login
step, and the forced two-factor enrolment. Request-level glue, kept out of the services."""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from honours.core import clock

LAST_SEEN = "last_seen"
SESSION_ID = "sid"
PENDING = "two_factor_pending"
# The idle clock is only written back when it is this stale: most requests leave the cookie untouched.
TOUCH_EVERY = timedelta(seconds=60)
# Where a user of a role that requires two-factor login may go before enrolling.
ENROLMENT_ENDPOINTS = {"two_factor.settings", "two_factor.enable", "auth.logout", "auth.set_language", "static"}


def fresh_session() -> None:
    """Drop everything from the old session except the language the user chose (no session fixation)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def sign_in(user) -> None:
    fresh_session()
    login_user(user)
    # A new random identifier per sign-in: the cookie never repeats an earlier session's, even for the same
    # user in the same second (useful to correlate a session across logs, too).
    session[SESSION_ID] = secrets.token_urlsafe(16)
    session[LAST_SEEN] = clock.now().isoformat()


def sign_out() -> None:
    logout_user()
    fresh_session()


@dataclass
class PendingLogin:
    user_id: int
    next_url: str


def begin_second_step(user, next_url: str) -> None:
    """The password was right; the user is not signed in until the second step passes."""
    fresh_session()
    expires = clock.now() + timedelta(minutes=current_app.config["TWO_FACTOR_PENDING_MINUTES"])
    session[PENDING] = {"user_id": user.id, "expires": expires.isoformat(), "next": next_url}


def pending_login() -> PendingLogin | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    expires = _parse(pending.get("expires"))
    if expires is None or clock.now() > expires:
        session.pop(PENDING, None)
        return None
    return PendingLogin(int(pending["user_id"]), pending.get("next") or url_for("home.index"))


def clear_pending() -> None:
    session.pop(PENDING, None)


def _parse(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _check_session():
    if request.endpoint in ("static", "health.check") or not current_user.is_authenticated:
        return None
    now = clock.now()
    last_seen = _parse(session.get(LAST_SEEN))
    idle_limit = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if last_seen is not None and now - last_seen > idle_limit:
        sign_out()
        flash(_("Phiên làm việc đã kết thúc vì không hoạt động quá %(minutes)s phút. Vui lòng đăng nhập lại.",
                minutes=current_app.config["SESSION_IDLE_MINUTES"]), "warning")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    if last_seen is None or not timedelta(0) <= now - last_seen < TOUCH_EVERY:
        session[LAST_SEEN] = now.isoformat()
    if request.endpoint not in ENROLMENT_ENDPOINTS:
        from .two_factor import must_enrol

        if must_enrol(current_user):
            flash(_("Vai trò của bạn bắt buộc xác thực hai bước. Vui lòng bật trước khi tiếp tục."), "warning")
            return redirect(url_for("two_factor.settings"))
    return None


def init_sessions(app: Flask) -> None:
    app.before_request(_check_session)
