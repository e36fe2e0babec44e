"""The job queue: enqueue -> worker -> done with progress and a result file; refusals and crashes end failed with a
message; a job whose worker died is resumed, or failed once it was interrupted too often; cancel; graceful stop.

The worker writes progress through a connection of its own, so these tests use the per-test `app` (committed data),
not a module world in one rolled-back transaction."""
import os
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from honours.core import clock, jobs, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.jobs import Job, worker
from honours.core.jobs.registry import stored_path
from honours.core.jobs.workflow import CANCELLED, DONE, FAILED, QUEUED, RUNNING
from tests.factories import make_user

COUNT = "test-count"
seen: list[tuple[int, int]] = []  # (done, total) as the handler reported them
hooks: dict = {}  # what a test wants the handler to do at a given step


@jobs.handler(COUNT, "Đếm (kiểm thử)")
def count_lines(job, progress):
    """Writes one line per step; `hooks[step]` runs before that step (to fail, cancel, stop...)."""
    total = job.params["lines"]
    result = jobs.result_file(job, "dem.txt", "text/plain; charset=utf-8")
    with open(result.path, "w", encoding="utf-8") as out:
        progress(0, total)
        for step in range(1, total + 1):
            if step in hooks:
                hooks[step](job)
            out.write(f"dòng {step}\n")
            progress(step, total)
            seen.append((step, total))
    result.summary = f"{total} dòng"
    return result


@pytest.fixture(autouse=True)
def fresh():
    seen.clear()
    hooks.clear()
    yield
    hooks.clear()


def queue(user, lines=5) -> Job:
    job = jobs.services.enqueue(COUNT, user, {"lines": lines})
    db.session.commit()
    return job


def reload(job_id: int) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def result_files(app) -> list[str]:
    folder = os.path.join(app.config["UPLOAD_FOLDER"], jobs.registry.RESULT_FOLDER)
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_a_job_runs_to_done_with_its_progress_and_result(app):
    user = make_user(roles.SECRETARIAT)
    job = queue(user, lines=5)
    assert (job.state, job.attempts, job.progress_total) == (QUEUED, 0, None)

    assert worker.run_due() == {"done": 1}
    job = reload(job.id)
    assert (job.state, job.progress_done, job.progress_total, job.percent, job.attempts) == (DONE, 5, 5, 100, 1)
    assert seen == [(step, 5) for step in range(1, 6)]
    assert job.summary == "5 dòng" and job.error == "" and job.claim_token is None
    assert job.result_name == "dem.txt" and job.result_stored_name.startswith(f"jobs/{job.id}-")
    with open(stored_path(job.result_stored_name), encoding="utf-8") as result:
        assert result.read().splitlines() == [f"dòng {step}" for step in range(1, 6)]
    assert worker.run_due() == {}  # nothing left: a done job is never run again


