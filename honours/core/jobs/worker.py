"""The worker (`flask --app wsgi jobs work`): the job table is the queue.

Claiming works like the outbox's (honours.core.outbox.services): a SELECT of the next due job (PostgreSQL skips
rows another worker has locked, FOR UPDATE SKIP LOCKED), then a compare-and-set UPDATE that must touch exactly one
row, committed before the work starts: two workers never run the same job. The claim carries a random token and a
heartbeat; progress writes refresh the heartbeat, and only the token's holder may record progress or the outcome.

A worker that dies (killed, machine restarted) leaves its job "running" with a heartbeat that stops moving. Once it
is older than JOBS_STALE_SECONDS, any worker claims the job again and runs it from the start (handlers are
restartable), counting the attempt; after JOBS_MAX_ATTEMPTS the job is failed with a message saying so. A job is
never silently lost. SIGTERM (systemctl stop, Ctrl-C) is graceful: the running job stops at its next progress
step and goes back to the queue without using up an attempt.
"""
import logging
import signal
import threading
import time
import uuid
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import OperationalError

from honours.core import clock
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.transactions import commit_deferred

from .models import Job
from .registry import INPUT, Result, kind, remove_input, remove_results
from .workflow import DONE, JOB, QUEUED, RUNNING

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5  # progress is written at most this often (and always at the end)


class Interrupted(Exception):
    """The job was cancelled, taken over by another worker, or the worker is stopping: drop the work."""

    def __init__(self, requeue: bool = False):
        super().__init__("job interrupted")
        self.requeue = requeue


def _stale_before(now):
    return now - timedelta(seconds=current_app.config["JOBS_STALE_SECONDS"])


def _claimable(now):
    """Queued jobs, and running jobs whose worker stopped sending heartbeats (it died)."""
    return or_(Job.state == QUEUED,
               and_(Job.state == RUNNING, or_(Job.heartbeat_at.is_(None), Job.heartbeat_at <= _stale_before(now))))


def _holding(job_id: int, token: str, action: str):
    transition = JOB.permitted(None, action)
    return and_(Job.id == job_id, Job.claim_token == token, Job.state.in_(transition.sources)), transition


