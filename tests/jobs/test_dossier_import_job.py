"""A large dossier import runs as a background job: the upload is kept for the worker, which checks every row (the
job's progress) and creates the drafts all or nothing; the job page says how many were created, or links the
error report; the kept upload is deleted once the job is over."""
import io
import os
import threading

import openpyxl
import pytest
from sqlalchemy import func, select

from honours.core import roles
from honours.core.db import db
from honours.core.jobs import Job, worker
from honours.core.jobs.workflow import DONE
from honours.nominations import states
from honours.nominations.models import Dossier
from tests.conftest import login
from tests.factories import make_org, make_round, make_user
from tests.imports.test_imports import many, person, upload, workbook


@pytest.fixture
def world(app, client):
    app.config["IMPORT_BACKGROUND_BYTES"] = 20 * 1024  # a few hundred rows
    round_ = make_round()
    org = make_org("Hội Khoa học Bắc Ninh")
    nominator = make_user(roles.NOMINATOR, org)
    login(client, nominator)
    return {"round": round_, "org": org, "nominator": nominator}


def drafts(org) -> int:
    return db.session.scalar(select(func.count(Dossier.id)).where(Dossier.organisation_id == org.id,
                                                                 Dossier.state == states.DRAFT))


def kept_uploads(app) -> list[str]:
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "jobs")
    return sorted(name for name in os.listdir(folder) if name.startswith("input-")) if os.path.isdir(folder) else []


def start(client, world, rows) -> tuple[str, Job]:
    data = workbook(rows)
    assert len(data) > 20 * 1024
    response = upload(client, world["round"].id, data)
    assert response.status_code == 302 and "/cong-viec/" in response.headers["Location"]
    job = db.session.scalars(select(Job).order_by(Job.id.desc())).first()
    return response.headers["Location"], job


def test_a_large_file_is_imported_by_the_worker_with_progress(app, client, world):
    page, job = start(client, world, many(400))
    assert (job.kind, job.state, job.user_id) == ("dossier-import", "queued", world["nominator"].id)
    assert drafts(world["org"]) == 0 and len(kept_uploads(app)) == 1  # nothing yet: the request only queued it
    assert "Đang chờ" in client.get(page).get_data(as_text=True)

    assert worker.run_due() == {"done": 1}
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert (job.state, job.progress_done, job.progress_total) == (DONE, 400, 400)
    assert drafts(world["org"]) == 400
    assert kept_uploads(app) == []  # the upload is gone once the job is over
    html = client.get(page).get_data(as_text=True)
    assert "Đã tạo 400 hồ sơ nháp" in html and "/download" not in html


def test_a_large_file_with_a_bad_row_creates_nothing_and_links_the_report(app, client, world):
    rows = many(399) + [person("Người Sai Ngày", born="31/02/1980")]
    page, job = start(client, world, rows)
    assert worker.run_due() == {"done": 1}
    assert drafts(world["org"]) == 0  # all or nothing, as in the request
    html = client.get(page).get_data(as_text=True)
    assert "Tệp có 1 lỗi nên không hồ sơ nào được tạo" in html
    report = client.get(f"{page}/download")
    assert report.status_code == 200 and "bao-cao-loi-nhap-dossiers.xlsx" in report.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(report.data)).active
    assert [cell.value for cell in sheet[2]][0] == 401  # the row of the bad date (the header is row 1)
    assert kept_uploads(app) == []


def test_a_worker_stopped_mid_import_leaves_nothing_and_the_rerun_imports_once(app, client, world):
    """The drafts commit with the job's "done": a run cut short leaves none, and the next run creates them once."""
    _page, job = start(client, world, many(300))
    claimed, token = worker.claim_next(set())
    stopping = threading.Event()
    stopping.set()  # the worker is stopped during its first progress step
    assert worker.run(claimed, token, stopping) == "queued"
    assert drafts(world["org"]) == 0 and len(kept_uploads(app)) == 1  # kept for the next run
    assert worker.run_due() == {"done": 1}
    assert drafts(world["org"]) == 300


def test_a_small_file_is_still_imported_in_the_request(app, client, world):
    response = upload(client, world["round"].id, workbook(many(3)))
    assert response.status_code == 200 and drafts(world["org"]) == 3
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_a_closed_round_is_refused_before_anything_is_queued(app, client, world):
    closed = make_round(name="Đợt đã đóng", opens_in_days=-60, closes_in_days=-1)
    response = upload(client, closed.id, workbook(many(400)))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Job.id))) == 0 and kept_uploads(app) == []
