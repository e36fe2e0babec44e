from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import small_int
from honours.core.web import refused, require_role

from . import services
from .forms import RoundForm
from .models import Round
from .signals import round_page_sections

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


@bp.get("/")
@require_role(roles.SECRETARIAT)
def index():
    return render_template("rounds/index.html", rounds=services.list_rounds())


@bp.get("/<int:round_id>")
@require_role(roles.SECRETARIAT)
def show(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    sections = [section for _receiver, section in round_page_sections.send(round_)]
    return render_template("rounds/show.html", round=round_, sections=sections)


@bp.route("/new", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def create():
    return _edit(None)


@bp.route("/<int:round_id>/edit", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def edit(round_id: int):
    return _edit(db.get_or_404(Round, round_id))


def _edit(round_: Round | None):
    form = RoundForm(obj=round_)
    if request.method == "POST" and _add_row_requested(form):
        return render_template("rounds/form.html", form=form, round=round_)
    if form.validate_on_submit():
        try:
            round_ = services.save_round(current_user, _round_data(form), round_)
        except RuleViolation as error:
            refused(error)
        else:
            flash(_("Đã lưu đợt xét."), "success")
            return redirect(url_for("rounds.show", round_id=round_.id))
    status = 422 if request.method == "POST" else 200
    return render_template("rounds/form.html", form=form, round=round_), status


def _add_row_requested(form: RoundForm) -> bool:
    """The no-JavaScript "add a row" buttons re-render the form with one more empty row, saving nothing."""
    if "add_field" in request.form:
        form.fields.append_entry()
        return True
    if "add_criterion" in request.form:
        form.criteria.append_entry()
        return True
    return False


def _row_id(value) -> int | None:
    return small_int(value)


def _round_data(form: RoundForm) -> services.RoundData:
    scalars = {name: form[name].data for name in services.SCALAR_FIELDS}
    scalars["description"] = scalars["description"] or ""
    scalars["score_decimals"] = scalars["score_decimals"] or 0
    scalars["deviation_flag_percent"] = scalars["deviation_flag_percent"] or 20
    fields = [
        services.FieldRow(name=row.form.name.data.strip(), quota=row.form.quota.data or 0, id=_row_id(row.form.id.data))
        for row in form.fields
        if not row.form.remove.data and (row.form.name.data or "").strip()
    ]
    criteria = [
        services.CriterionRow(
            name=row.form.name.data.strip(), description=row.form.description.data or "",
            max_points=row.form.max_points.data or Decimal(0), weight=row.form.weight.data or Decimal(0),
            id=_row_id(row.form.id.data),
        )
        for row in form.criteria
        if not row.form.remove.data and (row.form.name.data or "").strip()
    ]
    return services.RoundData(**scalars, fields=fields, criteria=criteria)