def claim_next(skip: set[int]) -> tuple[Job, str] | None:
    """Claim the next due job, committed. Returns (job, token), or None when nothing is due."""
    claim = JOB.permitted(None, "claim")
    while True:
        now = clock.now()
        query = (select(Job.id).where(_claimable(now)).order_by(Job.id).limit(1).with_for_update(skip_locked=True))
        if skip:
            query = query.where(Job.id.not_in(skip))
        job_id = db.session.scalar(query)
        if job_id is None:
            db.session.rollback()
            return None
        token = uuid.uuid4().hex
        # Compare-and-set: on SQLite (no row locks) another worker may have claimed it since the SELECT.
        claimed = db.session.execute(
            update(Job).where(Job.id == job_id, _claimable(now), Job.state.in_(claim.sources))
            .values(state=claim.target, claim_token=token, heartbeat_at=now, started_at=now,
                    attempts=Job.attempts + 1, progress_done=0)
            .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        if claimed == 1:
            db.session.expire_all()
            return db.session.get(Job, job_id), token
        skip.add(job_id)


class Progress:
    """`progress(n, total)`: how far the handler got. Written through a connection of its own (the handler's
    transaction stays uncommitted until the end), at most every PROGRESS_EVERY_SECONDS; raises Interrupted when
    the job was cancelled or taken over, or the worker is stopping."""

    def __init__(self, job_id: int, token: str, stopping: threading.Event | None = None):
        self.job_id, self.token, self.stopping = job_id, token, stopping
        self.done, self.total = 0, None
        self._written_at = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if self.stopping is not None and self.stopping.is_set():
            raise Interrupted(requeue=True)
        now = time.monotonic()
        if now - self._written_at < PROGRESS_EVERY_SECONDS and done != self.total:
            return
        self._written_at = now
        self.write()

    def write(self) -> None:
        values = {"progress_done": self.done, "heartbeat_at": clock.now()}
        if self.total is not None:
            values["progress_total"] = self.total
        try:
            with db.engine.connect() as connection:
                sqlite = connection.dialect.name == "sqlite"
                if sqlite:  # never wait long on SQLite's one write lock: progress can be written next time
                    connection.exec_driver_sql("PRAGMA busy_timeout=200")
                try:
                    where, _transition = _holding(self.job_id, self.token, "finish")
                    held = connection.execute(update(Job).where(where).values(**values)).rowcount
                    connection.commit()
                finally:
                    if sqlite:
                        connection.exec_driver_sql("PRAGMA busy_timeout=10000")
        except OperationalError:
            log.debug("jobs: progress of job %s not written (database busy)", self.job_id, exc_info=True)
            return
        if held != 1:
            raise Interrupted()


def _finish(job: Job, token: str, result: Result | None) -> bool:
    """Record "done" in the handler's transaction, so what it wrote commits with it. False: no longer ours."""
    result = result or Result()
    where, finish = _holding(job.id, token, "finish")
    done = db.session.execute(
        update(Job).where(where)
        .values(state=finish.target, finished_at=clock.now(), heartbeat_at=clock.now(), claim_token=None,
                result_stored_name=result.stored_name, result_name=result.download_name,
                result_type=result.mimetype, summary=result.summary or "", error="",
                progress_done=func.coalesce(Job.progress_total, Job.progress_done))  # done: all of it
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        db.session.rollback()
        return False
    db.session.commit()
    return True


def _fail(job_id: int, token: str, error: str) -> None:
    where, fail = _holding(job_id, token, "fail")
    db.session.execute(update(Job).where(where)
                       .values(state=fail.target, error=error[:2000], finished_at=clock.now(), claim_token=None)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _requeue(job_id: int, token: str) -> None:
    """The worker is stopping: the job goes back to the queue, the attempt not counted."""
    where, release = _holding(job_id, token, "release")
    db.session.execute(update(Job).where(where)
                       .values(state=release.target, claim_token=None, heartbeat_at=None, attempts=Job.attempts - 1)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _message(text_of) -> str:
    """A message for the user, in Vietnamese whatever the worker's environment (the language of the platform)."""
    with force_locale("vi"):
        return str(text_of())


def run(job: Job, token: str, stopping: threading.Event | None = None) -> str:
    """Run one claimed job to its end; returns the state it ended in. Once it is done or failed, the uploaded
    file it worked on (params["input"]) goes too; an interrupted job keeps it for the next run."""
    params = dict(job.params or {})
    outcome = _run(job, token, stopping)
    if outcome in ("done", "failed"):
        remove_input(params.get(INPUT))
    return outcome


def _run(job: Job, token: str, stopping: threading.Event | None) -> str:
    job_id, attempts = job.id, job.attempts
    if attempts > current_app.config["JOBS_MAX_ATTEMPTS"]:
        log.warning("jobs: job %s was interrupted %s times; failing it", job_id, attempts - 1)
        _fail(job_id, token, _message(lambda: _(
            "Công việc bị gián đoạn %(count)s lần (máy chủ xử lý dừng giữa chừng) nên đã dừng hẳn. Vui lòng chạy "
            "lại; nếu lỗi lặp lại, hãy báo quản trị hệ thống.", count=attempts - 1)))
        return "failed"
    known = kind(job.kind)
    if known is None:
        _fail(job_id, token, _message(lambda: _("Loại công việc này không còn được hỗ trợ.")))
        return "failed"
    if attempts > 1:
        log.warning("jobs: job %s (%s) was interrupted; running it again (attempt %s)", job_id, job.kind, attempts)
    remove_results(job_id)  # what an earlier, interrupted run left
    progress = Progress(job_id, token, stopping)
    try:
        with force_locale("vi"), commit_deferred():  # services the handler calls commit with the outcome
            result = known.run(job, progress)
        if progress.total is not None:
            progress.done = progress.total
            progress.write()
    except Interrupted as stop:
        db.session.rollback()
        remove_results(job_id)
        if stop.requeue:
            _requeue(job_id, token)
            return "queued"
        return "interrupted"
    except RuleViolation as refusal:  # the handler's own reason, already in Vietnamese
        db.session.rollback()
        remove_results(job_id)
        _fail(job_id, token, refusal.message)
        return "failed"
    except Exception:
        db.session.rollback()
        remove_results(job_id)
        log.exception("jobs: job %s (%s) failed", job_id, job.kind)
        _fail(job_id, token, _message(lambda: _(
            "Đã xảy ra lỗi khi thực hiện công việc. Lỗi đã được ghi lại cho quản trị hệ thống; vui lòng thử lại sau.")))
        return "failed"
    if not _finish(job, token, result):
        remove_results(job_id)
        return "interrupted"
    return "done"


def expire_results() -> int:
    """Result files older than JOBS_RESULT_DAYS are deleted (exports hold personal data: storage limitation, as
    the import error reports are). The job row stays, saying its file was removed. Returns how many."""
    cutoff = clock.now() - timedelta(days=current_app.config["JOBS_RESULT_DAYS"])
    expired = db.session.execute(select(Job.id, Job.result_stored_name).where(
        Job.state == DONE, Job.result_stored_name.is_not(None), Job.finished_at < cutoff)).all()
    for job_id, stored_name in expired:
        db.session.execute(update(Job).where(Job.id == job_id, Job.result_stored_name == stored_name)
                           .values(result_stored_name=None).execution_options(synchronize_session=False))
    db.session.commit()
    for job_id, _stored_name in expired:
        remove_results(job_id)
    return len(expired)


def run_due(stopping: threading.Event | None = None, limit: int | None = None) -> dict[str, int]:
    """Claim and run due jobs one at a time until none is due (or `limit` ran, or stopping). Counts by outcome."""
    counts: dict[str, int] = {}
    expired = expire_results()
    skip: set[int] = set()
    while limit is None or sum(counts.values()) < limit:
        if stopping is not None and stopping.is_set():
            break
        claim = claim_next(skip)
        if claim is None:
            break
        job, token = claim
        skip.add(job.id)
        outcome = run(job, token, stopping)
        counts[outcome] = counts.get(outcome, 0) + 1
    if expired:
        counts["expired"] = expired
    return counts


def work(idle_seconds: float = 2.0, stopping: threading.Event | None = None) -> None:
    """The worker loop: run what is due, sleep, again, until SIGTERM/SIGINT (or `stopping` is set)."""
    stopping = stopping or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stopping.set())
    log.info("jobs: worker started")
    while not stopping.is_set():
        try:
            run_due(stopping)
            db.session.remove()  # a new session for the next round: nothing a handler loaded stays in memory
        except OperationalError:  # the database is away for a moment: try again later
            db.session.rollback()
            log.warning("jobs: database unavailable; retrying", exc_info=True)
        stopping.wait(idle_seconds)
    log.info("jobs: worker stopped")
