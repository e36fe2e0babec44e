"""A large staff list loads in the background (honours/intake/background.py): the request only keeps the file and
queues the job; the worker loads it all or nothing, with the rows as its progress; the job page says what was
loaded or links the error report."""
from sqlalchemy import select

from honours.core.db import db
from honours.core.jobs import Job, worker
from tests.conftest import login
from tests.intake.test_intake import many, persons, staff, upload, workbook, world  # noqa: F401  (fixture)


def start(app, client, world, rows) -> Job:  # noqa: F811
    app.config["IMPORT_BACKGROUND_BYTES"] = 10 * 1024
    login(client, world["nominator"])
    data = workbook(rows)
    assert len(data) > 10 * 1024
    response = upload(client, data)
    assert response.status_code == 302 and "/cong-viec/" in response.headers["Location"]
    return db.session.scalars(select(Job).order_by(Job.id.desc())).first()


def test_a_large_list_is_loaded_by_the_worker(app, client, world):  # noqa: F811
    job = start(app, client, world, many(300))
    assert (job.kind, job.state, job.params["organisation_id"]) == ("person-intake", "queued", world["org"].id)
    assert persons() == 0  # the request only queued it
    assert worker.run_due() == {"done": 1}
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.state == "done" and (job.progress_done, job.progress_total) == (300, 300)
    assert persons() == 300 and "300 hồ sơ mới" in job.summary


def test_a_large_list_with_a_bad_row_loads_nobody_and_the_job_offers_the_report(app, client, world):  # noqa: F811
    job = start(app, client, world, [*many(300), staff("Trần Thị Bình", "31/02/1980")])
    assert worker.run_due() == {"done": 1}
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert persons() == 0 and "không người nào được nhập" in job.summary and job.result_stored_name
