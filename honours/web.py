"""Blueprints, login manager, error pages and response headers."""
from flask import Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from .extensions import db, login_manager


def init_web(app: Flask) -> None:
    from .auth.models import User
    from .auth.user_views import bp as users_bp
    from .auth.views import bp as auth_bp
    from .eligibility.views import bp as eligibility_bp
    from .home.views import bp as home_bp
    from .nominations.views import bp as nominations_bp
    from .organisations.views import bp as organisations_bp
    from .council.views import bp as council_bp
    from .publication.views import bp as publication_bp
    from .reviews.scoring_views import bp as scoring_bp
    from .reviews.views import bp as reviews_bp
    from .rounds.views import bp as rounds_bp

    for blueprint in (home_bp, auth_bp, users_bp, organisations_bp, rounds_bp, nominations_bp, eligibility_bp,
                      reviews_bp, scoring_bp, council_bp, publication_bp):
        app.register_blueprint(blueprint)

    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id))

    @login_manager.unauthorized_handler
    def unauthorized():
        flash(_("Vui lòng đăng nhập để tiếp tục."), "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))

    def error_page(code: int, title: str, message: str):
        return render_template("error.html", code=code, title=title, message=message), code

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

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
