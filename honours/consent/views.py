"""The person's consent page (public, reached only through a signed link) and the case handlers' steps: (re)send
the link, the paper form, the signed scan, the secretariat's confirmation."""
import os

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import with_id_prefix
from honours.core.web import refused, require_role
from honours.nominations.access import can_view_dossier
from honours.nominations.models import Dossier
from honours.nominations.signals import check_marking_eligible, dossier_page_sections, dossier_submitted
from honours.talent.access import can_view_referral
from honours.talent.models import Referral
from honours.talent.signals import referral_page_sections, referral_submitted

from . import services
from .forms import AskForm, RejectScanForm, ScanForm, answers, choice_name, consent_form
from .models import ConsentRequest
from .purposes import CHANNELS, DECISIONS, PURPOSES
from .workflows import CONSENT, PAPER_RECEIVED

bp = Blueprint("consent", __name__)


# ---------------------------------------------------------------- what the earlier stages ask

@dossier_submitted.connect
def _dossier_submitted(dossier, actor=None) -> None:
    services.on_submitted(dossier, actor)


@referral_submitted.connect
def _referral_submitted(referral, actor=None) -> None:
    services.on_submitted(referral, actor)


@check_marking_eligible.connect
def _refuse_without_round_consent(dossier, actor=None) -> None:
    services.round_processing_allowed(dossier)


def _section(subject, user, ask_endpoint: str, ask_args: dict) -> Markup | None:
    if user.role not in (roles.NOMINATOR, roles.SECRETARIAT) or subject.state == "draft":
        return None
    consent = services.request_for(subject)
    return Markup(render_template(  # nosec B704 # an autoescaped template
        "consent/_section.html", consent=consent, subject=subject, purposes=PURPOSES, decisions=DECISIONS,
        channels=CHANNELS, ask_form=AskForm(), scan_form=ScanForm(),
        reject_form=with_id_prefix(RejectScanForm(), "consent-reject-"),
        ask_url=url_for(ask_endpoint, **ask_args), paper_received=PAPER_RECEIVED,
        may_upload=consent is not None and CONSENT.may(user, consent, "upload_scan"),
        may_confirm=consent is not None and CONSENT.may(user, consent, "confirm_paper")))


@dossier_page_sections.connect
def _dossier_section(dossier, user=None) -> Markup | None:
    return _section(dossier, user, "consent.ask_dossier", {"dossier_id": dossier.id})


@referral_page_sections.connect
def _referral_section(referral, user=None) -> Markup | None:
    return _section(referral, user, "consent.ask_referral", {"referral_id": referral.id})


# ---------------------------------------------------------------- the person's page

def _private(response):
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


@bp.route("/dong-y/<consent_token>", methods=["GET", "POST"])
def answer(consent_token: str):
    try:
        consent = services.request_for_token(consent_token)
    except services.LinkInvalid as error:
        return _private(current_app.make_response(
            (render_template("consent/link_invalid.html", message=error.message), 410)))
    current = {code: choice.decision for code, choice in consent.current.items()}
    form = consent_form()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                services.answer(consent_token, answers(form), request.remote_addr or "")
            except RuleViolation as error:
                status = refused(error)
            else:
                current = consent.current
                flash(_("Đã ghi nhận ý kiến của ông/bà: %(choices)s.", choices="; ".join(
                    f"({p.code}) {DECISIONS[current[p.code].decision]}" for p in PURPOSES if p.code in current)),
                      "success")
                return _private(redirect(url_for("consent.answered")))
    return _private(current_app.make_response((render_template(
        "consent/answer.html", form=form, consent=consent, held=services.held_data(consent), purposes=PURPOSES,
        choice_name=choice_name, days=services.valid_days(), current=current, decisions=DECISIONS), status)))


@bp.get("/dong-y/da-ghi-nhan")
def answered():
    """Where the person lands after answering: the link is used, the choices are in the flashed message."""
    return _private(current_app.make_response(render_template("consent/answered.html")))


# ---------------------------------------------------------------- the case handlers' steps

def _subject_page(consent_or_subject) -> str:
    subject = consent_or_subject.subject if isinstance(consent_or_subject, ConsentRequest) else consent_or_subject
    if isinstance(subject, Dossier):
        return url_for("nominations.show", dossier_id=subject.id)
    return url_for("talent.show", referral_id=subject.id)


