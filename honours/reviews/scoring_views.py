"""Council members: my dossiers, my score sheets, conflict declarations. Only the member's own sheet ever
appears here: never another reviewer's scores, comments or name."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from honours.core import clock, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import submitted_version
from honours.core.web import refused, require_role
from honours.nominations.models import Dossier
from honours.rounds.models import Round
from honours.rounds.services import current_round_id

from . import services
from .forms import ConflictForm, ExpertiseForm, score_sheet_form
from .results import weighted_total

bp = Blueprint("scoring", __name__, url_prefix="/reviews")


@bp.get("/")
@require_role(roles.COUNCIL)
def index():
    return _index_page()


def _index_page(refused: ExpertiseForm | None = None, refused_round_id: int | None = None, status: int = 200):
    mine = services.my_rounds(current_user, current_round_id())
    memberships = []
    for member in services.my_memberships(current_user):
        form = refused if member.round_id == refused_round_id else ExpertiseForm(
            formdata=None, expertise=[f.id for f in member.expertise])
        form.set_choices(member.round)
        memberships.append((member, form))
    return render_template("scoring/index.html", my_rounds=mine, now=clock.now(), memberships=memberships), status


@bp.post("/rounds/<int:round_id>/expertise")
@require_role(roles.COUNCIL)
def declare_expertise(round_id: int):
    member = services.membership(round_id, current_user.id)
    if member is None:
        abort(404)
    form = ExpertiseForm()
    form.set_choices(member.round)
    if not form.validate_on_submit():
        return _index_page(form, round_id, 422)
    try:
        services.declare_expertise(current_user, member.round, form.expertise.data or [])
    except RuleViolation as error:
        refused(error, form.expertise)
        return _index_page(form, round_id, 422)
    flash(_("Đã lưu lĩnh vực chuyên môn của bạn."), "success")
    return redirect(url_for("scoring.index"))


def _assigned_dossier(dossier_id: int, with_contents: bool = True) -> Dossier:
    """The dossier if it is assigned to the current member; 404 otherwise (others' dossiers are not confirmed).
    `with_contents`: its achievements and files, which the page shows (a save that succeeds only redirects)."""
    options = [joinedload(Dossier.field), joinedload(Dossier.organisation),
               joinedload(Dossier.round).selectinload(Round.criteria)]
    if with_contents:
        options += [selectinload(Dossier.achievements), selectinload(Dossier.attachments)]
    dossier = db.session.scalar(select(Dossier).options(*options).where(Dossier.id == dossier_id))
    if dossier is None or not services.is_assigned(current_user, dossier):
        abort(404)
    return dossier


def _render(dossier: Dossier, sheet, form, conflict_form=None, status: int = 200):
    round_ = dossier.round
    criteria = round_.criteria
    points = {item.criterion_id: item.points for item in sheet.items if item.points is not None}
    deadline_passed = clock.now() > round_.review_close_at
    return render_template(
        "scoring/sheet.html", dossier=dossier, round=round_, sheet=sheet, form=form, criteria=criteria,
        items={item.criterion_id: item for item in sheet.items}, total=weighted_total(points, criteria),
        deadline_passed=deadline_passed, editable=not sheet.is_submitted and not deadline_passed,
        conflict_form=conflict_form or ConflictForm(formdata=None),
    ), status


@bp.route("/<int:review_dossier_id>", methods=["GET", "POST"])
@require_role(roles.COUNCIL)
def sheet(review_dossier_id: int):
    dossier = _assigned_dossier(review_dossier_id, with_contents=request.method == "GET")
    score_sheet = services.sheet_for(current_user, dossier)
    criteria, decimals = dossier.round.criteria, dossier.round.score_decimals
    if request.method == "GET":
        return _render(dossier, score_sheet, score_sheet_form(criteria, decimals, sheet=score_sheet))
    form = score_sheet_form(criteria, decimals)
    if not form.validate_on_submit():
        return _render(dossier, score_sheet, form, status=422)
    submit = bool(form.submit_sheet.data)
    name = dossier.full_name  # read now: after the commit it would reload the dossier and everything eager-loaded
    try:
        saved = services.save_sheet(current_user, score_sheet, form.to_input(), submitted_version(form), submit=submit)
    except RuleViolation as error:
        status = refused(error)  # shown again with everything the member typed
        return _render(dossier, score_sheet, form, status=status)
    if not saved:
        flash(_("Phiếu này đã được nộp trước đó; không có thay đổi nào."), "info")
    elif submit:
        flash(_("Đã nộp phiếu chấm điểm hồ sơ %(name)s.", name=name), "success")
    else:
        flash(_("Đã lưu nháp phiếu chấm điểm."), "success")
    return redirect(url_for("scoring.sheet", review_dossier_id=review_dossier_id))


@bp.post("/<int:review_dossier_id>/conflict")
@require_role(roles.COUNCIL)
def declare_conflict(review_dossier_id: int):
    dossier = _assigned_dossier(review_dossier_id)
    form = ConflictForm()
    if form.validate_on_submit():
        try:
            services.declare_conflict(current_user, dossier, form.reason.data)
        except RuleViolation as error:
            refused(error, form.reason)
        else:
            flash(_("Đã ghi nhận xung đột lợi ích với hồ sơ %(name)s; bạn không còn được phân công hồ sơ này.",
                    name=dossier.full_name), "success")
            return redirect(url_for("scoring.index"))
    score_sheet = services.sheet_for(current_user, dossier)
    form_sheet = score_sheet_form(dossier.round.criteria, dossier.round.score_decimals, sheet=score_sheet)
    return _render(dossier, score_sheet, form_sheet, conflict_form=form, status=422)
