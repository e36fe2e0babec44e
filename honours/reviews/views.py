"""Secretariat: the round's council, reviewer assignment, results and ranking, the Excel export."""
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from honours.auth.models import User
from honours.core import roles, web
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.pagination import page_number, paginate
from honours.core.urls import query_id
from honours.core.web import refused, require_role
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.rounds.models import Round
from honours.rounds.services import current_round_id
from honours.selection import services as selection

from . import export, results, services
from .forms import NONE, ActionForm, AssignForm, MemberForm, NewMemberForm, ReasonForm, UnassignForm
from .models import SUBMITTED, CouncilMember, ReviewAssignment, ScoreSheet
from .results_page import results_page as paged_results

bp = Blueprint("reviews", __name__, url_prefix="/rounds")
PER_PAGE = 25
LACKING_SHOWN = 10  # the summary lists the first few; the filtered list has them all


def _check_button_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


# ---------------------------------------------------------------- council

def _organisations():
    return db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()


def _save_member_from(form: MemberForm, round_: Round, user: User, member: CouncilMember | None = None):
    return services.save_member(
        current_user, round_, user, panel_field_id=form.panel_field_id.data or None,
        affiliation=form.affiliation.data or "",
        affiliation_organisation_id=form.affiliation_organisation_id.data or None,
        expertise_field_ids=form.expertise.data or [], member=member)


