from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from honours.core import roles, web
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import small_int, with_id_prefix
from honours.core.web import refused, require_role
from honours.nominations import states
from honours.nominations.access import can_edit_dossier
from honours.nominations.models import Dossier
from honours.nominations.signals import dossier_page_sections
from honours.nominations.views import load_dossier
from honours.rounds.models import ACHIEVEMENT, STANDARDS, Round
from honours.rounds.signals import round_page_sections

from . import rules, services
from .forms import AnswerForm, AppraisalForm, BallotForm, ClaimsForm, OverrideForm, SetupForm
from .models import OPEN, VERDICTS

bp = Blueprint("selection", __name__, url_prefix="/selection")


# ---------------------------------------------------------------- sections of other pages

@round_page_sections.connect
def round_section(round_: Round) -> Markup:
    return Markup(render_template("selection/_round_section.html", round=round_,  # nosec B704 # autoescaped
                                  rule_label=rules.rule_label))


@dossier_page_sections.connect
def dossier_section(dossier: Dossier, user=None) -> Markup | None:
    """The nominator: each rule's result as a warning, the standards claimed, the questions to answer. The
    secretariat: pass/fail per rule with the facts, the appraisal. A council member: nothing here."""
    if user is None or user.role not in (roles.NOMINATOR, roles.SECRETARIAT):
        return None
    round_ = dossier.round
    results = services.rule_results(dossier)
    if not results and not round_.uses_standards:
        return None
    context = {
        "dossier": dossier, "results": results, "round": round_, "secretariat": user.role == roles.SECRETARIAT,
        "claims": {c.standard_id: c for c in services.claims_of(dossier)} if round_.uses_standards else {},
        "appraisals": services.appraisals_of(dossier) if round_.uses_standards else {},
        "clarifications": services.clarifications_of(dossier) if round_.uses_standards else [],
        "claim_problems": services.claim_problems(dossier) if can_edit_dossier(user, dossier) else [],
        "can_edit": can_edit_dossier(user, dossier), "met": round_.uses_standards and services.standards_met(dossier),
        "ballot_form": BallotForm() if _may_send_to_ballot(user, dossier) else None,
    }
    return Markup(render_template("selection/_dossier_section.html", **context))  # nosec B704 # autoescaped


def _may_send_to_ballot(user, dossier: Dossier) -> bool:
    return (user.role == roles.SECRETARIAT and dossier.round.selection_method == STANDARDS
            and dossier.state == states.ELIGIBLE)


# ---------------------------------------------------------------- the round's setup

