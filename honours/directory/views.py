"""The intellectuals database (secretariat only): search, profile, corrections, duplicates and merging, exports."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import posted_version, small_int, submitted_version
from honours.core.pagination import page_number
from honours.core.web import refused, require_role
from honours.organisations.models import Organisation
from honours.people.models import Person, PersonChangeProposal
from honours.people.workflows import ACCEPTED

from . import export, merging, proposals, services
from .forms import ANY, ExportForm, MergeForm, PersonForm, ProposalDecisionForm, SearchForm

bp = Blueprint("people", __name__, url_prefix="/tri-thuc")


@bp.get("/")
@require_role(roles.SECRETARIAT)
def index():
    form = SearchForm(request.args)
    form.field.choices = [ANY, *((name, name) for name in services.field_choices())]
    organisations = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    form.organisation_id.choices = [(0, _("Tất cả đơn vị")), *((o.id, o.name) for o in organisations)]
    form.validate()
    results = services.search(form.criteria(), page_number())
    return render_template("people/index.html", form=form, results=results, page=results.page,
                           pending_proposals=proposals.pending_count_shown())


def _live_or_redirect(person_id: int, endpoint: str):
    """(person, None) for a live record; (None, redirect) to the survivor's page for a merged one."""
    person = db.get_or_404(Person, person_id)
    if person.merged_into_id is None:
        return person, None
    survivor = services.resolve(person)
    flash(_("Hồ sơ #%(old)s đã được gộp vào hồ sơ #%(new)s.", old=person.id, new=survivor.id), "info")
    return None, redirect(url_for(endpoint, person_id=survivor.id))


@bp.get("/<int:person_id>")
@require_role(roles.SECRETARIAT)
def show(person_id: int):
    person, moved = _live_or_redirect(person_id, "people.show")
    if moved:
        return moved
    return render_template("people/show.html", profile=services.profile(person), person=person,
                           action_labels=services.ACTION_LABELS)


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def edit(person_id: int):
    person, moved = _live_or_redirect(person_id, "people.edit")
    if moved:
        return moved
    form = PersonForm(obj=person)
    if request.method == "GET":
        form.version.data = person.version
    if not form.validate_on_submit():
        return _edit_page(person, form, 422 if form.errors else 200)
    try:
        changed = services.update_profile(current_user, person, form.to_data(), submitted_version(form))
    except RuleViolation as error:
        status = refused(error)  # the form comes back with everything the user typed
        return _edit_page(person, form, status)
    flash(_("Đã lưu thông tin trí thức.") if changed else _("Không có thay đổi nào."), "success" if changed else "info")
    return redirect(url_for("people.show", person_id=person.id))


def _edit_page(person: Person, form: PersonForm, status: int):
    return render_template("people/edit.html", person=person, form=form,
                           field_options=services.field_choices()), status


@bp.get("/duplicates")
@require_role(roles.SECRETARIAT)
def duplicates():
    page = merging.duplicate_groups(page_number())
    return render_template("people/duplicates.html", page=page)


@bp.route("/<int:person_id>/merge/<int:other_id>", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def merge(person_id: int, other_id: int):
    first, second = db.get_or_404(Person, person_id), db.get_or_404(Person, other_id)
    if first.id == second.id or first.merged_into_id or second.merged_into_id:
        flash(_("Chỉ có thể gộp hai hồ sơ khác nhau, chưa được gộp."), "warning")
        return redirect(url_for("people.duplicates"))
    comparison = merging.compare(first, second)
    form = MergeForm()
    form.survivor_id.choices = [(p.id, _("Giữ hồ sơ #%(id)s: %(name)s", id=p.id, name=p.full_name))
                                for p in (first, second)]
    if request.method == "GET":
        form.survivor_id.data = comparison.suggested_survivor.id
        form.version_a.data, form.version_b.data = first.version, second.version
    if not form.validate_on_submit():
        return _merge_page(comparison, form, 422 if form.errors else 200)
    survivor_id = form.survivor_id.data
    other = second if survivor_id == first.id else first
    versions = {first.id: posted_version(form.version_a), second.id: posted_version(form.version_b)}
    try:
        survivor = merging.merge(current_user, survivor_id, other.id, versions)
    except RuleViolation as error:
        status = refused(error)
        return _merge_page(merging.compare(first, second), form, status)
    flash(_("Đã gộp hồ sơ #%(other)s vào hồ sơ #%(survivor)s; mọi liên kết được chuyển sang hồ sơ giữ lại.",
            other=other.id, survivor=survivor.id), "success")
    return redirect(url_for("people.show", person_id=survivor.id))


def _merge_page(comparison: merging.Comparison, form: MergeForm, status: int):
    return render_template("people/merge.html", comparison=comparison, form=form, labels=services.LABELS), status


@bp.get("/proposals")
@require_role(roles.SECRETARIAT)
def proposals_page():
    found = proposals.pending(page_number())
    return render_template("people/proposals.html", pending=found, page=found.page, form=ProposalDecisionForm(),
                           labels=proposals.FIELD_LABELS, shown=proposals.shown, current=proposals.current_text)


def _decision() -> tuple[str, int | None]:
    form = ProposalDecisionForm()
    if not form.validate_on_submit():
        abort(400)
    return form.decision.data or "", small_int(form.version.data)


@bp.post("/proposals/<int:proposal_id>")
@require_role(roles.SECRETARIAT)
def decide_proposal(proposal_id: int):
    db.get_or_404(PersonChangeProposal, proposal_id)
    decision, version = _decision()
    try:
        proposal = proposals.decide(current_user, proposal_id, decision, version)
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã cập nhật hồ sơ theo đề xuất.") if proposal.state == ACCEPTED else _("Đã từ chối đề xuất."),
              "success")
    return redirect(url_for("people.proposals_page"))


@bp.post("/<int:person_id>/proposals")
@require_role(roles.SECRETARIAT)
def decide_person_proposals(person_id: int):
    db.get_or_404(Person, person_id)
    decision, version = _decision()
    try:
        count = proposals.decide_all(current_user, person_id, decision, version)
    except RuleViolation as error:
        refused(error)
    else:
        flash(ngettext("Đã xét %(num)d đề xuất.", "Đã xét %(num)d đề xuất.", count), "success")
    return redirect(url_for("people.proposals_page"))


@bp.post("/export")
@require_role(roles.SECRETARIAT)
def start_export():
    """The national export runs as a background job: the button queues it, the job page shows its progress."""
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        job = export.start_national_export(current_user, form.format.data)
    except RuleViolation as error:
        refused(error)
        return redirect(url_for("people.index"))
    flash(_("Đã bắt đầu xuất dữ liệu. Khi xong, tệp sẽ có ở trang này để tải về."), "success")
    return redirect(url_for("jobs.show", job_id=job.id))