def _ask(subject):
    if not AskForm().validate_on_submit():
        abort(400)
    try:
        consent = services.ask_again(current_user, subject)
    except RuleViolation as error:
        flash(error.message, "danger")
    else:
        if consent.link_nonce:
            flash(_("Đã gửi liên kết xin ý kiến đến %(email)s.", email=consent.email), "success")
        else:
            flash(_("Hồ sơ không có email: vui lòng in phiếu đồng ý để người được đề cử ký."), "info")
    return redirect(_subject_page(subject))


@bp.post("/consent/dossier/<int:dossier_id>/ask")
@require_role(roles.NOMINATOR, roles.SECRETARIAT)
def ask_dossier(dossier_id: int):
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not can_view_dossier(current_user, dossier) or dossier.state == "draft":
        abort(404)
    return _ask(dossier)


@bp.post("/consent/referral/<int:referral_id>/ask")
@require_role(roles.NOMINATOR, roles.SECRETARIAT)
def ask_referral(referral_id: int):
    referral = db.session.get(Referral, referral_id)
    if referral is None or not can_view_referral(current_user, referral) or referral.state == "draft":
        abort(404)
    return _ask(referral)


def _load(consent_id: int) -> ConsentRequest:
    consent = db.session.get(ConsentRequest, consent_id)
    if consent is None or not services.can_handle(current_user, consent):
        abort(404)
    return consent


@bp.get("/consent/<int:consent_id>/phieu.pdf")
@require_role(roles.NOMINATOR, roles.SECRETARIAT)
def paper_form(consent_id: int):
    consent = _load(consent_id)
    response = current_app.response_class(services.paper_form(consent), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename=phieu-dong-y-{consent.id}.pdf"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/consent/<int:consent_id>/scan")
@require_role(roles.NOMINATOR, roles.SECRETARIAT)
def upload_scan(consent_id: int):
    consent = _load(consent_id)
    form = ScanForm()
    if not form.validate_on_submit():
        abort(400)
    if not form.scan.data or not form.scan.data.filename:
        flash(_("Vui lòng chọn tệp để tải lên."), "danger")
        return redirect(_subject_page(consent))
    try:
        services.upload_scan(current_user, consent, form.scan.data.stream, form.scan.data.filename)
    except RuleViolation as error:
        flash(error.message, "danger")
    else:
        flash(_("Đã tải lên bản quét phiếu đồng ý; Ban thư ký sẽ xác nhận."), "success")
    return redirect(_subject_page(consent))


@bp.get("/consent/<int:consent_id>/scan")
@require_role(roles.NOMINATOR, roles.SECRETARIAT)
def download_scan(consent_id: int):
    scan = _load(consent_id).scan
    if scan is None or not os.path.exists(services.storage.path_for(scan.stored_name)):
        abort(404)
    response = send_file(services.storage.path_for(scan.stored_name), mimetype=scan.content_type,
                         as_attachment=True, download_name=scan.download_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/consent/<int:consent_id>/confirm", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def confirm(consent_id: int):
    """The secretariat reads the signed scan and records, purpose by purpose, what was ticked."""
    consent = _load(consent_id)
    if consent.state != PAPER_RECEIVED:
        flash(_("Không có bản quét phiếu đồng ý nào đang chờ xác nhận."), "info")
        return redirect(_subject_page(consent))
    form = consent_form()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                services.confirm_paper(current_user, consent, answers(form))
            except RuleViolation as error:
                status = refused(error)
            else:
                flash(_("Đã ghi nhận phiếu đồng ý bản giấy."), "success")
                return redirect(_subject_page(consent))
    return render_template("consent/confirm.html", form=form, consent=consent, choice_name=choice_name,
                           purposes=PURPOSES, cancel_url=_subject_page(consent)), status


@bp.post("/consent/<int:consent_id>/reject")
@require_role(roles.SECRETARIAT)
def reject_scan(consent_id: int):
    consent = _load(consent_id)
    form = RejectScanForm()
    if not form.validate_on_submit():
        flash(_("Vui lòng nêu lý do."), "danger")
        return redirect(_subject_page(consent))
    try:
        services.reject_scan(current_user, consent, form.reason.data)
    except RuleViolation as error:
        flash(error.message, "danger")
    else:
        flash(_("Đã trả lại bản quét; đơn vị đề cử cần tải lên bản khác."), "success")
    return redirect(_subject_page(consent))