@bp.route("/rounds/<int:round_id>", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def setup(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = SetupForm(obj=None if request.method == "POST" else _setup_defaults(round_))
    if request.method == "POST" and "add_standard" in request.form:
        form.standards.append_entry()
        return render_template("selection/setup.html", form=form, round=round_)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                services.save_setup(current_user, round_, _setup_data(form))
            except RuleViolation as error:
                status = refused(error)
            else:
                flash(_("Đã lưu phương thức xét chọn và điều kiện của đợt xét."), "success")
                return redirect(url_for("rounds.show", round_id=round_.id))
    return render_template("selection/setup.html", form=form, round=round_), status


class _Defaults:
    """The round's current setup in the shape of SetupForm (obj=)."""

    def __init__(self, round_: Round):
        self.selection_method = round_.selection_method
        self.achievement_standards_needed = round_.achievement_standards_needed
        self.standards = [{"id": s.id, "kind": s.kind, "name": s.name, "description": s.description,
                           "evidence": s.evidence} for s in round_.standards] or [{}]
        for kind, (_label, names) in rules.RULE_TYPES.items():
            setattr(self, kind, False)
            for name in names:
                setattr(self, f"{kind}_{name}", None)
        for rule in round_.eligibility_rules:
            setattr(self, rule.kind, True)
            for name, value in (rule.params or {}).items():
                if name == "reference_date" and value:
                    value = date.fromisoformat(value)
                setattr(self, f"{rule.kind}_{name}", value)


def _setup_defaults(round_: Round):
    return _Defaults(round_)


def _setup_data(form: SetupForm) -> services.SetupData:
    standards = [
        services.StandardRow(kind=row.form.kind.data, name=row.form.name.data.strip(),
                             description=row.form.description.data or "", evidence=row.form.evidence.data or "",
                             id=small_int(row.form.id.data))
        for row in form.standards if not row.form.remove.data and (row.form.name.data or "").strip()]
    chosen = {}
    for kind, (_label, names) in rules.RULE_TYPES.items():
        if form[kind].data:
            params = {}
            for name in names:
                value = form[f"{kind}_{name}"].data
                params[name] = value.isoformat() if hasattr(value, "isoformat") else (value or None)
            chosen[kind] = params
    return services.SetupData(selection_method=form.selection_method.data,
                              achievement_standards_needed=form.achievement_standards_needed.data or 1,
                              standards=standards, rules=chosen)


# ---------------------------------------------------------------- the nominator's claims

@bp.route("/dossiers/<int:dossier_id>/claims", methods=["GET", "POST"])
@require_role(roles.NOMINATOR)
def claims(dossier_id: int):
    dossier = load_dossier(dossier_id)
    standards = [s for s in dossier.round.standards if s.kind == ACHIEVEMENT]
    if not dossier.round.uses_standards or not can_edit_dossier(current_user, dossier):
        flash(_("Chỉ nêu tiêu chuẩn thành tích khi đợt xét theo tiêu chuẩn và hồ sơ còn được sửa."), "info")
        return redirect(url_for("nominations.show", dossier_id=dossier.id))
    form = ClaimsForm()
    if request.method == "GET" or not form.claims.entries:
        existing = {c.standard_id: c for c in services.claims_of(dossier)}
        form = ClaimsForm(formdata=None, data={"claims": [_claim_defaults(s, existing.get(s.id)) for s in standards]})
    _claim_choices(form, dossier)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                services.save_claims(current_user, dossier, _claim_rows(form, standards))
            except RuleViolation as error:
                status = refused(error)
            else:
                flash(_("Đã lưu các tiêu chuẩn thành tích."), "success")
                return redirect(url_for("nominations.show", dossier_id=dossier.id))
    rows = list(zip(standards, form.claims, strict=False))
    return render_template("selection/claims.html", dossier=dossier, form=form, rows=rows), status


def _claim_defaults(standard, claim) -> dict:
    return {"standard_id": str(standard.id), "claimed": claim is not None,
            "achievement": "" if claim is None or claim.achievement_position is None else str(
                claim.achievement_position),
            "attachment": "" if claim is None or claim.attachment_id is None else str(claim.attachment_id),
            "note": claim.note if claim else ""}


def _claim_choices(form: ClaimsForm, dossier: Dossier) -> None:
    achievements = [("", _("— Không chọn —"))] + [
        (str(i), f"{a.year} · {a.title}") for i, a in enumerate(dossier.achievements)]
    attachments = [("", _("— Không chọn —"))] + [(str(a.id), a.download_name) for a in dossier.current_attachments]
    for row in form.claims:
        row.form.achievement.choices = achievements
        row.form.attachment.choices = attachments


def _claim_rows(form: ClaimsForm, standards) -> list[services.ClaimRow]:
    known = {s.id for s in standards}
    rows = []
    for row in form.claims:
        standard_id = small_int(row.form.standard_id.data)
        if not row.form.claimed.data or standard_id not in known:
            continue
        rows.append(services.ClaimRow(standard_id, small_int(row.form.achievement.data),
                                      small_int(row.form.attachment.data), row.form.note.data or ""))
    return rows


# ---------------------------------------------------------------- the appraisal

@bp.route("/dossiers/<int:dossier_id>/appraisal", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def appraisal(dossier_id: int):
    dossier = load_dossier(dossier_id)
    standards = dossier.round.standards if dossier.round.uses_standards else []
    appraisals = services.appraisals_of(dossier)
    form = AppraisalForm()
    if request.method == "GET" or not form.rows.entries:
        form = AppraisalForm(formdata=None, data={"rows": [
            {"standard_id": str(s.id), "verdict": appraisals[s.id].verdict if s.id in appraisals else "",
             "note": appraisals[s.id].note if s.id in appraisals else ""} for s in standards]})
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                changed = _appraise(dossier, form, standards, appraisals)
            except RuleViolation as error:
                status = refused(error)
            else:
                flash(_("Đã ghi nhận thẩm định %(count)s tiêu chuẩn.", count=changed), "success")
                return redirect(url_for("selection.appraisal", dossier_id=dossier.id))
    return render_template("selection/appraisal.html", dossier=dossier, form=form,
                           rows=list(zip(standards, form.rows, strict=False)), results=services.rule_results(dossier),
                           clarifications=services.clarifications_of(dossier),
                           claims={c.standard_id: c for c in services.claims_of(dossier)},
                           override_forms=_override_forms(dossier), verdicts=VERDICTS), status


def _override_forms(dossier: Dossier) -> dict:
    """One reason form per failed rule still to decide, while the check is pending."""
    if dossier.state not in states.AWAITING_CHECK:
        return {}
    return {r.kind: with_id_prefix(OverrideForm(formdata=None, rule_kind=r.kind), f"{r.kind}-")
            for r in services.rule_results(dossier) if not r.settled}


def _appraise(dossier, form, standards, appraisals) -> int:
    """Record the rows whose verdict or note changed (an unchanged row asks no question twice)."""
    known = {s.id for s in standards}
    changed = 0
    for row in form.rows:
        standard_id = small_int(row.form.standard_id.data)
        verdict, note = row.form.verdict.data or "", (row.form.note.data or "").strip()
        if standard_id not in known or not verdict:
            continue
        current = appraisals.get(standard_id)
        if current is not None and (current.verdict, current.note) == (verdict, note):
            continue
        services.appraise(current_user, dossier, standard_id, verdict, note)
        changed += 1
    return changed


@bp.post("/dossiers/<int:dossier_id>/rules")
@require_role(roles.SECRETARIAT)
def override(dossier_id: int):
    dossier = load_dossier(dossier_id)
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            services.override_rule(current_user, dossier, form.rule_kind.data, form.override_reason.data,
                                   confirmed=web.confirmed())
        except ConfirmationNeeded as error:
            return web.confirmation_page(error, _("Chấp nhận dù không đạt điều kiện"),
                                         url_for("selection.appraisal", dossier_id=dossier.id))
        except RuleViolation as error:
            flash(error.message, "danger")
            db.session.rollback()
        else:
            flash(_("Đã ghi nhận quyết định về điều kiện."), "success")
    else:
        flash(_("Vui lòng nêu lý do chấp nhận hồ sơ dù không đạt điều kiện."), "danger")
    return redirect(url_for("selection.appraisal", dossier_id=dossier.id))


@bp.post("/dossiers/<int:dossier_id>/ballot")
@require_role(roles.SECRETARIAT)
def send_to_ballot(dossier_id: int):
    dossier = load_dossier(dossier_id)
    if BallotForm().validate_on_submit():
        try:
            services.send_to_ballot(current_user, dossier)
        except RuleViolation as error:
            flash(error.message, "danger")
            db.session.rollback()
        else:
            flash(_("Hồ sơ đạt tiêu chuẩn đã được đưa vào danh sách bỏ phiếu."), "success")
    return redirect(url_for("nominations.show", dossier_id=dossier.id))


# ---------------------------------------------------------------- the clarification exchange

@bp.route("/dossiers/<int:dossier_id>/clarifications", methods=["GET", "POST"])
@require_role(roles.NOMINATOR)
def clarifications(dossier_id: int):
    dossier = load_dossier(dossier_id)
    exchange = services.clarifications_of(dossier)
    form = AnswerForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            question = next((c for c in exchange if str(c.id) == form.clarification_id.data), None)
            if question is None:
                abort(404)
            upload = form.file.data
            try:
                services.answer(current_user, question, form.answer.data,
                                upload.stream if upload else None, upload.filename if upload else "",
                                form.kind.data)
            except RuleViolation as error:
                status = refused(error, form.answer)
            else:
                flash(_("Đã gửi câu trả lời cho Ban thư ký."), "success")
                return redirect(url_for("selection.clarifications", dossier_id=dossier.id))
    return render_template("selection/clarifications.html", dossier=dossier, exchange=exchange, form=form,
                           open_state=OPEN), status
