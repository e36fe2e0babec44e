"""Staff-list intake pages: an organisation loads its own staff, the secretariat any list."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.pagination import page_number
from honours.core.web import refused, require_role
from honours.imports import reports
from honours.imports.uploads import read_upload, xlsx_download
from honours.organisations.models import Organisation

from . import background, services
from .forms import NO_ORGANISATION, IntakeForm

bp = Blueprint("intake", __name__, url_prefix="/import/people")
REPORT_KIND = "people"
SHOWN_PROBLEMS = 500  # the page lists the first ones; the downloadable report has them all


@bp.route("/", methods=["GET", "POST"])
@require_role(roles.NOMINATOR, roles.SECRETARIAT)
def upload():
    form = IntakeForm()
    secretariat = current_user.role == roles.SECRETARIAT
    if secretariat:
        form.set_organisations(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    else:
        del form.organisation_id
    if form.validate_on_submit():
        organisation_id = form.organisation_id.data if secretariat else None
        organisation_id = None if organisation_id == NO_ORGANISATION else organisation_id
        try:
            data, filename = read_upload(form)
            if background.in_background(data):  # a few hundred rows or more: the worker loads it, with progress
                job = background.start_intake(current_user, data, filename, organisation_id)
                flash(_("Tệp đã được nhận và đang được kiểm tra ở chế độ nền; kết quả sẽ có ở trang này."), "success")
                return redirect(url_for("jobs.show", job_id=job.id))
            outcome = services.intake(current_user, data, filename=filename, organisation_id=organisation_id)
        except RuleViolation as error:
            refused(error, form.file)
        else:
            if not outcome.ok:
                return _report_page(outcome)
            flash(_("Đã nhập danh sách %(rows)s người: %(created)s hồ sơ mới; %(matched)s người đã có trong cơ sở "
                    "dữ liệu, %(proposed)s thông tin khác được gửi Văn phòng Hội đồng xem xét.",
                    rows=outcome.intake.rows, created=outcome.created["persons"],
                    matched=outcome.created["matched"], proposed=outcome.created["proposals"]), "success")
            for note in outcome.notes:
                flash(note, "info")
            return redirect(url_for("intake.upload"))
    status = 422 if form.errors else 200
    return render_template("intake/upload.html", form=form, history=services.recent(current_user, page_number()),
                           columns=services.COLUMNS, sheet=services.SHEET), status


def _report_page(outcome):
    problems = outcome.sorted_problems()
    token = reports.save(REPORT_KIND, current_user, problems, with_sheet=False)
    return render_template("imports/report.html", problems=problems[:SHOWN_PROBLEMS], total=len(problems),
                           notes=outcome.notes, with_sheet=False, back=url_for("intake.upload"),
                           download=url_for("intake.report", report_token=token)), 422


@bp.get("/template.xlsx")
@require_role(roles.NOMINATOR, roles.SECRETARIAT)
def template():
    return xlsx_download(services.template(), "mau-danh-sach-tri-thuc.xlsx")


@bp.get("/report/<report_token>.xlsx")
@require_role(roles.NOMINATOR, roles.SECRETARIAT)
def report(report_token: str):
    path = reports.find(REPORT_KIND, current_user, report_token)
    if path is None:
        abort(404)
    with open(path, "rb") as stored:
        return xlsx_download(stored.read(), "bao-cao-loi-nhap-danh-sach.xlsx")
