"""Nominator pages (own organisation's dossiers) and the shared dossier page and attachment download."""
import os
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from honours.core import audit, clock, roles, storage, web
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import VersionForm, small_int, submitted_version
from honours.core.pagination import paginate
from honours.core.profile import CHOOSE
from honours.core.urls import query_id
from honours.core.web import confirmation_page, confirmed, refused, require_role
from honours.nominations.access import can_edit_dossier, can_view_dossier
from honours.rounds.models import Round
from honours.rounds.signals import round_page_sections

from . import services, states
from .forms import DecisionForm, DossierForm, WithdrawForm, attachment_form
from .models import Attachment, Dossier
from .signals import dossier_page_sections

bp = Blueprint("nominations", __name__, url_prefix="/dossiers")
SUPPLEMENT_PERIOD = timedelta(days=7)


def load_dossier(dossier_id: int, *options) -> Dossier:
    """The dossier if the current user may see it; 404 otherwise (others' ids are not confirmed to exist)."""
    dossier = db.session.scalar(select(Dossier).options(*options).where(Dossier.id == dossier_id))
    if dossier is None or not can_view_dossier(current_user, dossier):
        abort(404)
    return dossier


@round_page_sections.connect
def round_counts(round_: Round) -> Markup:
    """The secretariat's round page: how many dossiers are in each state."""
    counts = dict(db.session.execute(
        select(Dossier.state, func.count(Dossier.id)).where(Dossier.round_id == round_.id).group_by(Dossier.state)
    ).all())
    return Markup(render_template("nominations/_round_counts.html", counts=counts, state_labels=states.STATE_LABELS))  # nosec B704 # an autoescaped template


@bp.get("/")
@require_role(roles.NOMINATOR)
def index():
    show = request.args.get("show", "")
    show = show if show in services.ORGANISATION_VIEWS else ""
    query = services.organisation_dossiers(current_user.organisation_id, show).options(
        joinedload(Dossier.field), joinedload(Dossier.round))
    page = paginate(query, 25)
    open_rounds = services.open_rounds()
    # "used/limit" for every round on the page: those open for nominations and those of the listed dossiers.
    quotas = services.quotas(current_user.organisation,
                             {r.id for r in open_rounds} | {d.round_id for d in page.items})
    return render_template("nominations/index.html", page=page, open_rounds=open_rounds, quotas=quotas,
                           quota_full_message=services.quota_full_message, now=clock.now(), show=show)


@bp.route("/new", methods=["GET", "POST"])
@require_role(roles.NOMINATOR)
def create():
    round_ = db.session.get(Round, query_id("round_id") or 0)
    if round_ is None or not round_.accepts_nominations(clock.now()):
        flash(_("Đợt xét này hiện không nhận hồ sơ."), "warning")
        return redirect(url_for("nominations.index"))
    try:  # refused before the form is filled in, not after
        services.check_may_start_dossier(current_user, round_)
    except RuleViolation as error:
        refused(error)
        return redirect(url_for("nominations.index"))
    return _edit(round_, None)


@bp.route("/<int:dossier_id>/edit", methods=["GET", "POST"])
@require_role(roles.NOMINATOR)
def edit(dossier_id: int):
    dossier = load_dossier(dossier_id, selectinload(Dossier.achievements))
    if not can_edit_dossier(current_user, dossier):
        flash(_("Hồ sơ đã nộp không thể chỉnh sửa (trừ khi được yêu cầu bổ sung)."), "warning")
        return redirect(url_for("nominations.show", dossier_id=dossier.id))
    return _edit(dossier.round, dossier)


def _edit(round_: Round, dossier: Dossier | None):
    form = DossierForm(obj=dossier)
    form.field_id.choices = [CHOOSE, *((f.id, f.name) for f in round_.fields)]
    if request.method == "GET" and dossier is not None:
        form.version.data = dossier.version
    if request.method == "POST" and "add_achievement" in request.form:
        form.achievements.append_entry()  # no-JS "add a row": re-render, save nothing
        return _form_page(form, round_, dossier)
    if not form.validate_on_submit():
        return _form_page(form, round_, dossier, 422 if form.errors else 200)
    try:
        dossier = services.save_dossier(current_user, round_, form.to_data(), dossier, submitted_version(form))
    except RuleViolation as error:
        status = refused(error)  # the form is shown again with everything the user typed
        return _form_page(form, round_, dossier, status)
    flash(_("Đã lưu hồ sơ."), "success")
    _flash_duplicate_notice(dossier)
    return redirect(url_for("nominations.show", dossier_id=dossier.id))


