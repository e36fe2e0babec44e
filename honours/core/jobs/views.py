"""The job pages (/cong-viec/): my jobs (the secretariat: everyone's), one job's progress, its file."""
import os

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload

from honours.core.errors import RuleViolation
from honours.core.pagination import paginate
from honours.core.roles import ALL_ROLES
from honours.core.web import load_or_404, refused, require_role

from . import services
from .models import Job
from .registry import stored_path

bp = Blueprint("jobs", __name__, url_prefix="/cong-viec")
REFRESH_SECONDS = 3  # the page reloads itself this often while the job runs, for browsers without JavaScript


@bp.get("/")
@require_role(*ALL_ROLES)
def index():
    page = paginate(services.visible(current_user).options(joinedload(Job.user)), 50)
    return render_template("jobs/index.html", page=page, label=services.label,
                           progress_text=services.progress_text)


def _job(job_id: int) -> Job:
    return load_or_404(Job, job_id, services.can_view)


@bp.get("/<int:job_id>")
@require_role(*ALL_ROLES)
def show(job_id: int):
    job = _job(job_id)
    return render_template("jobs/show.html", job=job, label=services.label(job),
                           progress_text=services.progress_text(job), refresh=REFRESH_SECONDS,
                           may_cancel=services.may_cancel(current_user, job), form=FlaskForm())


@bp.get("/<int:job_id>/status.json")
@require_role(*ALL_ROLES)
def status(job_id: int):
    response = jsonify(services.status(_job(job_id)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:job_id>/download")
@require_role(*ALL_ROLES)
def download(job_id: int):
    job = _job(job_id)
    if not job.has_result or not os.path.exists(stored_path(job.result_stored_name)):
        abort(404)
    response = send_file(stored_path(job.result_stored_name), mimetype=job.result_type, as_attachment=True,
                         download_name=job.result_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"  # exports hold personal data: never kept by a cache
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/<int:job_id>/cancel")
@require_role(*ALL_ROLES)
def cancel(job_id: int):
    job = _job(job_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.cancel(current_user, job)
    except RuleViolation as error:
        refused(error)
    else:
        flash(_("Đã huỷ công việc."), "success")
    return redirect(url_for("jobs.show", job_id=job_id))
