"""Starting, listing, cancelling jobs: what views and other features call. The worker is honours.core.jobs.worker.

    job = jobs.services.enqueue("national-export", current_user, {"format": "csv"})
    return redirect(url_for("jobs.show", job_id=job.id))

The job is queued in the caller's transaction: the worker sees it once the request commits.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from honours.core import clock, roles, storage
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.transactions import operation

from .models import Job
from .registry import INPUT, kind, kind_label
from .workflow import CANCELLED, FINISHED, JOB, RUNNING


def can_view(user, job: Job) -> bool:
    """A user sees their own jobs; the secretariat sees everyone's."""
    return user.role == roles.SECRETARIAT or job.user_id == user.id


@operation
def enqueue(kind_name: str, actor, params: dict | None = None) -> Job:
    """Queue a job of a registered kind for `actor` with JSON-serialisable `params`; returns it (flushed)."""
    if kind(kind_name) is None:
        raise ValueError(f"no handler registered for job kind {kind_name!r}")
    job = Job(user_id=actor.id, kind=kind_name, params=dict(params or {}))
    db.session.add(job)
    db.session.flush()
    return job


def visible(user):
    """The jobs the user may see, newest first (a statement, for paginate())."""
    query = select(Job).order_by(Job.id.desc())
    if user.role != roles.SECRETARIAT:
        query = query.where(Job.user_id == user.id)
    return query


@operation
def cancel(actor, job: Job) -> Job:
    """Stop a job that has not finished: a queued one never runs; a running one stops at its next progress step
    (the worker then throws its work away)."""
    if not can_view(actor, job):
        raise RuleViolation(_("Bạn không có quyền thực hiện thao tác này."))
    JOB.check(actor, job, "cancel")
    if (job.params or {}).get(INPUT):  # the upload it would have read: gone once the cancellation commits
        storage.remove_when_committed(job.params[INPUT])
    job.state = CANCELLED
    job.claim_token = None
    job.finished_at = clock.now()
    db.session.flush()
    return job


def may_cancel(actor, job: Job) -> bool:
    return can_view(actor, job) and JOB.may(actor, job, "cancel")


def status(job: Job) -> dict:
    """What the job page's script polls for (no personal data: the state, the numbers, the texts shown)."""
    return {
        "id": job.id, "state": job.state, "state_label": job.state_label, "done": job.progress_done,
        "total": job.progress_total, "percent": job.percent, "running": job.state == RUNNING,
        "finished": job.state in FINISHED, "error": job.error, "summary": job.summary,
        "progress_text": progress_text(job),
    }


def progress_text(job: Job) -> str:
    """"1.200 / 3.000 (40%)": numbers grouped the Vietnamese way (English shows the same digits)."""
    percent = job.percent
    if job.progress_total:
        done, total = (format(number, ",").replace(",", ".") for number in (job.progress_done, job.progress_total))
        return _("%(done)s / %(total)s (%(percent)s%%)", done=done, total=total, percent=percent)
    return _("%(percent)s%%", percent=percent)


def label(job: Job) -> str:
    return kind_label(job.kind)
