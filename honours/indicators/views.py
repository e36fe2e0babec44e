"""The secretariat's indicators dashboard and the annual report (Excel, PDF)."""
from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _

from honours.core import roles
from honours.core.forms import small_int
from honours.core.web import require_role

from . import exports, services
from .charts import all_charts
from .forms import SelectionForm
from .tables import all_tables, definitions

bp = Blueprint("indicators", __name__, url_prefix="/chi-so")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number_arg(name: str) -> tuple[int | None, bool]:
    """(value, malformed): an empty or missing parameter is no choice; text that is not a number is malformed."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None, False
    number = small_int(raw)
    return (number, False) if number is not None else (None, True)


@bp.get("/")
@require_role(roles.SECRETARIAT)
def dashboard():
    year, bad_year = _number_arg("year")
    round_id, bad_round = _number_arg("round_id")
    data = services.dashboard(year, round_id or None)
    notices = []
    if bad_year or data.ignored_year is not None:
        notices.append(_("Không có số liệu của năm được chọn; đang hiển thị năm %(year)s.", year=data.year))
    if bad_round or data.ignored_round:
        notices.append(_("Đợt xét được chọn không thuộc năm %(year)s; đang hiển thị số liệu cả năm.",
                         year=data.year))
    chosen = data.honours.round
    form = SelectionForm(formdata=None, data={"year": data.year, "round_id": chosen.id if chosen else 0})
    form.year.choices = [(y, str(y)) for y in data.years]
    form.round_id.choices = [(0, _("Cả năm"))] + [(r.id, r.name) for r in data.rounds]
    tables = {t.key: t for t in all_tables(data.honours, data.talent)}
    return render_template("indicators/dashboard.html", data=data, form=form, notices=notices, tables=tables,
                           charts=all_charts(data.honours, data.talent),
                           definitions=definitions(data.year, data.honours.young_born_from),
                           report_deadline=exports.report_deadline(data.year))


def _report(report_year: int, extension: str, mimetype: str, build):
    figures = services.report(report_year)
    if figures is None:
        abort(404)
    response = current_app.response_class(build(*figures), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="bao-cao-chi-so-{report_year}.{extension}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/bao-cao/<int:report_year>.xlsx")
@require_role(roles.SECRETARIAT)
def report_xlsx(report_year: int):
    return _report(report_year, "xlsx", XLSX, exports.to_xlsx)


@bp.get("/bao-cao/<int:report_year>.pdf")
@require_role(roles.SECRETARIAT)
def report_pdf(report_year: int):
    return _report(report_year, "pdf", "application/pdf", exports.to_pdf)
