"""Council stage pages: the secretariat's session page, the members' secret ballot, the chair's confirmation and
the minutes. Rules live in services; these views load, check who may see what, call one service and render."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from honours.core import audit, roles, web
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation, StaleEdit
from honours.core.reference import APPROVAL_RULE_LABELS, QUORUM_RULE_LABELS
from honours.core.web import refused, require_role
from honours.reviews.results import round_results
from honours.reviews.services import council, membership
from honours.rounds.models import Round

from . import services
from .forms import ActionForm, AttendanceForm, DecisionForm, ballot_choices, ballot_form, counting_board_form
from .models import CLOSED, CONFIRMED, OPEN, Attendance, CouncilSession, CountingBoardMember

bp = Blueprint("council", __name__, url_prefix="/council")


def _load_round(round_id: int) -> Round:
    return db.session.get(Round, round_id, options=[selectinload(Round.fields)]) or abort(404)


def _load_session(session_id: int) -> CouncilSession:
    return db.session.get(CouncilSession, session_id, options=[
        joinedload(CouncilSession.round).selectinload(Round.fields),
        selectinload(CouncilSession.attendees).joinedload(Attendance.user),
        selectinload(CouncilSession.counting_board).joinedload(CountingBoardMember.user),
        joinedload(CouncilSession.confirmed_by),
    ]) or abort(404)


def _refused(error: RuleViolation, form=None) -> int:
    """The message next to its field when the form has it (the service names it), else at the top of the page."""
    key = getattr(error, "field_key", None)
    return refused(error, form[key] if form is not None and key and key in form else None)


def _rule_labels(round_: Round) -> dict:
    return {"quorum": QUORUM_RULE_LABELS.get(round_.quorum_rule, round_.quorum_rule),
            "approval": APPROVAL_RULE_LABELS.get(round_.approval_rule, round_.approval_rule)}


# ---------------------------------------------------------------- secretariat: the session page

def _attendance_form(members, session: CouncilSession | None = None, posted: bool = False) -> AttendanceForm:
    """Bound to the request when it is the form being submitted, else showing the recorded attendance."""
    if posted:
        form = AttendanceForm()
    else:
        form = AttendanceForm(formdata=None, present=[a.user_id for a in session.attendees] if session else [])
    form.present.choices = [(m.user_id, m.user.full_name) for m in members]
    return form


def _render_round(round_: Round, attendance_form: AttendanceForm | None = None,
                  decision_form: DecisionForm | None = None, status: int = 200, board_form=None):
    sessions = services.sessions_of(round_.id)
    current = sessions[0] if sessions else None
    members = council(round_.id)
    rankings = round_results(round_)
    context = {"round": round_, "sessions": sessions, "current": current, "members": members,
               "labels": _rule_labels(round_), "action_form": ActionForm(), "shortlist": None, "tally": None}
    if current is None or current.status == CONFIRMED:  # a (new) session can be opened
        context["shortlist"] = services.shortlist_from(round_, rankings)
        context["early"] = services.timeline(round_).warnings(round_)
        attendance_form = attendance_form or _attendance_form(members)
    context["history"] = audit.history("council_session", current.id) if current is not None else []
    if current is not None:
        context["quorum"] = services.quorum(current)
        present_ids = {a.user_id for a in current.attendees}
        context["absent"] = [m for m in members if m.user_id not in present_ids]
        if current.status == OPEN:
            context["voted"] = services.receipts_count(current)
            attendance_form = attendance_form or _attendance_form(members, current)
        else:
            context["tally"] = services.tally_from(current, rankings)
        if current.status == CONFIRMED:
            decision_form = decision_form or DecisionForm(formdata=None, obj=current)
        else:
            board_form = board_form or counting_board_form(current)
    context.update(attendance_form=attendance_form, decision_form=decision_form, board_form=board_form)
    return render_template("council/round.html", **context), status


@bp.get("/rounds/<int:round_id>")
@require_role(roles.SECRETARIAT)
def round_page(round_id: int):
    return _render_round(_load_round(round_id))


@bp.post("/rounds/<int:round_id>/sessions")
@require_role(roles.SECRETARIAT)
def open_session(round_id: int):
    round_ = _load_round(round_id)
    form = _attendance_form(council(round_id), posted=True)
    if not form.validate_on_submit():
        return _render_round(round_, attendance_form=form, status=422)
    try:
        services.open_session(current_user, round_, form.present.data or [], confirmed=web.confirmed(),
                              override_reason=web.override_reason())
    except ConfirmationNeeded as needed:
        return web.confirmation_page(needed, _("Xác nhận mở phiên họp hội đồng"),
                                     url_for("council.round_page", round_id=round_id),
                                     _("Mở phiên họp và bắt đầu bỏ phiếu"))
    except RuleViolation as error:
        _refused(error, form)
        return _render_round(round_, attendance_form=form, status=422)
    flash(_("Đã mở phiên họp hội đồng và ghi nhận danh sách có mặt."), "success")
    return redirect(url_for("council.round_page", round_id=round_id))


@bp.post("/sessions/<int:session_id>/attendance")
@require_role(roles.SECRETARIAT)
def attendance(session_id: int):
    session = _load_session(session_id)
    form = _attendance_form(council(session.round_id), session, posted=True)
    if not form.validate_on_submit():
        return _render_round(session.round, attendance_form=form, status=422)
    try:
        services.update_attendance(current_user, session, form.present.data or [])
    except RuleViolation as error:
        _refused(error, form)
        return _render_round(_load_round(session.round_id), attendance_form=form, status=422)
    flash(_("Đã cập nhật danh sách thành viên có mặt."), "success")
    return redirect(url_for("council.round_page", round_id=session.round_id))


@bp.post("/sessions/<int:session_id>/close")
@require_role(roles.SECRETARIAT)
def close(session_id: int):
    session = _load_session(session_id)
    round_id = session.round_id
    if not ActionForm().validate_on_submit():
        flash(_("Biểu mẫu đã hết hạn, vui lòng tải lại trang và thử lại."), "danger")
        return _render_round(session.round, status=422)
    try:
        services.close_voting(current_user, session, confirmed=web.confirmed())
    except ConfirmationNeeded as needed:
        return web.confirmation_page(needed, _("Xác nhận đóng bỏ phiếu"),
                                     url_for("council.round_page", round_id=round_id), _("Đóng bỏ phiếu"))
    except RuleViolation as error:
        _refused(error)
        return _render_round(_load_round(round_id), status=422)
    flash(_("Đã đóng bỏ phiếu. Kết quả kiểm phiếu chờ Chủ tịch Hội đồng xác nhận."), "success")
    return redirect(url_for("council.round_page", round_id=round_id))


@bp.post("/sessions/<int:session_id>/decision")
@require_role(roles.SECRETARIAT)
def decision(session_id: int):
    session = _load_session(session_id)
    round_id = session.round_id
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_round(session.round, decision_form=form, status=422)
    try:
        services.record_decision(current_user, session, form.decision_number.data, form.decision_date.data,
                                 form.decision_signer.data)
    except RuleViolation as error:
        _refused(error, form)
        return _render_round(_load_round(round_id), decision_form=form, status=422)
    flash(_("Đã ghi nhận quyết định tặng danh hiệu."), "success")
    return redirect(url_for("council.round_page", round_id=round_id))


@bp.post("/sessions/<int:session_id>/counting-board")
@require_role(roles.SECRETARIAT)
def counting_board(session_id: int):
    session = _load_session(session_id)
    round_id = session.round_id
    form = counting_board_form(session, posted=True)
    if not form.validate_on_submit():
        return _render_round(session.round, board_form=form, status=422)
    try:
        services.set_counting_board(current_user, session, form.secretary_name.data, form.member_ids())
    except RuleViolation as error:
        _refused(error, form)
        return _render_round(_load_round(round_id), board_form=form, status=422)
    flash(_("Đã ghi nhận thư ký và ban kiểm phiếu của phiên họp."), "success")
    return redirect(url_for("council.round_page", round_id=round_id))


# ---------------------------------------------------------------- council members: sessions, ballot, confirmation

@bp.get("/")
@require_role(roles.COUNCIL)
def index():
    return render_template("council/index.html", sessions=services.my_sessions(current_user))


def _member_session(session_id: int) -> CouncilSession:
    session = _load_session(session_id)
    if membership(session.round_id, current_user.id) is None:
        abort(404)
    return session


def _render_ballot(session: CouncilSession, form=None, fields=None, status: int = 200,
                   field_errors: dict[int, str] | None = None):
    voted = services.has_voted(session, current_user)
    refusal = None if voted else services.voting_refusal(current_user, session)
    if form is None and refusal is None and not voted:
        fields = services.shortlist(session.round)
        form = ballot_form(fields)
    chair = services.is_chair_of(current_user, session.round_id)
    show_tally = session.status == CONFIRMED or (chair and session.status == CLOSED)
    return render_template(
        "council/ballot.html", session=session, form=form, fields=fields, voted=voted, refusal=refusal,
        chair=chair, tally=services.tally(session) if show_tally else None, quorum=services.quorum(session),
        labels=_rule_labels(session.round), action_form=ActionForm(), field_errors=field_errors or {},
    ), status


@bp.route("/sessions/<int:session_id>/ballot", methods=["GET", "POST"])
@require_role(roles.COUNCIL)
def ballot(session_id: int):
    session = _member_session(session_id)
    if request.method == "GET":
        return _render_ballot(session)
    refusal = services.voting_refusal(current_user, session)
    if session.status != OPEN or services.has_voted(session, current_user):
        flash(refusal, "danger")  # nothing to keep: no ballot form is shown any more
        return _render_ballot(session, status=422)
    fields = services.shortlist(session.round)
    form = ballot_form(fields)
    if refusal:  # absent, or no quorum: say so first, keeping the choices made
        flash(refusal, "danger")
        return _render_ballot(session, form, fields, 422)
    if not form.validate_on_submit():
        return _render_ballot(session, form, fields, 422)
    try:
        services.cast_ballot(current_user, session, ballot_choices(form, fields))
    except RuleViolation as error:
        key = getattr(error, "field_key", "")
        if key.startswith("field-"):  # too many agrees in one field: shown on that field's group
            refused(RuleViolation(_("Vui lòng sửa các lỗi được đánh dấu bên dưới.")))
            return _render_ballot(_member_session(session_id), form, fields, 422,
                                  {int(key.removeprefix("field-")): error.message})
        _refused(error, form)
        return _render_ballot(_member_session(session_id), form, fields, 422)
    flash(_("Phiếu bầu của bạn đã được ghi nhận."), "success")
    return redirect(url_for("council.ballot", session_id=session_id))


@bp.post("/sessions/<int:session_id>/confirm")
@require_role(roles.COUNCIL)
def confirm(session_id: int):
    session = _member_session(session_id)
    if not services.is_chair_of(current_user, session.round_id):
        abort(403)
    if not ActionForm().validate_on_submit():
        flash(_("Biểu mẫu đã hết hạn, vui lòng tải lại trang và thử lại."), "danger")
        return _render_ballot(session, status=422)
    try:
        services.confirm(current_user, session)
    except RuleViolation as error:
        _refused(error)
        return _render_ballot(_member_session(session_id), status=409 if isinstance(error, StaleEdit) else 422)
    flash(_("Đã xác nhận kết quả bỏ phiếu; hồ sơ được chuyển trạng thái theo kết quả."), "success")
    return redirect(url_for("council.ballot", session_id=session_id))