def test_the_cli_runs_the_due_jobs_once(app):
    job = queue(make_user(roles.SECRETARIAT), lines=2)
    result = app.test_cli_runner().invoke(args=["jobs", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "done=1" in result.output
    assert reload(job.id).state == DONE


def test_progress_is_written_while_the_job_runs(app):
    """The page reads progress from the database while the handler still works (written on its own connection)."""
    user = make_user(roles.SECRETARIAT)
    job = queue(user, lines=4)
    midway = {}

    def look(current):
        with db.engine.connect() as connection:
            midway["row"] = connection.execute(
                Job.__table__.select().where(Job.id == current.id)).mappings().one()

    hooks[4] = look
    worker.PROGRESS_EVERY_SECONDS, every = 0, worker.PROGRESS_EVERY_SECONDS
    try:
        worker.run_due()
    finally:
        worker.PROGRESS_EVERY_SECONDS = every
    assert (midway["row"]["state"], midway["row"]["progress_done"], midway["row"]["progress_total"]) == (RUNNING, 3, 4)
    assert reload(job.id).state == DONE


def test_a_refusal_fails_the_job_with_its_message_and_leaves_no_file(app):
    job = queue(make_user(roles.SECRETARIAT), lines=3)

    def refuse(_job):
        raise RuleViolation("Dòng 2 không hợp lệ.")

    hooks[2] = refuse
    assert worker.run_due() == {"failed": 1}
    job = reload(job.id)
    assert (job.state, job.error, job.result_stored_name) == (FAILED, "Dòng 2 không hợp lệ.", None)
    assert job.finished_at is not None and not job.has_result
    assert result_files(app) == []


def test_a_crash_fails_the_job_with_a_message_for_the_user(app):
    job = queue(make_user(roles.SECRETARIAT), lines=3)

    def crash(_job):
        raise ZeroDivisionError("boom")

    hooks[1] = crash
    assert worker.run_due() == {"failed": 1}
    job = reload(job.id)
    assert job.state == FAILED and "Đã xảy ra lỗi khi thực hiện công việc" in job.error and "boom" not in job.error
    assert result_files(app) == []


def _die_mid_run(job_id: int, attempts: int, minutes_ago: int) -> None:
    """What a worker killed in the middle of the job leaves: running, its heartbeat stopped, a partial file."""
    db.session.execute(update(Job).where(Job.id == job_id).values(
        state=RUNNING, attempts=attempts, claim_token="dead-worker", progress_done=2, progress_total=5,
        heartbeat_at=clock.now() - timedelta(minutes=minutes_ago), started_at=clock.now() - timedelta(hours=1)))
    db.session.commit()


def test_a_job_whose_worker_died_is_run_again_from_the_start(app):
    job = queue(make_user(roles.SECRETARIAT), lines=5)
    _die_mid_run(job.id, attempts=1, minutes_ago=60)
    partial = os.path.join(app.config["UPLOAD_FOLDER"], "jobs", f"{job.id}-partial.txt")
    os.makedirs(os.path.dirname(partial), exist_ok=True)
    with open(partial, "w") as leftover:
        leftover.write("dòng 1\n")

    assert worker.run_due() == {"done": 1}
    job = reload(job.id)
    assert (job.state, job.attempts, job.progress_done) == (DONE, 2, 5)
    assert seen[0] == (1, 5)  # from the start, not from step 3
    assert result_files(app) == [os.path.basename(job.result_stored_name)]  # the dead run's file is gone


def test_a_running_job_with_a_fresh_heartbeat_is_left_to_its_worker(app):
    job = queue(make_user(roles.SECRETARIAT), lines=5)
    _die_mid_run(job.id, attempts=1, minutes_ago=1)  # within JOBS_STALE_SECONDS: its worker is alive
    assert worker.run_due() == {}
    assert reload(job.id).state == RUNNING


def test_a_job_interrupted_too_often_fails_with_a_message(app):
    job = queue(make_user(roles.SECRETARIAT), lines=5)
    _die_mid_run(job.id, attempts=app.config["JOBS_MAX_ATTEMPTS"], minutes_ago=60)
    assert worker.run_due() == {"failed": 1}
    job = reload(job.id)
    assert job.state == FAILED and seen == []
    assert f"Công việc bị gián đoạn {app.config['JOBS_MAX_ATTEMPTS']} lần" in job.error


def test_a_queued_job_cancelled_never_runs(app, client):
    from tests.conftest import login

    owner = make_user(roles.NOMINATOR)
    job = queue(owner)
    login(client, owner)
    response = client.post(f"/cong-viec/{job.id}/cancel")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cong-viec/{job.id}")
    assert reload(job.id).state == CANCELLED
    assert worker.run_due() == {} and seen == []
    with pytest.raises(RuleViolation):  # a finished job cannot be cancelled again
        jobs.services.cancel(owner, reload(job.id))


def test_a_running_job_cancelled_stops_at_its_next_step_and_keeps_no_file(app):
    job = queue(make_user(roles.SECRETARIAT), lines=5)

    def cancel_elsewhere(current):  # the owner presses "Huỷ" while the worker is at step 3
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == current.id).values(state=CANCELLED, claim_token=None))

    hooks[3] = cancel_elsewhere
    assert worker.run_due() == {"interrupted": 1}
    job = reload(job.id)
    assert job.state == CANCELLED and job.result_stored_name is None
    assert result_files(app) == []


def test_a_stopping_worker_puts_its_job_back_in_the_queue(app):
    job = queue(make_user(roles.SECRETARIAT), lines=5)
    stopping = threading.Event()
    hooks[2] = lambda _job: stopping.set()  # SIGTERM arrives during step 2
    assert worker.run_due(stopping) == {"queued": 1}
    job = reload(job.id)
    assert (job.state, job.attempts, job.claim_token) == (QUEUED, 0, None)  # the attempt does not count
    assert result_files(app) == []
    assert worker.run_due() == {"done": 1}  # the next worker runs it
    assert reload(job.id).attempts == 1


def test_two_workers_never_run_the_same_job(app):
    job = queue(make_user(roles.SECRETARIAT), lines=1)
    first = worker.claim_next(set())
    assert first is not None and first[0].id == job.id
    assert worker.claim_next(set()) is None  # claimed and heartbeating: not due for anybody else


def test_a_kind_has_one_handler():
    with pytest.raises(ValueError):
        jobs.handler(COUNT, "Khác")(lambda job, progress: None)


def test_enqueue_refuses_a_kind_without_handler(app):
    with pytest.raises(ValueError):
        jobs.services.enqueue("no-such-kind", make_user(roles.SECRETARIAT), {})


def test_result_files_are_deleted_after_the_retention_period(app, client):
    from tests.conftest import login

    owner = make_user(roles.SECRETARIAT)
    job = queue(owner, lines=2)
    worker.run_due()
    days = app.config["JOBS_RESULT_DAYS"]
    with clock.frozen(clock.now() + timedelta(days=days) - timedelta(minutes=1)):
        assert "expired" not in worker.run_due()
    assert reload(job.id).has_result
    with clock.frozen(clock.now() + timedelta(days=days, minutes=1)):
        assert worker.run_due() == {"expired": 1}
        job = reload(job.id)
        assert job.state == DONE and job.result_stored_name is None and job.result_expired
        assert result_files(app) == []
        login(client, owner)
        page = client.get(f"/cong-viec/{job.id}").get_data(as_text=True)
        assert "Tệp kết quả đã được xoá" in page and "/download" not in page
        assert client.get(f"/cong-viec/{job.id}/download").status_code == 404
