"""The public notice page and opinion form (no account), and the secretariat's inbox of opinions."""
import os

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from honours.core import roles, storage, web
from honours.core.audit import history
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.web import refused, require_role
from honours.rounds.models import Round

from . import services
from .forms import NoticeSettingsForm, OpinionForm, handle_form
from .models import Opinion

bp = Blueprint("notice", __name__)
RECEIPT_KEY = "notice_receipt"


# ---------------------------------------------------------------- public

def _public_round(round_id: int) -> Round:
    round_ = services.public_round(round_id)
    if round_ is None:
        abort(404)
    return round_


@bp.get("/cong-khai/<int:notice_round_id>")
def public_list(notice_round_id: int):
    round_ = _public_round(notice_round_id)
    return render_template("notice/public_list.html", round=round_, candidates=services.candidates(round_))


@bp.route("/cong-khai/<int:notice_round_id>/y-kien/<int:candidate_id>", methods=["GET", "POST"])
def opinion_form(notice_round_id: int, candidate_id: int):
    round_ = _public_round(notice_round_id)
    candidate = services.public_candidate(round_, candidate_id)
    if candidate is None:
        abort(404)
    form = OpinionForm()
    status = 200
    if form.validate_on_submit():
        if (form.website.data or "").strip():
            # A robot: answered as if received, nothing stored.
            session[RECEIPT_KEY] = "YK-" + "0" * 13
            return redirect(url_for("notice.receipt"))
        if services.throttled(request.remote_addr or ""):
            flash(_("Bạn đã gửi nhiều ý kiến trong thời gian ngắn. Vui lòng thử lại sau."), "danger")
            status = 429
        else:
            upload = form.attachment.data
            try:
                opinion = services.send_opinion(
                    round_, candidate_id, form.data,
                    (upload.stream, upload.filename) if upload and upload.filename else None)
            except RuleViolation as error:
                field = form[error.field] if getattr(error, "field", None) else (
                    form.attachment if upload and upload.filename else None)
                status = refused(error, field)
            else:
                session[RECEIPT_KEY] = opinion.receipt
                return redirect(url_for("notice.receipt"))
    elif request.method == "POST":
        status = 422
    return render_template("notice/opinion_form.html", round=round_, candidate=candidate, form=form), status


@bp.get("/cong-khai/da-nhan")
def receipt():
    number = session.get(RECEIPT_KEY)
    if not number:
        return redirect(url_for("home.index"))
    return render_template("notice/receipt.html", receipt=number)


# ---------------------------------------------------------------- the secretariat

@bp.get("/y-kien-cong-khai/")
@require_role(roles.SECRETARIAT)
def inbox():
    return render_template("notice/inbox.html", rounds=services.rounds_for_inbox(), opinions=services.inbox())


@bp.route("/y-kien-cong-khai/dot/<int:round_id>", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def round_settings(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = NoticeSettingsForm(obj=round_)
    status = 200
    if form.validate_on_submit():
        try:
            services.save_settings(current_user, round_, form.notice_days.data, form.complaint_days.data)
        except RuleViolation as error:
            status = refused(error, form[error.field] if getattr(error, "field", None) else None)
        else:
            flash(_("Đã lưu thời gian công khai và thời hạn khiếu nại."), "success")
            return redirect(url_for("notice.round_settings", round_id=round_id))
    elif request.method == "POST":
        status = 422
    return render_template("notice/round.html", round=round_, form=form, refusal=services.may_open(round_),
                           blockers=services.decision_blockers(round_), running=services.is_running(round_),
                           opinions=services.inbox(round_id)), status


@bp.post("/y-kien-cong-khai/dot/<int:round_id>/mo")
@require_role(roles.SECRETARIAT)
def open_notice(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    back = url_for("notice.round_settings", round_id=round_id)
    try:
        ends = services.open_notice(current_user, round_, confirmed=web.confirmed())
    except ConfirmationNeeded as needed:
        return web.confirmation_page(needed, _("Xác nhận công khai danh sách đề xuất"), back,
                                     _("Mở thời gian công khai"))
    except RuleViolation as error:
        refused(error)
        return redirect(back)
    flash(_("Đã công khai danh sách đề xuất đến %(ends)s.", ends=ends.strftime("%H:%M %d/%m/%Y")), "success")
    return redirect(back)


def _opinion(opinion_id: int) -> Opinion:
    return db.get_or_404(Opinion, opinion_id)


@bp.route("/y-kien-cong-khai/<int:opinion_id>", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def opinion(opinion_id: int):
    opinion_ = _opinion(opinion_id)
    form = handle_form(opinion_, request.form if request.method == "POST" else None)
    status = 200
    if form.validate_on_submit():
        try:
            services.handle(current_user, opinion_, form.action.data, form.text.data)
        except RuleViolation as error:
            status = refused(error, form.text)
        else:
            flash(_("Đã ghi nhận bước xử lý ý kiến %(receipt)s.", receipt=opinion_.receipt), "success")
            return redirect(url_for("notice.opinion", opinion_id=opinion_id))
    elif request.method == "POST":
        status = 422
    return render_template("notice/opinion.html", opinion=opinion_, form=form,
                           history=history("notice_opinion", opinion_.id)), status


@bp.get("/y-kien-cong-khai/<int:opinion_id>/tep")
@require_role(roles.SECRETARIAT)
def download(opinion_id: int):
    opinion_ = _opinion(opinion_id)
    if not opinion_.file_stored_name:
        abort(404)
    path = storage.path_for(opinion_.file_stored_name)
    if not os.path.exists(path):
        current_app.logger.error("opinion %s: attachment missing on disk (%s)", opinion_.id, opinion_.file_stored_name)
        abort(404)
    response = send_file(path, mimetype=opinion_.file_content_type, as_attachment=True, max_age=0,
                         download_name=storage.download_name(opinion_.file_name, opinion_.file_content_type))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
