"""Demo background jobs, one in each state, all the secretary's national exports: one done (its file written for
real, and audited as a real export is), one running at 40%, one queued, one failed after its worker was
interrupted too often, one cancelled. `make run` starts a worker, which runs the queued one at once and resumes
the running one once its heartbeat is older than JOBS_STALE_SECONDS: the demo shows both happening."""
from datetime import datetime, timedelta

from honours.auth.models import User
from honours.core import clock, roles
from honours.core.db import db
from honours.core.jobs import Job
from honours.core.jobs.workflow import CANCELLED, DONE, FAILED, QUEUED, RUNNING
from honours.directory import export

INTERRUPTED = ("Công việc bị gián đoạn 3 lần (máy chủ xử lý dừng giữa chừng) nên đã dừng hẳn. Vui lòng chạy lại; "
               "nếu lỗi lặp lại, hãy báo quản trị hệ thống.")


def seed_jobs(now: datetime, accounts: list[User]) -> list[str]:
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    total = export.count()

    def job(state: str, extension: str, ago: timedelta, **fields) -> Job:
        created = now - ago
        record = Job(user_id=secretary.id, kind=export.JOB_KIND, params={"format": extension}, state=state,
                     created_at=created, **fields)
        db.session.add(record)
        db.session.flush()
        return record

    finished = now - timedelta(days=2) + timedelta(minutes=1)
    done = job(DONE, "csv", timedelta(days=2), attempts=1, started_at=now - timedelta(days=2), finished_at=finished,
               heartbeat_at=finished)
    with clock.frozen(finished):
        result = export.run_national_export(done, lambda done_rows, total_rows=None: None)
    done.result_stored_name, done.result_name, done.result_type, done.summary = (
        result.stored_name, result.download_name, result.mimetype, result.summary)
    done.progress_done = done.progress_total = total
    job(FAILED, "xlsx", timedelta(days=1), attempts=4, started_at=now - timedelta(days=1),
        finished_at=now - timedelta(days=1) + timedelta(minutes=20), error=INTERRUPTED,
        progress_done=total // 3, progress_total=total)
    job(CANCELLED, "xlsx", timedelta(hours=5), finished_at=now - timedelta(hours=5) + timedelta(minutes=1))
    job(RUNNING, "xlsx", timedelta(minutes=2), attempts=1, started_at=now - timedelta(minutes=2),
        heartbeat_at=now, claim_token="demo",  # nosec B106 # a job claim marker, not a password
        progress_done=total * 2 // 5, progress_total=total)
    job(QUEUED, "csv", timedelta(minutes=1))
    db.session.commit()
    return ["  Background jobs (/cong-viec/): the secretary's national exports, one in each state "
            "(done with its file, running, queued, failed, cancelled)."]
