"""What the login session holds: a fresh session at each sign-in, the user's session generation (bumped to sign
every session out), the idle timeout and the absolute lifetime, the pending second login step, the forced
two-factor enrolment and the "known device" cookie of browsers that signed in before. Request-level glue, kept
out of the services."""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, exists, select

from honours.core import clock
from honours.core.db import db

from .models import EndedSession, User

LAST_SEEN = "last_seen"
STARTED = "started"
GENERATION = "gen"
SESSION_ID = "sid"
PENDING = "two_factor_pending"
KNOWN_DEVICE_COOKIE = "known_device"
# The idle clock is only written back when it is this stale: most requests leave the cookie untouched.
TOUCH_EVERY = timedelta(seconds=60)
# Where a user of a role that requires two-factor login may go before enrolling.
ENROLMENT_ENDPOINTS = {"two_factor.settings", "two_factor.enable", "auth.logout", "auth.logout_everywhere",
                       "auth.set_language", "static"}


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
    session[GENERATION] = user.session_generation or 0
    session[STARTED] = session[LAST_SEEN] = clock.now().isoformat()


def keep_signed_in(user) -> None:
    """The user just ended their other sessions (password, two-step change): this one goes on."""
    session[GENERATION] = user.session_generation or 0


def sign_out() -> None:
    logout_user()
    fresh_session()


def end_this_session() -> None:
    """The logout button: this session is over for every copy of its cookie too (the session lives in the
    cookie, so the server keeps a note of the ended ones until they would have expired anyway)."""
    sid, started = session.get(SESSION_ID), _parse(session.get(STARTED))
    if sid and started:
        now = clock.now()
        db.session.execute(delete(EndedSession).where(EndedSession.until < now))
        db.session.merge(EndedSession(sid=sid, until=started + timedelta(
            hours=current_app.config["SESSION_MAX_HOURS"], minutes=1)))
    sign_out()


def load_user(user_id: str):
    """Flask-Login's user loader: the session counts only while its generation is the user's current one and it
    was not signed out (one query, as before)."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    ended = exists().where(EndedSession.sid == str(session.get(SESSION_ID, ""))).correlate(None)
    row = db.session.execute(select(User, ended).where(User.id == user_id)).first()
    if row is None or row[1] or session.get(GENERATION) != (row[0].session_generation or 0):
        return None
    return row[0]


# ---------------------------------------------------------------- known devices


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _account_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def known_device(email: str) -> str | None:
    """This browser's device identifier when it signed in to this account before (a signed cookie)."""
    cookie = request.cookies.get(KNOWN_DEVICE_COOKIE)
    if not cookie:
        return None
    try:
        payload = _device_serializer().loads(cookie, max_age=current_app.config["KNOWN_DEVICE_DAYS"] * 86400)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not hmac.compare_digest(str(payload.get("a")), _account_digest(email)):
        return None
    return str(payload.get("d") or "") or None


def remember_device(response, user):
    """After a complete sign-in: this browser is a known device of this account."""
    value = _device_serializer().dumps({"a": _account_digest(user.email), "d": secrets.token_urlsafe(16)})
    response.set_cookie(KNOWN_DEVICE_COOKIE, value, max_age=current_app.config["KNOWN_DEVICE_DAYS"] * 86400,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")
    return response


# ---------------------------------------------------------------- the second login step


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


def _back_to_login(message: str):
    sign_out()
    flash(message, "warning")
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def _check_session():
    if request.endpoint in ("static", "health.check"):
        return None
    if not current_user.is_authenticated:
        if "_user_id" in session:  # ended elsewhere (signed out everywhere, password changed, account locked)
            return _back_to_login(_("Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại."))
        return None
    now = clock.now()
    config = current_app.config
    started = _parse(session.get(STARTED))
    if started is None or now - started > timedelta(hours=config["SESSION_MAX_HOURS"]):
        return _back_to_login(_("Phiên đăng nhập đã quá %(hours)s giờ. Vui lòng đăng nhập lại.",
                                hours=config["SESSION_MAX_HOURS"]))
    last_seen = _parse(session.get(LAST_SEEN))
    idle_limit = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    if last_seen is not None and now - last_seen > idle_limit:
        return _back_to_login(_(
            "Phiên làm việc đã kết thúc vì không hoạt động quá %(minutes)s phút. Vui lòng đăng nhập lại.",
            minutes=config["SESSION_IDLE_MINUTES"]))
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
