"""Lodging a complaint (the organisation signed in, the nominee by emailed link) and the secretariat's register."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from honours.core import clock, roles
from honours.core.audit import history
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.web import refused, require_role
from honours.nominations.models import Dossier

from . import services
from .forms import ComplaintForm, LinkRequestForm, handle_form
from .models import Complaint

bp = Blueprint("complaints", __name__, url_prefix="/khieu-nai")


def _lodge_page(dossier: Dossier, form: ComplaintForm, status: int, template_args: dict):
    return render_template("complaints/lodge.html", dossier=dossier, form=form,
                           period=services.complaint_period(dossier), now=clock.now(),
                           complaints=services.of_dossier(dossier.id), **template_args), status


def _lodge(dossier: Dossier, done_url: str, template_args: dict, **who):
    form = ComplaintForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.lodge(dossier, form.content.data, **who)
        except RuleViolation as error:
            status = refused(error, form[error.field] if getattr(error, "field", None) else None)
        else:
            flash(_("Đã gửi khiếu nại. Ban thư ký sẽ trả lời việc thụ lý trong thời hạn luật định."), "success")
            return redirect(done_url)
    elif request.method == "POST":
        status = 422
    return _lodge_page(dossier, form, status, template_args)


@bp.route("/ho-so/<int:dossier_id>", methods=["GET", "POST"])
@require_role(roles.NOMINATOR)
def lodge(dossier_id: int):
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or dossier.organisation_id != current_user.organisation_id:
        abort(404)
    return _lodge(dossier, url_for("complaints.lodge", dossier_id=dossier_id), {}, actor=current_user)


@bp.route("/nguoi-duoc-de-cu", methods=["GET", "POST"])
def request_link():
    form = LinkRequestForm()
    status = 200
    if form.validate_on_submit():
        if services.send_links(form.email.data, request.remote_addr or ""):
            flash(_("Nếu email này có trong hồ sơ đề cử có quyết định còn trong thời hạn khiếu nại, bạn sẽ nhận "
                    "được liên kết gửi khiếu nại."), "success")
            return redirect(url_for("complaints.request_link"))
        flash(_("Bạn đã yêu cầu nhiều lần trong thời gian ngắn. Vui lòng thử lại sau."), "danger")
        status = 429
    elif request.method == "POST":
        status = 422
    return render_template("complaints/request_link.html", form=form), status


@bp.route("/lien-ket/<token>", methods=["GET", "POST"])
def lodge_by_link(token: str):
    found = services.dossier_for_token(token)
    if found is None:
        abort(404)
    dossier, email = found
    return _lodge(dossier, url_for("complaints.lodge_by_link", token=token), {"by_link": True},
                  nominee_email=email)


@bp.get("/")
@require_role(roles.SECRETARIAT)
def index():
    return render_template("complaints/index.html", complaints=services.index(), now=clock.now())


@bp.route("/<int:complaint_id>", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def show(complaint_id: int):
    complaint = db.get_or_404(Complaint, complaint_id)
    form = handle_form(complaint, request.form if request.method == "POST" else None)
    status = 200
    if form.validate_on_submit():
        try:
            services.handle(current_user, complaint, form.action.data, form.text.data)
        except RuleViolation as error:
            status = refused(error, form.text)
        else:
            flash(_("Đã ghi nhận bước xử lý khiếu nại."), "success")
            return redirect(url_for("complaints.show", complaint_id=complaint_id))
    elif request.method == "POST":
        status = 422
    return render_template("complaints/show.html", complaint=complaint, form=form, now=clock.now(),
                           history=history("complaint", complaint.id)), status
