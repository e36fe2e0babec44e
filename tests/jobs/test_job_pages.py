"""The job pages: the owner's progress page (a <progress> bar, a refresh without JavaScript while it runs, the
status as JSON for jobs.js), the download link once done, the error once failed; a user sees only their own jobs,
the secretariat everyone's; the list runs the same statements for any number of jobs."""
import pytest

from honours.core import clock, jobs, roles
from honours.core.db import db
from honours.core.jobs import Job
from honours.core.jobs.workflow import DONE, FAILED, QUEUED, RUNNING
from tests.conftest import client_with, signed_in_cookies
from tests.core.test_query_counts import count_queries
from tests.factories import make_org, make_user


@pytest.fixture(scope="module")
def world(module_app):
    owner = make_user(roles.NOMINATOR, make_org("Trường Đại học Bắc Ninh"), full_name="Lê Thị Chủ Việc")
    other = make_user(roles.NOMINATOR, make_org("Viện Nông nghiệp"), email="khac@example.vn")
    secretary = make_user(roles.SECRETARIAT)
    running = Job(user_id=owner.id, kind="national-export", params={}, state=RUNNING, progress_done=1200,
                  progress_total=3000, attempts=1, heartbeat_at=clock.now())
    failed = Job(user_id=owner.id, kind="national-export", params={}, state=FAILED, error="Dòng 7 thiếu họ tên.",
                 finished_at=clock.now(), attempts=1)
    theirs = Job(user_id=other.id, kind="national-export", params={}, state=QUEUED)
    db.session.add_all([running, failed, theirs])
    db.session.flush()
    done = Job(user_id=owner.id, kind="national-export", params={}, state=DONE, progress_done=2,
               progress_total=2, finished_at=clock.now(), attempts=1, summary="2 người")
    db.session.add(done)
    db.session.flush()
    result = jobs.result_file(done, "csdl-tri-thuc-20260615.csv", "text/csv; charset=utf-8")
    with open(result.path, "w", encoding="utf-8") as out:
        out.write("Mã định danh,Họ và tên\r\n1,Nguyễn Văn An\r\n")
    done.result_stored_name, done.result_name, done.result_type = (result.stored_name, result.download_name,
                                                                   result.mimetype)
    db.session.commit()
    return {"ids": {"running": running.id, "failed": failed.id, "theirs": theirs.id, "done": done.id},
            "cookies": {name: signed_in_cookies(module_app, user)
                        for name, user in (("owner", owner), ("other", other), ("secretary", secretary))}}


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


def as_(app, world, who):
    return client_with(app, world["cookies"][who])


def test_a_running_job_shows_its_progress_and_refreshes_itself(app, world):
    page = as_(app, world, "owner").get(f"/cong-viec/{world['ids']['running']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<progress id="job-progress" class="job-progress" max="100" value="40">' in html
    assert "1.200 / 3.000 (40%)" in html and "Đang thực hiện" in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html  # works without JavaScript
    assert "js/jobs.js" in html and 'data-status-url="/cong-viec/' in html
    assert "<script>" not in html  # no inline script (CSP)
    assert "/download" not in html


def test_the_status_is_json_for_the_script(app, world):
    response = as_(app, world, "owner").get(f"/cong-viec/{world['ids']['running']}/status.json")
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    assert response.json | {"state_label": ""} == {
        "id": world["ids"]["running"], "state": "running", "state_label": "", "done": 1200, "total": 3000,
        "percent": 40, "running": True, "finished": False, "error": "", "summary": "",
        "progress_text": "1.200 / 3.000 (40%)"}


def test_a_finished_job_links_its_file_and_stops_refreshing(app, world):
    client = as_(app, world, "owner")
    html = client.get(f"/cong-viec/{world['ids']['done']}").get_data(as_text=True)
    assert 'value="100"' in html and "http-equiv" not in html and "js/jobs.js" not in html
    assert f'href="/cong-viec/{world["ids"]["done"]}/download"' in html and "2 người" in html
    assert "Huỷ công việc" not in html
    download = client.get(f"/cong-viec/{world['ids']['done']}/download")
    assert download.status_code == 200 and download.data.decode("utf-8").startswith("Mã định danh")
    assert "attachment" in download.headers["Content-Disposition"]
    assert "csdl-tri-thuc-20260615.csv" in download.headers["Content-Disposition"]
    assert "no-store" in download.headers["Cache-Control"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_failed_job_says_why(app, world):
    html = as_(app, world, "owner").get(f"/cong-viec/{world['ids']['failed']}").get_data(as_text=True)
    assert "Không thành công" in html and "Dòng 7 thiếu họ tên." in html and "/download" not in html
    assert as_(app, world, "owner").get(f"/cong-viec/{world['ids']['failed']}/download").status_code == 404


def test_others_jobs_do_not_exist_for_a_user(app, world):
    client = as_(app, world, "other")
    for suffix in ("", "/status.json", "/download"):
        assert client.get(f"/cong-viec/{world['ids']['done']}{suffix}").status_code == 404
    assert client.post(f"/cong-viec/{world['ids']['running']}/cancel").status_code == 404
    listing = client.get("/cong-viec/").get_data(as_text=True)
    assert f"#{world['ids']['theirs']}" in listing and f"#{world['ids']['done']}" not in listing


def test_the_secretariat_sees_every_job_with_its_owner(app, world):
    client = as_(app, world, "secretary")
    listing = client.get("/cong-viec/").get_data(as_text=True)
    assert all(f"#{job_id}<" in listing for job_id in world["ids"].values())
    assert "Lê Thị Chủ Việc" in listing
    assert client.get(f"/cong-viec/{world['ids']['done']}/download").status_code == 200


def test_the_owner_may_cancel_a_running_job(app, world):
    client = as_(app, world, "owner")
    assert "Huỷ công việc" in client.get(f"/cong-viec/{world['ids']['running']}").get_data(as_text=True)
    response = client.post(f"/cong-viec/{world['ids']['running']}/cancel")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Job, world["ids"]["running"]).state == "cancelled"


def test_the_list_runs_the_same_statements_for_any_number_of_jobs(app, world):
    client = as_(app, world, "secretary")
    counts = []
    for extra in (0, 30):
        users = [make_user(roles.NOMINATOR, email=f"viec{extra}-{i}@example.vn") for i in range(extra // 3)]
        db.session.add_all([Job(user_id=users[i % len(users)].id, kind="national-export", params={})
                            for i in range(extra)])
        db.session.commit()
        with count_queries() as statements:
            assert client.get("/cong-viec/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
