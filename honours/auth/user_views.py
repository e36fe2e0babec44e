"""Account management: the admin manages every account; the secretariat manages council and nominator accounts."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.pagination import page_number
from honours.core.web import refused, require_role
from honours.organisations.models import Organisation

from . import invitations, services
from .forms import UserForm
from .models import User

bp = Blueprint("users", __name__, url_prefix="/users")
MANAGERS = (roles.ADMIN, roles.SECRETARIAT)


def _role_choices():
    allowed = roles.ALL_ROLES if current_user.role == roles.ADMIN else (roles.COUNCIL, roles.NOMINATOR)
    return [(role, roles.ROLE_LABELS[role]) for role in allowed]


@bp.get("/")
@require_role(*MANAGERS)
def index():
    page = db.paginate(
        select(User).options(joinedload(User.organisation)).order_by(User.role, User.email),
        page=page_number(), per_page=50, error_out=False,
    )
    return render_template("users/index.html", page=page, invitation_pending=invitations.is_pending)


@bp.route("/new", methods=["GET", "POST"])
@require_role(*MANAGERS)
def create():
    form = UserForm()
    form.role.choices = _role_choices()
    organisations = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    form.organisation_id.choices = [(0, "—")] + [(o.id, o.name) for o in organisations]
    if form.validate_on_submit():
        try:
            services.create_user(form.email.data, form.full_name.data, form.role.data, form.password.data,
                                 organisation_id=form.organisation_id.data or None, is_chair=form.is_chair.data,
                                 actor=current_user)
        except RuleViolation as error:
            refused(error)
        else:
            flash(_("Đã tạo tài khoản %(email)s.", email=form.email.data), "success")
            return redirect(url_for("users.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("users/form.html", form=form), status


@bp.post("/<int:user_id>/active")
@require_role(*MANAGERS)
def toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    try:
        services.set_active(current_user, user, not user.active)
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã mở khoá tài khoản.") if user.active else _("Đã khoá tài khoản."), "success")
    return redirect(url_for("users.index"))