def _flash_duplicate_notice(dossier: Dossier) -> None:
    notice = services.duplicate_notice(current_user, dossier)
    if notice:
        flash(_("Người này có thể đã được đề cử trong đợt xét này; Ban thư ký sẽ kiểm tra."), "warning")
    elif notice is None:
        flash(_("Tài khoản đã kiểm tra trùng lặp nhiều lần trong 24 giờ qua nên lần này không kiểm tra; "
                "Ban thư ký sẽ kiểm tra."), "info")


def _form_page(form, round_: Round, dossier: Dossier | None, status: int = 200):
    quota = services.quota(current_user.organisation, round_.id)
    return render_template("nominations/form.html", form=form, round=round_, dossier=dossier, quota=quota,
                           min_summary=services.MIN_SUMMARY_CHARS), status


@bp.get("/<int:dossier_id>")
@login_required
def show(dossier_id: int):
    return render_dossier(load_dossier(dossier_id, *DOSSIER_PAGE_OPTIONS))


DOSSIER_PAGE_OPTIONS = (
    joinedload(Dossier.field), joinedload(Dossier.organisation), joinedload(Dossier.round),
    selectinload(Dossier.achievements), selectinload(Dossier.attachments), selectinload(Dossier.submissions),
)


def render_dossier(dossier: Dossier, decision_form=None, status: int = 200, attachment_form_shown=None):
    """The dossier page; the eligibility and upload views pass back a refused form so nothing chosen is lost."""
    if decision_form is None and current_user.role == roles.SECRETARIAT and dossier.state in states.AWAITING_CHECK:
        decision_form = DecisionForm(version=dossier.version,
                                     supplement_deadline=clock.now().replace(hour=17, minute=0) + SUPPLEMENT_PERIOD)
    # A council member sees what the score sheet shows: the nominee's work, no private data, no history.
    reviewer_view = current_user.role == roles.COUNCIL
    history = [] if reviewer_view else audit.history("dossier", dossier.id)
    if current_user.role == roles.NOMINATOR:  # reviewers' conflicts and council steps are internal
        history = [entry for entry in history if entry.action in states.NOMINATOR_ACTIONS]
    return render_template(
        "nominations/show.html", dossier=dossier, history=history, reviewer_view=reviewer_view,
        can_edit=can_edit_dossier(current_user, dossier), version_form=VersionForm(version=dossier.version),
        attachment_form=attachment_form_shown or attachment_form(dossier), decision_form=decision_form,
        duplicates=_duplicates_shown(dossier), state_labels=states.STATE_LABELS, **_nominator_panel(dossier),
        sections=[] if reviewer_view else [section for _receiver, section in
                                           dossier_page_sections.send(dossier, user=current_user) if section],
    ), status


def _nominator_panel(dossier: Dossier) -> dict:
    """What the organisation sees before acting: the quota, the completeness checklist and what blocks the
    submission, and whether it may still withdraw the dossier."""
    if current_user.role != roles.NOMINATOR:
        return {"quota": None, "missing": [], "blockers": [], "withdraw_form": None, "now": clock.now()}
    editable = can_edit_dossier(current_user, dossier)
    may_withdraw = states.DOSSIER.may(current_user, dossier, "withdraw")
    return {
        "quota": services.quota(dossier.organisation, dossier.round_id),
        "missing": services.missing_for_submission(dossier) if editable else [],
        "blockers": services.submission_blockers(dossier) if editable else [],
        "withdraw_form": WithdrawForm(version=dossier.version) if may_withdraw else None,
        "now": clock.now(),
    }


def _duplicates_shown(dossier: Dossier) -> list[Dossier]:
    """The secretariat sees who else nominated the person; the nominator only that someone may have (the page
    says no more than that), a council member nothing. A draft is not checked on a page: its name and birth date
    (or a returned dossier's) change freely, and each change would be a free guess: the check after saving or
    submitting is throttled instead."""
    if current_user.role == roles.SECRETARIAT:
        return services.find_duplicates(dossier) if dossier.state != states.DRAFT else []
    if current_user.role != roles.NOMINATOR or dossier.state in states.EDITABLE:
        return []
    return services.find_duplicates(dossier)


