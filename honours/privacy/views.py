import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from honours.core import clock
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import posted_version, with_id_prefix
from honours.core.pagination import paginate
from honours.core.web import confirmation_page, confirmed, refused, require_role

from . import erasure, holdings, printing, record, services
from .forms import ActionForm, EraseForm, LinkForm, ReplyForm, RequestForm
from .models import DataRequest, DataRequestAction
from .workflows import DELETION, HANDLERS, STATE_LABELS

bp = Blueprint("privacy", __name__)
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


# ---------------------------------------------------------------- the person (public, through the emailed link)

@bp.route("/du-lieu-ca-nhan", methods=["GET", "POST"])
def lookup():
    form = LinkForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.request_link(form.email.data, request.remote_addr or "")
        except services.LinkThrottled as error:
            refused(error, form.email)
            status = 429
        else:
            return redirect(url_for("privacy.lookup_sent"))
    elif form.errors:
        status = 422
    return render_template("privacy/lookup.html", form=form), status


@bp.get("/du-lieu-ca-nhan/da-gui")
def lookup_sent():
    return render_template("privacy/lookup_sent.html", hours=services.link_hours())


def _email_or_error(subject_token: str):
    try:
        return services.email_for_token(subject_token), None
    except RuleViolation as error:
        page = render_template("privacy/link_invalid.html", error=error.message,
                               expired=isinstance(error, services.LinkExpired))
        return None, (page, 400, PRIVATE)


@bp.route(services.PATH + "<subject_token>", methods=["GET", "POST"])
def subject(subject_token: str):
    email, error_page = _email_or_error(subject_token)
    if error_page:
        return error_page
    form = RequestForm()
    status = 200
    if form.validate_on_submit():
        try:
            lodged = services.lodge(email, form.kind.data, form.details.data)
        except RuleViolation as error:
            status = refused(error, form[error.field] if getattr(error, "field", None) else None)
        else:
            flash(_("Đã nhận yêu cầu. Hạn trả lời: %(deadline)s. Thư xác nhận đã được gửi tới %(email)s.",
                    deadline=lodged.deadline.strftime("%d/%m/%Y"), email=email), "success")
            if lodged.consent_links_sent:
                flash(_("Liên kết để rút lại hoặc thay đổi ý kiến đồng ý đã được gửi lại tới email của ông/bà "
                        "(%(count)s hồ sơ): ông/bà có thể rút lại từng mục ngay trên trang đó.",
                        count=lodged.consent_links_sent),
                      "info")
            return redirect(url_for("privacy.subject", subject_token=subject_token))
    elif request.method == "POST":
        status = 422
    page = render_template("privacy/subject.html", form=form, held=holdings.find(email), email=email,
                           token=subject_token, requests=services.requests_of(email))
    return page, status, PRIVATE


@bp.get(services.PATH + "<subject_token>/du-lieu.json")
def subject_json(subject_token: str):
    email, error_page = _email_or_error(subject_token)
    if error_page:
        return error_page
    body = json.dumps(holdings.as_json(holdings.find(email)), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        **PRIVATE, "Content-Disposition": "attachment; filename=du-lieu-ca-nhan.json"})


@bp.get(services.PATH + "<subject_token>/du-lieu.pdf")
def subject_pdf(subject_token: str):
    email, error_page = _email_or_error(subject_token)
    if error_page:
        return error_page
    return Response(printing.as_pdf(holdings.find(email)), mimetype="application/pdf", headers={
        **PRIVATE, "Content-Disposition": "attachment; filename=du-lieu-ca-nhan.pdf"})


# ---------------------------------------------------------------- the secretariat's inbox

@bp.get("/yeu-cau-du-lieu/")
@require_role(*HANDLERS)
def inbox():
    state = request.args.get("state", "open")
    query = select(DataRequest).order_by(DataRequest.deadline, DataRequest.id)
    if state == "open":
        query = query.where(DataRequest.state.in_(("received", "in_progress")))
    elif state in STATE_LABELS:
        query = query.where(DataRequest.state == state)
    else:
        state = "all"
    counts = services.state_counts()
    counts["open"] = counts.get("received", 0) + counts.get("in_progress", 0)
    counts["all"] = sum(counts.get(key, 0) for key in STATE_LABELS)
    tabs = [("open", _("Chưa trả lời")), *((key, str(label)) for key, label in STATE_LABELS.items()),
            ("all", _("Tất cả"))]
    return render_template("privacy/inbox.html", page=paginate(query, 50), tabs=tabs, counts=counts, state=state,
                           now=clock.now())


