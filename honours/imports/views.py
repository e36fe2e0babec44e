"""Excel import pages: nominators import dossiers as drafts; the secretariat imports accounts."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.text import slugify
from honours.core.urls import query_id
from honours.core.web import refused, require_role
from honours.nominations.services import open_rounds, quotas
from honours.rounds.models import Round

from . import accounts as account_imports
from . import background, reports
from . import nominations as dossier_imports
from .forms import NO_ROUND, AccountImportForm, DossierImportForm
from .uploads import read_upload, xlsx_download

bp = Blueprint("imports", __name__, url_prefix="/import")
SHOWN_PROBLEMS = 500  # the page lists the first ones; the downloadable report has them all


def _report_page(kind: str, outcome, back: str, with_sheet: bool):
    problems = outcome.sorted_problems()
    token = reports.save(kind, current_user, problems, with_sheet)
    endpoint = "imports.dossier_report" if kind == "dossiers" else "imports.account_report"
    return render_template("imports/report.html", problems=problems[:SHOWN_PROBLEMS], total=len(problems),
                           notes=outcome.notes, with_sheet=with_sheet, back=back,
                           download=url_for(endpoint, report_token=token)), 422


# ---------------------------------------------------------------- dossiers (nominators)

@bp.route("/dossiers", methods=["GET", "POST"])
@require_role(roles.NOMINATOR)
def dossiers():
    rounds = open_rounds()
    form = DossierImportForm(round_id=query_id("round_id"))
    form.round_id.choices = [(r.id, r.name) for r in rounds]
    if form.validate_on_submit():
        try:
            data, filename = read_upload(form)
            if background.in_background(data):  # a few hundred rows or more: the worker does it, with progress
                job = background.start_dossier_import(current_user, form.round_id.data, data, filename)
                flash(_("Tệp đã được nhận và đang được kiểm tra ở chế độ nền; kết quả sẽ có ở trang này."), "success")
                return redirect(url_for("jobs.show", job_id=job.id))
            outcome = dossier_imports.import_dossiers(current_user, form.round_id.data, data, filename)
        except RuleViolation as error:
            refused(error, form.file)
        else:
            if not outcome.ok:
                return _report_page("dossiers", outcome, url_for("imports.dossiers"), with_sheet=False)
            round_ = db.session.get(Round, form.round_id.data)
            return render_template("imports/dossiers_done.html", outcome=outcome, round=round_,
                                   count=outcome.created["dossiers"])
    status = 422 if form.errors else 200
    used = quotas(current_user.organisation, [r.id for r in rounds])  # "used/limit" per round
    return render_template("imports/dossiers.html", form=form, rounds=rounds, quotas=used), status


@bp.get("/dossiers/<int:round_id>/template.xlsx")
@require_role(roles.NOMINATOR)
def dossier_template(round_id: int):
    round_ = next((r for r in open_rounds() if r.id == round_id), None)
    if round_ is None:
        flash(_("Đợt xét này hiện không nhận hồ sơ."), "warning")
        return redirect(url_for("imports.dossiers"))
    return xlsx_download(dossier_imports.template(round_), f"mau-ho-so-de-cu-{slugify(round_.name, 'dot-xet')}.xlsx")


@bp.get("/dossiers/report/<report_token>.xlsx")
@require_role(roles.NOMINATOR)
def dossier_report(report_token: str):
    return _send_report("dossiers", report_token)


def _send_report(kind: str, token: str):
    path = reports.find(kind, current_user, token)
    if path is None:
        abort(404)
    with open(path, "rb") as stored:
        return xlsx_download(stored.read(), f"bao-cao-loi-nhap-{kind}.xlsx")


# ---------------------------------------------------------------- accounts (secretariat)

def _all_rounds() -> list[Round]:
    return list(db.session.scalars(select(Round).order_by(Round.year.desc(), Round.id.desc())))


@bp.route("/accounts", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def accounts():
    rounds = _all_rounds()
    form = AccountImportForm()
    form.set_rounds(rounds)
    if form.validate_on_submit():
        round_ = db.session.get(Round, form.round_id.data) if form.round_id.data != NO_ROUND else None
        try:
            data, filename = read_upload(form)
            outcome = account_imports.import_accounts(current_user, round_, data, filename)
        except RuleViolation as error:
            refused(error, form.file)
        else:
            if not outcome.ok:
                return _report_page("accounts", outcome, url_for("imports.accounts"), with_sheet=True)
            return render_template("imports/accounts_done.html", outcome=outcome, round=round_)
    status = 422 if form.errors else 200
    return render_template("imports/accounts.html", form=form, rounds=rounds,
                           organisation_sheet=account_imports.ORGANISATION_SHEET,
                           council_sheet=account_imports.COUNCIL_SHEET,
                           organisation_columns=account_imports.ORGANISATION_COLUMNS,
                           council_columns=account_imports.COUNCIL_COLUMNS), status


@bp.get("/accounts/template.xlsx")
@require_role(roles.SECRETARIAT)
def account_template():
    round_id = query_id("round_id")
    round_ = db.session.get(Round, round_id) if round_id else None
    suffix = f"-{slugify(round_.name, 'dot-xet')}" if round_ else ""
    return xlsx_download(account_imports.template(round_), f"mau-tai-khoan{suffix}.xlsx")


@bp.get("/accounts/report/<report_token>.xlsx")
@require_role(roles.SECRETARIAT)
def account_report(report_token: str):
    return _send_report("accounts", report_token)
