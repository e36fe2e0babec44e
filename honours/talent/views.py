"""Talent referral pages (/tien-cu): the organisation's referrals, the secretariat's screening inbox. The pool and
the needs live in pool_views.py and need_views.py on the same blueprint."""
import os

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from honours.core import audit, roles, web
from honours.core import storage as storage
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import VersionForm, submitted_version
from honours.core.pagination import paginate
from honours.core.reference import ATTACHMENT_KINDS
from honours.core.web import refused, require_role

from . import referrals
from .access import can_edit_referral, can_view_referral
from .forms import AttachmentForm, ReferralFilterForm, ReferralForm, ScreeningForm
from .models import REFERRAL_STATE_LABELS, Referral, ReferralAttachment
from .signals import referral_page_sections
from .workflows import REFERRAL

REFERRAL_PAGE_OPTIONS = (
    joinedload(Referral.organisation), joinedload(Referral.created_by), selectinload(Referral.attachments),
)


def load_referral(referral_id: int, *options) -> Referral:
    """The referral if the current user may see it; 404 otherwise (others' ids are not confirmed to exist)."""
    referral = db.session.scalar(select(Referral).options(*options).where(Referral.id == referral_id))
    if referral is None or not can_view_referral(current_user, referral):
        abort(404)
    return referral


def _criteria(form: ReferralFilterForm) -> referrals.ReferralFilter:
    form.validate()
    return referrals.ReferralFilter(q=form.q.data or "", state=form.state.data or None,
                                    field=form.field.data or None)


# ---------------------------------------------------------------- the organisation's referrals

@require_role(roles.NOMINATOR)
def index():
    form = ReferralFilterForm(request.args)
    query = referrals.organisation_query(current_user.organisation_id, _criteria(form))
    page = paginate(query)
    return render_template("talent/index.html", form=form, page=page)


@require_role(roles.NOMINATOR)
def create():
    return _edit(None)


@require_role(roles.NOMINATOR)
def edit(referral_id: int):
    referral = load_referral(referral_id)
    if not can_edit_referral(current_user, referral):
        flash(_("Phiếu tiến cử đã nộp không thể chỉnh sửa."), "warning")
        return redirect(url_for("talent.show", referral_id=referral.id))
    return _edit(referral)


def _edit(referral: Referral | None):
    form = ReferralForm(obj=referral)
    if request.method == "GET" and referral is not None:
        form.version.data = referral.version
    if not form.validate_on_submit():
        return _form_page(form, referral, 422 if form.errors else 200)
    try:
        referral = referrals.save_referral(current_user, form.to_data(), referral, submitted_version(form))
    except RuleViolation as error:
        status = refused(error)  # the form is shown again with everything the user typed
        return _form_page(form, referral, status)
    flash(_("Đã lưu phiếu tiến cử."), "success")
    return redirect(url_for("talent.show", referral_id=referral.id))


def _form_page(form, referral: Referral | None, status: int = 200):
    return render_template("talent/form.html", form=form, referral=referral), status


@require_role(roles.NOMINATOR, roles.SECRETARIAT)
def show(referral_id: int):
    return render_referral(load_referral(referral_id, *REFERRAL_PAGE_OPTIONS))


def render_referral(referral: Referral, screening_form=None, status: int = 200, attachment_form=None):
    may_screen = REFERRAL.may(current_user, referral, "accept")
    if screening_form is None and may_screen:
        screening_form = ScreeningForm(version=referral.version)
    same_person_entry = referrals.pool_entry_of_same_person(referral) if may_screen else None
    return render_template(
        "talent/show.html", referral=referral, history=audit.history("referral", referral.id),
        can_edit=can_edit_referral(current_user, referral), version_form=VersionForm(version=referral.version),
        attachment_form=attachment_form or AttachmentForm(), screening_form=screening_form,
        same_person_entry=same_person_entry,
        sections=[section for _receiver, section in referral_page_sections.send(referral, user=current_user)
                  if section],
        state_labels=REFERRAL_STATE_LABELS, kind_labels=ATTACHMENT_KINDS,
    ), status


def _expected_version() -> int | None:
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    return submitted_version(form)


@require_role(roles.NOMINATOR)
def submit(referral_id: int):
    referral = load_referral(referral_id, selectinload(Referral.attachments))
    try:
        referrals.submit(current_user, referral, _expected_version())
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã nộp phiếu tiến cử. Ban thư ký sẽ sàng lọc và thông báo kết quả qua email."), "success")
    return redirect(url_for("talent.show", referral_id=referral_id))


