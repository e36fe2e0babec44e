from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.pagination import paginate
from honours.core.web import refused, require_role

from . import services
from .forms import OrganisationForm
from .models import Organisation

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
MANAGERS = (roles.ADMIN, roles.SECRETARIAT)


@bp.get("/")
@require_role(*MANAGERS)
def index():
    query = select(Organisation).order_by(Organisation.name)
    if request.args.get("type"):
        query = query.where(Organisation.org_type == request.args["type"])
    page = paginate(query, 50)
    return render_template("organisations/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@require_role(*MANAGERS)
def create():
    return _edit(None)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@require_role(*MANAGERS)
def edit(organisation_id: int):
    return _edit(db.get_or_404(Organisation, organisation_id))


def _edit(organisation: Organisation | None):
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            services.save_organisation(current_user, form.data, organisation)
        except RuleViolation as error:
            refused(error, form.name)
        else:
            flash(_("Đã lưu đơn vị."), "success")
            return redirect(url_for("organisations.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("organisations/form.html", form=form, organisation=organisation), status