@bp.route("/<int:round_id>/council", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def council(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = NewMemberForm()
    form.set_choices(round_, _organisations())
    candidates = db.session.scalars(
        select(User).where(User.role == roles.COUNCIL, User.active.is_(True),
                           User.id.not_in(select(CouncilMember.user_id).where(CouncilMember.round_id == round_id)))
        .order_by(User.full_name)).all()
    form.user_id.choices = [(u.id, f"{u.full_name} ({u.email})") for u in candidates]
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        try:
            _save_member_from(form, round_, user)
        except RuleViolation as error:
            refused(error, form.user_id)
        else:
            flash(_("Đã thêm %(name)s vào hội đồng.", name=user.full_name), "success")
            return redirect(url_for("reviews.council", round_id=round_id))
    page = render_template("reviews/council.html", round=round_, members=services.council(round_id), form=form,
                           assigned=services.assigned_per_reviewer(round_id),
                           submitted=services.submitted_per_reviewer(round_id), remove_form=ActionForm())
    return page, 422 if form.errors else 200


def _member(round_id: int, member_id: int) -> CouncilMember:
    member = db.session.scalar(select(CouncilMember).options(joinedload(CouncilMember.user),
                                                            selectinload(CouncilMember.expertise))
                               .where(CouncilMember.id == member_id))
    if member is None or member.round_id != round_id:
        abort(404)
    return member


@bp.route("/<int:round_id>/council/<int:council_member_id>/edit", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def edit_member(round_id: int, council_member_id: int):
    round_ = db.get_or_404(Round, round_id)
    member = _member(round_id, council_member_id)
    form = MemberForm(data={
        "panel_field_id": member.panel_field_id or NONE, "affiliation": member.affiliation,
        "affiliation_organisation_id": member.affiliation_organisation_id or NONE,
        "expertise": [f.id for f in member.expertise],
    })
    form.set_choices(round_, _organisations())
    if form.validate_on_submit():
        try:
            _save_member_from(form, round_, member.user, member)
        except RuleViolation as error:
            refused(error)
        else:
            flash(_("Đã lưu thông tin thành viên %(name)s.", name=member.user.full_name), "success")
            return redirect(url_for("reviews.council", round_id=round_id))
    status = 422 if request.method == "POST" else 200
    return render_template("reviews/member_form.html", round=round_, member=member, form=form), status


@bp.post("/<int:round_id>/council/<int:council_member_id>/remove")
@require_role(roles.SECRETARIAT)
def remove_member(round_id: int, council_member_id: int):
    member = _member(round_id, council_member_id)
    _check_button_form()
    name = member.user.full_name
    try:
        services.remove_member(current_user, member)
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã bỏ %(name)s khỏi hội đồng.", name=name), "success")
    return redirect(url_for("reviews.council", round_id=round_id))


# ---------------------------------------------------------------- assignments

def _in_review(round_: Round):
    return (Dossier.round_id == round_.id) & Dossier.state.in_(states.IN_REVIEW)


def _reviewer_choices(form: AssignForm, overview: services.AssignmentOverview) -> None:
    """Each member with their field(s) and load in this round, so the secretariat picks with both in view."""
    def fields(member: CouncilMember) -> str:
        names = [member.panel_field.name] if member.panel_field else []
        names += [f.name for f in member.expertise if f.name not in names]
        return ", ".join(names) or "—"

    form.reviewer_id.choices = [(NONE, _("— Chọn người chấm —"))] + [
        (m.user_id, _("%(name)s · %(fields)s · đã giao %(assigned)s, đã nộp %(submitted)s", name=m.user.full_name,
                      fields=fields(m), assigned=overview.load.get(m.user_id, 0),
                      submitted=overview.done.get(m.user_id, 0)))
        for m in overview.members]


def _assignments_page(round_: Round, assign_form: AssignForm, status: int = 200):
    overview = services.overview(round_)
    _reviewer_choices(assign_form, overview)
    only_lacking = request.args.get("only") == "lacking"
    query = (select(Dossier).options(joinedload(Dossier.field), joinedload(Dossier.organisation))
             .where(_in_review(round_)).order_by(Dossier.id))
    if only_lacking:
        have = (select(func.count(ReviewAssignment.id)).where(ReviewAssignment.dossier_id == Dossier.id)
                .correlate(Dossier).scalar_subquery())
        query = query.where(have < round_.reviewers_per_dossier)
    page = paginate(query, PER_PAGE)
    # The sheet status of each reviewer on this page's dossiers: a submitted sheet cannot just be unassigned.
    sheet_status = {(d, r): s for d, r, s in db.session.execute(
        select(ScoreSheet.dossier_id, ScoreSheet.reviewer_id, ScoreSheet.status)
        .where(ScoreSheet.dossier_id.in_([d.id for d in page.items])))}
    rounds = db.session.execute(select(Round.id, Round.name).order_by(Round.year.desc(), Round.id.desc())).all()
    return render_template(
        "reviews/assignments.html", round=round_, overview=overview, page=page, only_lacking=only_lacking,
        sheet_status=sheet_status, assign_form=assign_form, action_form=ActionForm(),
        picked=set(assign_form.chosen_dossiers()) if assign_form.errors or status != 200 else set(),
        lacking_shown=LACKING_SHOWN, rounds=rounds,
    ), status


@bp.get("/assignments")
@require_role(roles.SECRETARIAT)
def current_assignments():
    """The assignments page of the current round (or of the round chosen in the page's round switcher)."""
    round_id = query_id("round_id") or current_round_id()
    if round_id is None or db.session.get(Round, round_id) is None:
        flash(_("Chưa có đợt xét nào."), "info")
        return redirect(url_for("rounds.index"))
    return redirect(url_for("reviews.assignments", round_id=round_id))


@bp.get("/<int:round_id>/assignments")
@require_role(roles.SECRETARIAT)
def assignments(round_id: int):
    return _assignments_page(db.get_or_404(Round, round_id), AssignForm(formdata=None))


@bp.post("/<int:round_id>/assignments")
@require_role(roles.SECRETARIAT)
def assign(round_id: int):
    """The ticked dossiers to one reviewer, all or nothing (services.assign_many)."""
    round_ = db.get_or_404(Round, round_id)
    form = AssignForm()
    form.reviewer_id.choices = [(NONE, "")] + [tuple(r) for r in db.session.execute(
        select(CouncilMember.user_id, User.full_name).join(User, User.id == CouncilMember.user_id)
        .where(CouncilMember.round_id == round_id))]
    status = 422
    if form.validate_on_submit():
        reviewer = db.session.get(User, form.reviewer_id.data)
        chosen = form.chosen_dossiers()
        try:
            made = services.assign_many(current_user, round_, chosen, reviewer, confirmed=web.confirmed(),
                                        override_reason=web.override_reason())
        except ConfirmationNeeded as error:
            return web.confirmation_page(error, _("Phân công vượt số người chấm của đợt"),
                                         url_for("reviews.assignments", round_id=round_id), _("Vẫn phân công"))
        except RuleViolation as error:
            status = refused(error, form.dossier_ids if not chosen else form.reviewer_id)
        else:
            names = ", ".join(a.dossier.full_name for a in made) if len(made) <= 3 else None
            flash(_("Đã phân công %(reviewer)s chấm hồ sơ %(dossier)s.", reviewer=reviewer.full_name, dossier=names)
                  if names else ngettext("Đã phân công %(reviewer)s chấm %(num)d hồ sơ.",
                                         "Đã phân công %(reviewer)s chấm %(num)d hồ sơ.", len(made),
                                         reviewer=reviewer.full_name), "success")
            return redirect(url_for("reviews.assignments", round_id=round_id, **_list_args()))
    return _assignments_page(round_, form, status)


def _list_args() -> dict:
    """The list's page and filter, posted back by the assignment forms (so the secretariat stays where it was)."""
    page = request.form.get("page", type=int)
    return {"page": page if page and page > 1 else None,
            "only": "lacking" if request.form.get("only") == "lacking" else None}


@bp.post("/<int:round_id>/assignments/auto")
@require_role(roles.SECRETARIAT)
def auto_assign(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    _check_button_form()
    try:
        made = services.auto_assign(current_user, round_)
    except RuleViolation as error:
        refused(error)
    else:
        if made:
            flash(_("Đã phân công tự động %(n)s lượt chấm.", n=made), "success")
        else:
            flash(_("Không có lượt phân công mới: mọi hồ sơ đã đủ người chấm hoặc không còn thành viên phù hợp."),
                  "info")
    return redirect(url_for("reviews.assignments", round_id=round_id))


@bp.post("/<int:round_id>/assignments/remind")
@require_role(roles.SECRETARIAT)
def send_reminders(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    _check_button_form()
    count = services.send_reminders(current_user, round_)
    if count:
        flash(_("Đã gửi email nhắc nhở tới %(n)s thành viên còn hồ sơ chưa nộp phiếu.", n=count), "success")
    else:
        flash(_("Không có thành viên nào còn phiếu chưa nộp."), "info")
    return redirect(url_for("reviews.assignments", round_id=round_id))


@bp.route("/assignments/<int:assignment_id>/unassign", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def unassign(assignment_id: int):
    """Removing a reviewer: this page states what happens and asks the (optional) reason; its button confirms."""
    assignment = db.session.scalar(select(ReviewAssignment).options(
        joinedload(ReviewAssignment.dossier), joinedload(ReviewAssignment.reviewer))
        .where(ReviewAssignment.id == assignment_id)) or abort(404)
    round_id, reviewer, dossier = assignment.dossier.round_id, assignment.reviewer, assignment.dossier
    form = UnassignForm()
    back = url_for("reviews.assignments", round_id=round_id, **(_list_args() if request.method == "POST" else {
        "page": request.args.get("page", type=int), "only": request.args.get("only") or None}))
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                services.unassign(current_user, assignment, form.reason.data or "", confirmed=web.confirmed())
            except ConfirmationNeeded as error:
                return web.confirmation_page(error, _("Gỡ phân công chấm"), back, _("Gỡ phân công"))
            except RuleViolation as error:
                status = refused(error, form.reason)
            else:
                flash(_("Đã gỡ phân công %(reviewer)s khỏi hồ sơ %(dossier)s.", reviewer=reviewer.full_name,
                        dossier=dossier.full_name), "success")
                return redirect(back)
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.dossier_id == dossier.id,
                                                       ScoreSheet.reviewer_id == reviewer.id))
    return render_template("reviews/unassign.html", assignment=assignment, form=form, back=back,
                           consequence=services.unassign_consequence(assignment, sheet),
                           submitted=sheet is not None and sheet.is_submitted,
                           page=request.values.get("page", type=int),
                           only=request.values.get("only") == "lacking"), status


# ---------------------------------------------------------------- results

def _sheet_ids(dossier_ids: list[int]) -> dict[tuple[int, int], int]:
    return {(d, r): s for s, d, r in db.session.execute(
        select(ScoreSheet.id, ScoreSheet.dossier_id, ScoreSheet.reviewer_id)
        .where(ScoreSheet.dossier_id.in_(dossier_ids), ScoreSheet.status == SUBMITTED))}


@bp.get("/<int:round_id>/results", endpoint="results")
@require_role(roles.SECRETARIAT)
def results_page(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    rankings, page = paged_results(round_, page_number(), PER_PAGE)
    dossier_ids = [r.dossier.id for ranking in rankings for r in ranking.results]
    return render_template("reviews/results.html", round=round_, rankings=rankings, page=page,
                           criteria=round_.criteria, sheet_ids=_sheet_ids(dossier_ids),
                           standards_met=selection.met_standard_names(round_, dossier_ids))


@bp.get("/<int:round_id>/results.xlsx")
@require_role(roles.SECRETARIAT)
def export_results(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    content = export.export_results(current_user, round_)  # audited
    response = send_file(BytesIO(content), mimetype=export.XLSX_MIMETYPE, as_attachment=True,
                         download_name=export.filename(round_), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/sheets/<int:sheet_id>/reopen", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def reopen_sheet(sheet_id: int):
    sheet = db.session.scalar(
        select(ScoreSheet).options(joinedload(ScoreSheet.dossier).joinedload(Dossier.round),
                                   joinedload(ScoreSheet.reviewer), selectinload(ScoreSheet.items))
        .where(ScoreSheet.id == sheet_id)) or abort(404)
    form = ReasonForm()
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            services.reopen_sheet(current_user, sheet, form.reason.data)
        except RuleViolation as error:
            status = refused(error, form.reason)
        else:
            flash(_("Đã mở lại phiếu của %(reviewer)s cho hồ sơ %(dossier)s.", reviewer=sheet.reviewer.full_name,
                    dossier=sheet.dossier.full_name), "success")
            return redirect(url_for("reviews.results", round_id=sheet.dossier.round_id))
    criteria = sheet.dossier.round.criteria
    sheet_points = {item.criterion_id: item.points for item in sheet.items if item.points is not None}
    return render_template("reviews/reopen.html", sheet=sheet, form=form, criteria=criteria,
                           sheet_points=sheet_points, total=results.weighted_total(sheet_points, criteria)), status