def _load(request_id: int) -> DataRequest:
    item = db.session.scalar(select(DataRequest).options(
        selectinload(DataRequest.actions).joinedload(DataRequestAction.taken_by))
        .where(DataRequest.id == request_id))
    if item is None:
        abort(404)
    return item


@bp.get("/yeu-cau-du-lieu/<int:request_id>")
@require_role(*HANDLERS)
def show(request_id: int):
    return _show(_load(request_id))


def _show(item: DataRequest, action_form=None, reply_form=None, status: int = 200):
    action_form = with_id_prefix(action_form or ActionForm(), "action-")
    reply_form = with_id_prefix(reply_form or ReplyForm(), "reply-")
    erase_form = with_id_prefix(EraseForm(), "erase-")
    action_form.version.data = reply_form.version.data = erase_form.version.data = item.version
    return render_template("privacy/show.html", item=item, held=holdings.find(item.email), now=clock.now(),
                           action_form=action_form, reply_form=reply_form, erase_form=erase_form,
                           can_erase=item.kind == DELETION and item.is_open), status


@bp.post("/yeu-cau-du-lieu/<int:request_id>/viec-da-lam")
@require_role(*HANDLERS)
def add_action(request_id: int):
    item = _load(request_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _show(item, action_form=form, status=422)
    try:
        services.add_action(current_user, item, form.note.data, posted_version(form.version))
    except RuleViolation as error:
        return _show(_load(request_id), action_form=form, status=refused(error, form.note))
    flash(_("Đã ghi việc đã làm."), "success")
    return redirect(url_for("privacy.show", request_id=request_id))


@bp.post("/yeu-cau-du-lieu/<int:request_id>/tra-loi")
@require_role(*HANDLERS)
def reply(request_id: int):
    item = _load(request_id)
    form = ReplyForm()
    refuse = request.form.get("outcome") == "refuse"
    if not form.validate_on_submit():
        return _show(item, reply_form=form, status=422)
    try:
        services.answer(current_user, item, form.reply.data, posted_version(form.version), refuse=refuse)
    except RuleViolation as error:
        return _show(_load(request_id), reply_form=form, status=refused(error, form.reply))
    flash(_("Đã gửi thư trả lời."), "success")
    return redirect(url_for("privacy.show", request_id=request_id))


@bp.post("/yeu-cau-du-lieu/<int:request_id>/xoa-du-lieu")
@require_role(*HANDLERS)
def erase(request_id: int):
    item = _load(request_id)
    form = EraseForm()
    if not form.validate_on_submit():
        return _show(item, status=422)
    try:
        erasure.erase(current_user, item, confirmed=confirmed(), note=form.note.data,
                      version=posted_version(form.version))
    except ConfirmationNeeded as needed:
        return confirmation_page(needed, _("Xoá dữ liệu cá nhân theo yêu cầu"),
                                 url_for("privacy.show", request_id=request_id), _("Xoá dữ liệu và gửi trả lời"))
    except RuleViolation as error:
        return _show(_load(request_id), status=refused(error))
    flash(_("Đã xoá dữ liệu theo yêu cầu và gửi thư trả lời."), "success")
    return redirect(url_for("privacy.show", request_id=request_id))


# ---------------------------------------------------------------- record of processing

@bp.get("/ho-so-xu-ly-du-lieu")
@require_role(*HANDLERS)
def processing_record():
    return render_template("privacy/record.html", rows=record.rows(), headings=record.headings(),
                           measures=record.SECURITY_MEASURES, docx=record.docx_available())


@bp.get("/ho-so-xu-ly-du-lieu.pdf")
@require_role(*HANDLERS)
def processing_record_pdf():
    return Response(record.as_pdf(), mimetype="application/pdf",
                    headers={"Content-Disposition": "attachment; filename=ho-so-xu-ly-du-lieu.pdf"})


@bp.get("/ho-so-xu-ly-du-lieu.docx")
@require_role(*HANDLERS)
def processing_record_docx():
    if not record.docx_available():
        abort(404)
    return Response(record.as_docx(),
                    mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": "attachment; filename=ho-so-xu-ly-du-lieu.docx"})
