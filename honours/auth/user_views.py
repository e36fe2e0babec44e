"""Account management: the admin manages every account; the secretariat manages council and nominator accounts."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from honours.core import roles
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.pagination import page_number
from honours.core.text import fold
from honours.core.web import confirmation_page, confirmed, refused, require_role
from honours.organisations.models import Organisation

from . import accounts, invitations, services
from .forms import UserForm
from .models import User

bp = Blueprint("users", __name__, url_prefix="/users")
MANAGERS = (roles.ADMIN, roles.SECRETARIAT)
PER_PAGE = 50
MAX_SEARCH = 100
STATUSES = ("active", "locked", "invited")


def _role_choices():
    allowed = accounts.roles_for(current_user)
    return [("", _("— Chọn vai trò —"))] + [(role, roles.ROLE_LABELS[role]) for role in allowed]


def _form(obj=None) -> UserForm:
    form = UserForm(obj=obj)
    form.role.choices = _role_choices()
    organisations = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    form.organisation_id.choices = [(0, "—")] + [(o.id, o.name) for o in organisations]
    if obj is not None and request.method == "GET":
        form.organisation_id.data = obj.organisation_id or 0
    return form


def _contains(text: str) -> str:
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@bp.get("/")
@require_role(*MANAGERS)
def index():
    """Accounts by role, then by email in natural order (donvi2 before donvi10: User.email_sort_key), searched by
    name or email without regard to case or diacritics (User.search_text), filtered by status."""
    q = request.args.get("q", "").strip()[:MAX_SEARCH]
    status = request.args.get("status", "")
    statement = select(User).options(joinedload(User.organisation))
    if q:
        statement = statement.where(User.search_text.like(_contains(q), escape="\\"))
    if status == "active":
        statement = statement.where(User.active.is_(True))
    elif status == "locked":
        statement = statement.where(User.active.is_(False))
    elif status == "invited":
        statement = statement.where(User.password_hash.startswith(invitations.INVITED_PREFIX, autoescape=True))
    page = db.paginate(statement.order_by(User.role, User.email_sort_key, User.email),
                       page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_template("users/index.html", page=page, invitation_pending=invitations.is_pending, q=q,
                           status=status if status in STATUSES else "")


@bp.route("/new", methods=["GET", "POST"])
@require_role(*MANAGERS)
def create():
    form = _form()
    if form.validate_on_submit():
        try:
            user = accounts.invite_user(current_user, form.email.data, form.full_name.data, form.role.data,
                                        organisation_id=form.organisation_id.data or None,
                                        is_chair=form.is_chair.data)
        except RuleViolation as error:
            refused(error)
        else:
            flash(_("Đã tạo tài khoản %(email)s và gửi thư mời đặt mật khẩu tới địa chỉ này.", email=user.email),
                  "success")
            return redirect(url_for("users.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("users/form.html", form=form, user=None), status


def _manageable_or_404(user_id: int) -> User:
    """The secretariat does not manage admin and secretariat accounts: they are not found from its pages."""
    user = db.get_or_404(User, user_id)
    if current_user.role != roles.ADMIN and user.role in (roles.ADMIN, roles.SECRETARIAT):
        abort(404)
    return user


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@require_role(*MANAGERS)
def edit(user_id: int):
    user = _manageable_or_404(user_id)
    form = _form(obj=user)
    if form.validate_on_submit():
        try:
            changed = accounts.update_user(current_user, user, form.email.data, form.full_name.data, form.role.data,
                                           form.organisation_id.data or None, form.is_chair.data)
        except RuleViolation as error:
            refused(error)
        else:
            flash(_("Đã lưu thay đổi của tài khoản %(email)s.", email=user.email) if changed
                  else _("Không có thay đổi nào."), "success" if changed else "info")
            return redirect(url_for("users.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("users/form.html", form=form, user=user), status


@bp.post("/<int:user_id>/active")
@require_role(*MANAGERS)
def toggle_active(user_id: int):
    """The form says which way (active=0 locks, 1 unlocks): a confirmation posted after someone else's change
    does not flip the account back."""
    user = db.get_or_404(User, user_id)
    wanted = request.form.get("active")
    if wanted not in ("0", "1"):
        flash(_("Yêu cầu không hợp lệ, vui lòng thử lại từ danh sách tài khoản."), "danger")
        return redirect(url_for("users.index"))
    try:
        services.set_active(current_user, user, wanted == "1", confirmed=confirmed())
    except ConfirmationNeeded as error:
        title = _("Mở khoá tài khoản?") if wanted == "1" else _("Khoá tài khoản?")
        button = _("Xác nhận mở khoá") if wanted == "1" else _("Xác nhận khoá")
        return confirmation_page(error, title, url_for("users.index"), button)
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã mở khoá tài khoản %(email)s.", email=user.email) if user.active
              else _("Đã khoá tài khoản %(email)s.", email=user.email), "success")
    return redirect(url_for("users.index"))