def _expected_version() -> int | None:
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    return submitted_version(form)


@bp.post("/<int:dossier_id>/submit")
@require_role(roles.NOMINATOR)
def submit(dossier_id: int):
    dossier = load_dossier(dossier_id)
    try:
        services.submit(current_user, dossier, _expected_version())
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã nộp hồ sơ. Ban thư ký sẽ thẩm định và thông báo kết quả qua email."), "success")
        _flash_duplicate_notice(dossier)
    return redirect(url_for("nominations.show", dossier_id=dossier_id))


@bp.post("/<int:dossier_id>/withdraw")
@require_role(roles.NOMINATOR)
def withdraw(dossier_id: int):
    dossier = load_dossier(dossier_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.withdraw(current_user, dossier, form.withdraw_reason.data or "", submitted_version(form),
                          confirmed=confirmed())
    except ConfirmationNeeded as error:
        return confirmation_page(error, _("Rút hồ sơ đề cử"), url_for("nominations.show", dossier_id=dossier_id),
                                 _("Rút hồ sơ"))
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã rút hồ sơ. Suất đề cử của đơn vị trong đợt này đã được trả lại."), "success")
    return redirect(url_for("nominations.show", dossier_id=dossier_id))


@bp.post("/<int:dossier_id>/delete")
@require_role(roles.NOMINATOR)
def delete(dossier_id: int):
    dossier = load_dossier(dossier_id)
    try:
        services.delete_draft(current_user, dossier, _expected_version(), confirmed=web.confirmed())
    except ConfirmationNeeded as needed:
        return web.confirmation_page(needed, _("Xoá hồ sơ nháp"), url_for("nominations.show", dossier_id=dossier_id),
                                     _("Xoá hồ sơ nháp"))
    except RuleViolation as error:
        refused(error)
        return redirect(url_for("nominations.show", dossier_id=dossier_id))
    flash(_("Đã xoá hồ sơ nháp."), "success")
    return redirect(url_for("nominations.index"))


@bp.post("/<int:dossier_id>/attachments")
@require_role(roles.NOMINATOR)
def upload(dossier_id: int):
    """A refused upload answers the dossier page itself (not a redirect), so the file type and the file it replaces
    stay chosen; only the file must be picked again (a browser never pre-fills a file input)."""
    dossier = load_dossier(dossier_id, *DOSSIER_PAGE_OPTIONS)
    form = attachment_form(dossier)
    if not form.validate_on_submit():
        return render_dossier(dossier, attachment_form_shown=form, status=422)
    if not form.file.data or not form.file.data.filename:
        form.file.errors = [*form.file.errors, _("Vui lòng chọn tệp để tải lên.")]
        return render_dossier(dossier, attachment_form_shown=form, status=422)
    upload_file = form.file.data
    try:
        services.add_attachment(current_user, dossier, upload_file.stream, upload_file.filename, form.kind.data,
                                small_int(form.replaces.data))
    except RuleViolation as error:
        status = refused(error, form.file)
        return render_dossier(load_dossier(dossier_id, *DOSSIER_PAGE_OPTIONS), attachment_form_shown=form,
                              status=status)
    flash(_("Đã tải lên tệp \"%(name)s\".", name=upload_file.filename), "success")
    return redirect(url_for("nominations.show", dossier_id=dossier_id))


def _load_attachment(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not can_view_dossier(current_user, attachment.dossier):
        abort(404)
    return attachment


@bp.post("/attachments/<int:attachment_id>/delete")
@require_role(roles.NOMINATOR)
def delete_attachment(attachment_id: int):
    attachment = _load_attachment(attachment_id)
    dossier_id = attachment.dossier_id
    VersionForm().validate_on_submit() or abort(400)
    try:
        services.delete_attachment(current_user, attachment)
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã xoá tệp đính kèm."), "success")
    return redirect(url_for("nominations.show", dossier_id=dossier_id))


@bp.get("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    attachment = _load_attachment(attachment_id)
    if not os.path.exists(storage.path_for(attachment.stored_name)):
        current_app.logger.error("attachment %s missing on disk (%s)", attachment.id, attachment.stored_name)
        abort(404)
    response = send_file(storage.path_for(attachment.stored_name), mimetype=attachment.content_type,
                         as_attachment=True, download_name=attachment.download_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
