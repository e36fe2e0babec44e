"""HTTP plumbing every page shares: login redirects, error pages, response headers, trusted proxies."""
import ipaddress

from flask import Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from jinja2 import pass_context
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.middleware.proxy_fix import ProxyFix

from honours.config import uses_default_secret_key

from .db import commit_if_written, db
from .extensions import login_manager
from .forms import error_entries, forms_with_errors
from .navigation import current_nav_item
from .urls import link_args, register_converters

# No inline script or style anywhere (tests/test_security_headers.py scans the templates and the pages):
# JavaScript and CSS come from static/ only, so an injected <script> or on*= attribute does not run.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
))
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]", "::1"}
# Headers a reverse proxy adds: a request that went through one did not come from this machine's own user.
PROXY_HEADERS = ("X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Forwarded")


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def from_this_machine() -> bool:
    """The request came straight from this machine to a loopback address (no proxy, no public host name)."""
    host = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else request.host.split("]")[0] + "]"
    return (_is_loopback(request.remote_addr or "") and host.lower() in LOOPBACK_NAMES
            and not any(name in request.headers for name in PROXY_HEADERS))


def refuse_the_default_key_off_loopback():
    """With the published default SECRET_KEY anyone can forge a session cookie for any account: such an app
    answers only its own machine (a developer's `flask run`), whatever HONOURS_ENV says."""
    if uses_default_secret_key(current_app.config) and not from_this_machine():
        message = _("Máy chủ đang dùng khoá bí mật mặc định nên chỉ phục vụ máy tính cục bộ. Quản trị viên cần "
                    "đặt SECRET_KEY (xem README).")
        return render_template("error.html", code=503, title=_("Máy chủ chưa được cấu hình"), message=message), 503
    return None


def signed_in_pages_are_not_stored(response):
    """A page for a signed-in user (Flask-Login's key in the session) never stays in a shared or browser cache:
    after signing out, Back or another user of the computer must not show it again."""
    if "_user_id" in session and "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "private, no-store"
    return response


def init_http(app: Flask) -> None:
    """Error pages, headers and the commit of every request; the WSGI wrappers come last (wrap_wsgi)."""
    register_converters(app)
    app.jinja_env.globals["link_args"] = link_args
    app.jinja_env.globals["forms_with_errors"] = pass_context(forms_with_errors)
    app.jinja_env.globals["error_entries"] = error_entries
    app.jinja_env.globals["current_nav_item"] = current_nav_item
    app.before_request(refuse_the_default_key_off_loopback)
    app.after_request(signed_in_pages_are_not_stored)

    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    @login_manager.unauthorized_handler
    def unauthorized():
        flash(_("Vui lòng đăng nhập để tiếp tục."), "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))

    def error_page(code: int, title: str, message: str):
        return render_template("error.html", code=code, title=title, message=message), code

    @app.before_request
    def refuse_nul_in_query():
        # PostgreSQL refuses NUL in text (a 500 deep in a search); no legitimate link carries one.
        if any("\x00" in value for value in request.args.values()):
            abort(400)

    app.register_error_handler(400, lambda e: error_page(
        400, _("Yêu cầu không hợp lệ"), _("Địa chỉ hoặc dữ liệu gửi lên không hợp lệ.")))
    app.register_error_handler(403, lambda e: error_page(
        403, _("Không có quyền truy cập"), _("Tài khoản của bạn không được phép xem trang này.")))
    app.register_error_handler(404, lambda e: error_page(
        404, _("Không tìm thấy"), _("Trang hoặc hồ sơ bạn tìm không tồn tại.")))
    app.register_error_handler(405, lambda e: error_page(
        405, _("Thao tác không hợp lệ"), _("Phương thức yêu cầu không được hỗ trợ.")))
    app.register_error_handler(413, lambda e: error_page(
        413, _("Tệp quá lớn"),
        _("Tệp tải lên vượt quá dung lượng cho phép %(mb)s MB. Không có dữ liệu nào bị thay đổi.",
          mb=app.config["MAX_ATTACHMENT_BYTES"] // (1024 * 1024))))
    app.register_error_handler(CSRFError, lambda e: error_page(
        400, _("Phiên làm việc đã hết hạn"),
        _("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng quay lại, tải lại trang và thử lại.")))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return error_page(500, _("Lỗi hệ thống"), _("Đã có lỗi xảy ra. Vui lòng thử lại sau ít phút."))

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error):
        """Database down or unreachable: a clean 503, the session rolled back; the pool (pre-ping) reconnects
        by itself on a later request once the database is back."""
        if isinstance(error, DBAPIError) and not (isinstance(error, OperationalError) or error.connection_invalidated):
            raise error  # a genuine bug (integrity, programming error): the ordinary 500 path
        app.logger.error("Database unavailable: %s", error)
        try:
            db.session.rollback()
        except Exception:  # nosec B110 # the connection is already gone; the pool discards it
            pass
        g._login_user = login_manager.anonymous_user()  # the page must not query the database again
        title, message = _("Hệ thống tạm thời gián đoạn"), _(
            "Không kết nối được cơ sở dữ liệu. Thao tác vừa rồi có thể chưa được lưu; vui lòng thử lại sau ít phút.")
        try:
            body = render_template("error.html", code=503, title=title, message=message)
        except Exception:
            body = f"<!doctype html><meta charset=utf-8><title>{escape(title)}</title><h1>{escape(title)}</h1>" \
                   f"<p>{escape(message)}</p>"
        return body, 503, {"Retry-After": "30"}

    @app.after_request
    def commit_the_request(response):
        """The one place a request's changes are committed: services only flush, so that they compose and a
        refused step leaves nothing half-done. An answer of 400 or more commits nothing."""
        if response.status_code < 400:
            commit_if_written(db.session)
        else:
            db.session.rollback()
        return response

    @app.after_request
    def security_headers(response):
        # setdefault: a view may send a stricter value of its own.
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if app.config["PRODUCTION"]:  # served over HTTPS only (behind the TLS proxy); never HTTP again
            headers.setdefault("Strict-Transport-Security",
                               f"max-age={app.config['HSTS_MAX_AGE']}; includeSubDomains")
        return response


def wrap_wsgi(app: Flask) -> None:
    """After every feature has wrapped the app (the public page cache): the proxy headers are read, and the
    script root fixed, before anything else sees the request."""
    trust_proxies(app)
    app.wsgi_app = FixedScriptRoot(app.wsgi_app, app.config["SCRIPT_ROOT"])


class FixedScriptRoot:
    """SCRIPT_NAME (the prefix every link starts with) is the operator's setting, never the client's.

    gunicorn fills SCRIPT_NAME from a request header of that name (from the proxy addresses it trusts) and strips
    it off the path: a client sending `SCRIPT_NAME: //evil.example` would get links to //evil.example/login, and so
    would everyone given the same page from a cache. The path is put back together and split again at SCRIPT_ROOT
    (empty: the app at the root of its host)."""

    def __init__(self, wsgi_app, root: str):
        self.wsgi_app, self.root = wsgi_app, root.rstrip("/")

    def __call__(self, environ, start_response):
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if self.root and (path == self.root or path.startswith(self.root + "/")):
            environ["SCRIPT_NAME"], environ["PATH_INFO"] = self.root, path[len(self.root):]
        else:
            environ["SCRIPT_NAME"], environ["PATH_INFO"] = "", path
        return self.wsgi_app(environ, start_response)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address, scheme and host from the
    X-Forwarded-* headers they set (login throttling counts per request.remote_addr). With 0 the headers are
    ignored: anyone can send them, and trusting them would let a client choose its own address."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