@require_role(roles.NOMINATOR)
def delete(referral_id: int):
    referral = load_referral(referral_id, selectinload(Referral.attachments))
    try:
        referrals.delete_draft(current_user, referral, _expected_version(), confirmed=web.confirmed())
    except ConfirmationNeeded as needed:
        return web.confirmation_page(needed, _("Xoá phiếu tiến cử nháp"),
                                     url_for("talent.show", referral_id=referral_id), _("Xoá phiếu nháp"))
    except RuleViolation as error:
        refused(error)
        return redirect(url_for("talent.show", referral_id=referral_id))
    flash(_("Đã xoá phiếu tiến cử nháp."), "success")
    return redirect(url_for("talent.index"))


@require_role(roles.NOMINATOR)
def upload(referral_id: int):
    """A refused upload answers the referral page itself, so the chosen file type stays chosen."""
    referral = load_referral(referral_id, *REFERRAL_PAGE_OPTIONS)
    form = AttachmentForm()
    if not form.validate_on_submit():
        return render_referral(referral, status=422, attachment_form=form)
    if not form.file.data or not form.file.data.filename:
        form.file.errors = [*form.file.errors, _("Vui lòng chọn tệp để tải lên.")]
        return render_referral(referral, status=422, attachment_form=form)
    upload_file = form.file.data
    try:
        referrals.add_attachment(current_user, referral, upload_file.stream, upload_file.filename, form.kind.data)
    except RuleViolation as error:
        status = refused(error, form.file)
        return render_referral(load_referral(referral_id, *REFERRAL_PAGE_OPTIONS), status=status,
                               attachment_form=form)
    flash(_("Đã tải lên tệp \"%(name)s\".", name=upload_file.filename), "success")
    return redirect(url_for("talent.show", referral_id=referral_id))


def _load_attachment(attachment_id: int) -> ReferralAttachment:
    attachment = db.session.get(ReferralAttachment, attachment_id)
    if attachment is None or not can_view_referral(current_user, attachment.referral):
        abort(404)
    return attachment


@require_role(roles.NOMINATOR)
def delete_attachment(referral_attachment_id: int):
    attachment = _load_attachment(referral_attachment_id)
    referral_id = attachment.referral_id
    VersionForm().validate_on_submit() or abort(400)
    try:
        referrals.delete_attachment(current_user, attachment)
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã xoá tệp đính kèm."), "success")
    return redirect(url_for("talent.show", referral_id=referral_id) )


@require_role(roles.NOMINATOR, roles.SECRETARIAT)
def download(referral_attachment_id: int):
    attachment = _load_attachment(referral_attachment_id)
    path = storage.path_for(attachment.stored_name)
    if not os.path.exists(path):
        current_app.logger.error("referral attachment %s missing on disk (%s)", attachment.id,
                                 attachment.stored_name)
        abort(404)
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.download_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- screening (secretariat)

@require_role(roles.SECRETARIAT)
def inbox():
    form = ReferralFilterForm(request.args)
    form.state.choices = [c for c in form.state.choices if c[0] != "draft"]
    page = paginate(referrals.inbox_query(_criteria(form)))
    return render_template("talent/inbox.html", form=form, page=page)


@require_role(roles.SECRETARIAT)
def screen(referral_id: int):
    referral = load_referral(referral_id, *REFERRAL_PAGE_OPTIONS)
    form = ScreeningForm()
    if not form.validate_on_submit():
        return render_referral(referral, form, 422)
    try:
        entry = referrals.screen(current_user, referral, form.decision.data, form.reason.data or "",
                                 submitted_version(form))
    except RuleViolation as error:
        status = refused(error, form.reason)
        referral = load_referral(referral_id, *REFERRAL_PAGE_OPTIONS)
        return render_referral(referral, form, status)
    if entry is not None:
        flash(_("Đã tiếp nhận %(name)s vào nguồn nhân tài.", name=referral.full_name), "success")
        return redirect(url_for("talent.entry", pool_entry_id=entry.id))
    flash(_("Đã ghi nhận: không tiếp nhận phiếu tiến cử %(name)s.", name=referral.full_name), "success")
    return redirect(url_for("talent.inbox"))


