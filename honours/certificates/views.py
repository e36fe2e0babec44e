"""The secretariat's certificates of a published round (template, codes, downloads, revocation) and the public
verification page /xac-minh/<code>."""
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from honours.core import ratelimit, roles, signing
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.web import require_role
from honours.nominations.models import Dossier
from honours.rounds.models import Round

from . import render, services
from .forms import ReasonForm, TemplateForm
from .models import Certificate
from .workflows import ISSUED

bp = Blueprint("certificates", __name__)


def _round(round_id: int) -> Round:
    return db.session.get(Round, round_id) or abort(404)


def _pdf(round_: Round, items, file_stem: str):
    response = make_response(signing.sign_pdf(render.round_pdf(round_, items)))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{file_stem}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/certificates/rounds/<int:round_id>", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def round_page(round_id: int):
    round_ = _round(round_id)
    template = services.template_of(round_)
    # Posted: only what was sent (a field left out is not the saved value again).
    form = TemplateForm(obj=template) if request.method == "GET" else TemplateForm()
    if form.validate_on_submit():
        try:
            services.save_template(current_user, round_, title=form.title.data, text=form.text.data,
                                   signer_capacity=form.signer_capacity.data or "",
                                   signer_title=form.signer_title.data, signer_name=form.signer_name.data or "",
                                   logo=request.files.get("logo"), remove_logo=form.remove_logo.data)
            db.session.commit()
            flash(_("Đã lưu mẫu giấy chứng nhận."), "success")
            return redirect(url_for("certificates.round_page", round_id=round_.id))
        except RuleViolation as error:
            db.session.rollback()
            form.logo.errors = [str(error)]
    people = services.honourees(round_)
    certificates = services.certificates_by_dossier(d.id for d in people)
    return render_template("certificates/round.html", round=round_, form=form, template=template, people=people,
                           certificates=certificates)


@bp.post("/certificates/rounds/<int:round_id>/issue")
@require_role(roles.SECRETARIAT)
def issue(round_id: int):
    round_ = _round(round_id)
    try:
        count = services.issue_codes(current_user, round_)
        db.session.commit()
        flash(_("Đã cấp mã xác minh cho %(count)s người.", count=count), "success")
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("certificates.round_page", round_id=round_.id))


@bp.get("/certificates/rounds/<int:round_id>/all.pdf")
@require_role(roles.SECRETARIAT)
def download_all(round_id: int):
    round_ = _round(round_id)
    people = services.honourees(round_)
    certificates = services.certificates_by_dossier(d.id for d in people)
    # Listed honourees hold their honour: a certificate of theirs is revoked only by the secretariat.
    items = [(d, certificates[d.id], certificates[d.id].state != ISSUED) for d in people if d.id in certificates]
    if not items:
        flash(_("Chưa có giấy chứng nhận nào: hãy cấp mã xác minh trước."), "warning")
        return redirect(url_for("certificates.round_page", round_id=round_.id))
    return _pdf(round_, items, f"giay-chung-nhan-{round_.year}")


def _certificate(certificate_id: int) -> Certificate:
    return db.session.get(Certificate, certificate_id, options=[
        joinedload(Certificate.dossier).joinedload(Dossier.round)]) or abort(404)


@bp.get("/certificates/<int:certificate_id>.pdf")
@require_role(roles.SECRETARIAT)
def download(certificate_id: int):
    certificate = _certificate(certificate_id)
    return _pdf(certificate.dossier.round, [(certificate.dossier, certificate, not services.is_valid(certificate))],
                f"giay-chung-nhan-{certificate.code}")


@bp.route("/certificates/<int:certificate_id>/status", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def status(certificate_id: int):
    certificate = _certificate(certificate_id)
    action = "revoke" if certificate.state == ISSUED else "reinstate"
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.change_state(current_user, certificate, action, form.reason.data)
            db.session.commit()
            flash(_("Đã thu hồi giấy chứng nhận.") if action == "revoke" else _("Đã khôi phục giấy chứng nhận."),
                  "success")
            return redirect(url_for("certificates.round_page", round_id=certificate.dossier.round_id))
        except RuleViolation as error:
            db.session.rollback()
            form.reason.errors = [str(error)]
    return render_template("certificates/status.html", certificate=certificate, form=form, action=action)


@bp.get("/xac-minh/<verification_code>")
def verify(verification_code: str):
    config = current_app.config
    # Every attempt counts, found or not, before the lookup: a throttled client learns nothing about any code.
    if not ratelimit.allow("certificate-verify", request.remote_addr or "", config["CERTIFICATE_VERIFY_PER_IP"],
                           timedelta(minutes=config["CERTIFICATE_VERIFY_WINDOW_MINUTES"])):
        return render_template("certificates/verify.html", found=None, throttled=True), 429
    found = services.verification(verification_code)
    if found is None:
        return render_template("certificates/verify.html", found=None, throttled=False), 404
    return render_template("certificates/verify.html", found=found, throttled=False)
