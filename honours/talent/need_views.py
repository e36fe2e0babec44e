"""Needs pages: departments and the secretariat post needs; the secretariat matches pool members and records
outcomes; a department follows its own needs' matches read-only."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import VersionForm, submitted_version, with_id_prefix
from honours.core.pagination import paginate
from honours.core.web import refused, require_role

from . import needs
from .access import can_manage_need, can_post_need, can_view_need
from .forms import NeedFilterForm, NeedForm, OutcomeForm, ProposeForm
from .models import OPEN, OUTCOME_LABELS, PROPOSED, NeedMatch, PoolEntry, TalentNeed

NEED_ROLES = (roles.SECRETARIAT, roles.NOMINATOR)  # nominators: departments only (checked in each view)


def _require_need_poster() -> None:
    if not can_post_need(current_user):
        abort(403)


def _load_need(need_id: int) -> TalentNeed:
    _require_need_poster()
    need = needs.load_need(need_id)
    if need is None or not can_view_need(current_user, need):
        abort(404)
    return need


@require_role(*NEED_ROLES)
def needs_list():
    _require_need_poster()
    form = NeedFilterForm(request.args)
    form.validate()
    query = needs.needs_query(current_user, needs.NeedFilter(status=form.status.data or None))
    page = paginate(query)
    return render_template("talent/needs.html", form=form, page=page)


@require_role(*NEED_ROLES)
def need_create():
    _require_need_poster()
    return _edit(None)


@require_role(*NEED_ROLES)
def need_edit(need_id: int):
    need = _load_need(need_id)
    if need.status != OPEN:
        flash(_("Nhu cầu này đã đóng."), "warning")
        return redirect(url_for("talent.need", need_id=need.id))
    return _edit(need)


def _edit(need: TalentNeed | None):
    form = NeedForm(obj=need)
    if request.method == "GET" and need is not None:
        form.version.data = need.version
    if not form.validate_on_submit():
        return _form_page(form, need, 422 if form.errors else 200)
    try:
        need = needs.save_need(current_user, form.to_data(), need, submitted_version(form))
    except RuleViolation as error:
        status = refused(error)
        return _form_page(form, need, status)
    flash(_("Đã lưu nhu cầu."), "success")
    return redirect(url_for("talent.need", need_id=need.id))


def _form_page(form, need: TalentNeed | None, status: int = 200):
    return render_template("talent/need_form.html", form=form, need=need), status


@require_role(*NEED_ROLES)
def need(need_id: int):
    return render_need(_load_need(need_id))


def render_need(need: TalentNeed, failed_outcome: tuple[int, OutcomeForm] | None = None, status: int = 200):
    """The need with its matches; the secretariat also gets the suggestion list and the outcome forms (a refused
    outcome form comes back with what was typed)."""
    secretariat = current_user.role == roles.SECRETARIAT
    outcome_forms = {}
    if secretariat:
        for match in need.matches:
            outcome_forms[match.id] = OutcomeForm(formdata=None, version=match.version,
                                                  outcome=None if match.outcome == PROPOSED else match.outcome,
                                                  note=match.note)
        if failed_outcome:
            outcome_forms[failed_outcome[0]] = failed_outcome[1]
        for match_id, form in outcome_forms.items():
            with_id_prefix(form, f"match-{match_id}-")
    return render_template(
        "talent/need.html", need=need, secretariat=secretariat,
        can_manage=can_manage_need(current_user, need) and need.status == OPEN,
        suggestions=needs.suggestions(need) if secretariat and need.status == OPEN else [],
        history=needs.match_history(need) if secretariat else {}, outcome_forms=outcome_forms,
        version_form=VersionForm(version=need.version), propose_form=ProposeForm(),
        outcome_labels=OUTCOME_LABELS, field_weight=needs.FIELD_WEIGHT,
    ), status


@require_role(*NEED_ROLES)
def need_close(need_id: int):
    need = _load_need(need_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        needs.close_need(current_user, need, submitted_version(form))
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã đóng nhu cầu."), "success")
    return redirect(url_for("talent.need", need_id=need_id))


@require_role(roles.SECRETARIAT)
def propose(need_id: int):
    need = _load_need(need_id)
    form = ProposeForm()
    entry = db.session.get(PoolEntry, form.pool_entry_id.data or 0) if form.validate_on_submit() else None
    if entry is None:
        flash(_("Vui lòng chọn người trong nguồn nhân tài để đề xuất."), "danger")
        return redirect(url_for("talent.need", need_id=need_id))
    try:
        match = needs.propose(current_user, need, entry)
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã đề xuất %(name)s cho nhu cầu này.", name=match.entry.person.full_name), "success")
    return redirect(url_for("talent.need", need_id=need_id) )


@require_role(roles.SECRETARIAT)
def outcome(need_match_id: int):
    match = db.session.get(NeedMatch, need_match_id) or abort(404)
    need_id = match.need_id
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            needs.record_outcome(current_user, match, form.outcome.data, form.note.data or "",
                                 submitted_version(form))
        except RuleViolation as error:
            status = refused(error, form.note)
        else:
            flash(_("Đã ghi nhận kết quả: %(outcome)s.", outcome=match.outcome_label), "success")
            return redirect(url_for("talent.need", need_id=need_id) )
    else:
        status = 422
    return render_need(_load_need(need_id), (need_match_id, form), status)
