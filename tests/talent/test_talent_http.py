"""Talent referral pages over HTTP: the organisation's forms (bad input keeps what was typed), isolation between
organisations, screening, periodic review, needs for departments, matches and outcomes; bounded queries."""
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.talent import needs, pool, referrals
from honours.talent.models import (
    ACCEPTED,
    ACTIVE,
    CONTACTED,
    DECLINED,
    DRAFT,
    NOT_SUITABLE,
    RETIRED,
    SUBMITTED,
    NeedMatch,
    PoolEntry,
    Referral,
    TalentNeed,
)
from tests.conftest import NOW, login
from tests.core.test_query_counts import count_queries
from tests.factories import PDF, make_org, make_user
from tests.talent.test_talent import make_entry, make_referral, need_data, referral_data

TODAY = NOW.date()


@pytest.fixture
def setup(app):
    org = make_org("Viện Công nghệ Vật liệu Kinh Bắc", org_type="institute")
    other = make_org("Trường Đại học Kinh Bắc", org_type="university")
    department = make_org("Sở Khoa học và Công nghệ", org_type="department")
    return {
        "org": org, "other": other, "department": department,
        "nominator": make_user(roles.NOMINATOR, org), "other_nominator": make_user(roles.NOMINATOR, other),
        "department_user": make_user(roles.NOMINATOR, department),
        "other_department_user": make_user(roles.NOMINATOR, make_org("Sở Y tế", org_type="department")),
        "secretary": make_user(roles.SECRETARIAT),
    }


def client_for(app, user):
    client = app.test_client()
    login(client, user)
    return client


def referral_form(**changes) -> dict:
    data = {
        "full_name": "Nguyễn Thị Minh Anh", "gender": "female", "date_of_birth": "08/03/1985", "ethnicity": "Tày",
        "academic_title": "", "degree": "TS", "field": "Kỹ thuật và công nghệ", "availability": "advisory",
        "expertise_keywords": "vật liệu nano; pin mặt trời", "proposed_role": "Chuyên gia tư vấn",
        "justification": "Nhiều công trình về vật liệu nano.", "workplace": "Viện Công nghệ Vật liệu",
        "email": "minhanh@vien.example", "is_overseas": "y",
    }
    data.update(changes)
    return data


def text(response) -> str:
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- the organisation

def test_organisation_drafts_uploads_and_submits_a_referral(app, setup):
    client = client_for(app, setup["nominator"])
    blank = text(client.get("/tien-cu/moi"))
    # Nothing about the person is preselected: gender and ethnicity start on the empty choice.
    for name in ("gender", "ethnicity"):
        chooser = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', blank, re.S).group(1)
        assert chooser.startswith('<option value="">— Chọn —</option>') and "selected" not in chooser, name
    response = client.post("/tien-cu/moi", data=referral_form())
    assert response.status_code == 302
    referral = db.session.scalars(select(Referral)).one()
    assert response.headers["Location"].endswith(f"/tien-cu/{referral.id}")
    assert referral.state == DRAFT and referral.is_overseas and referral.field == "Kỹ thuật và công nghệ"

    page = client.post(f"/tien-cu/{referral.id}/nop", data={"version": referral.version}, follow_redirects=True)
    assert "ít nhất một tệp đính kèm" in text(page)
    page = client.post(f"/tien-cu/{referral.id}/tep", data={"kind": "cv", "file": (io.BytesIO(b"MZ exe"), "cv.pdf")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "không phải PDF, JPEG hoặc PNG" in text(page)
    page = client.post(f"/tien-cu/{referral.id}/tep", data={"kind": "cv", "file": (io.BytesIO(PDF), "Lý lịch.pdf")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "Đã tải lên tệp" in text(page) and "Lý lịch.pdf" in text(page)
    db.session.expire_all()
    referral = db.session.get(Referral, referral.id)
    download = client.get(f"/tien-cu/tep/{referral.attachments[0].id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")

    page = client.post(f"/tien-cu/{referral.id}/nop", data={"version": referral.version}, follow_redirects=True)
    assert "Đã nộp phiếu tiến cử" in text(page) and "Chờ sàng lọc" in text(page)
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).state == SUBMITTED
    assert client.get(f"/tien-cu/{referral.id}/sua", follow_redirects=True).request.path == f"/tien-cu/{referral.id}"
    listing = text(client.get("/tien-cu/?q=nguyen thi minh"))
    assert "Nguyễn Thị Minh Anh" in listing and "Chờ sàng lọc" in listing
    assert "Nguyễn Thị Minh Anh" not in text(client.get("/tien-cu/?q=tran"))


@pytest.mark.parametrize("changes,message", [
    ({"full_name": ""}, "Vui lòng nhập thông tin này."),
    ({"date_of_birth": "31/02/1985"}, "Ngày không hợp lệ"),
    ({"date_of_birth": "01/01/2030"}, "Ngày sinh không hợp lệ."),
    ({"email": "khong-phai-email"}, "Địa chỉ email không hợp lệ."),
    ({"field": ""}, "Vui lòng nhập thông tin này."),
    ({"gender": ""}, "Vui lòng chọn giới tính."),
    ({"ethnicity": ""}, "Vui lòng chọn dân tộc."),
])
def test_bad_referral_input_is_explained_and_nothing_typed_is_lost(app, setup, changes, message):
    client = client_for(app, setup["nominator"])
    response = client.post("/tien-cu/moi", data=referral_form(
        justification="Lý do tiến cử rất dài mà người dùng đã gõ.", **changes))
    page = text(response)
    assert response.status_code == 422
    assert message in page
    assert "Lý do tiến cử rất dài mà người dùng đã gõ." in page and "vật liệu nano; pin mặt trời" in page
    assert db.session.scalars(select(Referral)).all() == []


def test_stale_referral_form_is_refused_and_keeps_the_typing(app, setup):
    referral = make_referral(setup["nominator"])
    old_version = referral.version
    referrals.save_referral(setup["nominator"], referral_data(workplace="Tab khác"), referral)  # another tab
    client = client_for(app, setup["nominator"])
    response = client.post(f"/tien-cu/{referral.id}/sua", data=referral_form(version=old_version,
                                                                                workplace="Bản của tôi"))
    assert response.status_code == 409
    assert "vừa được người khác thay đổi" in text(response) and "Bản của tôi" in text(response)
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).workplace == "Tab khác"


def test_other_organisations_referrals_are_404(app, setup):
    foreign = make_referral(setup["other_nominator"], state=SUBMITTED)
    draft = make_referral(setup["other_nominator"], full_name="Trần Văn Nháp")
    attachment = foreign.attachments[0]
    client = client_for(app, setup["nominator"])
    for url in (f"/tien-cu/{foreign.id}", f"/tien-cu/{foreign.id}/sua", f"/tien-cu/tep/{attachment.id}",
                f"/tien-cu/{draft.id}", "/tien-cu/999999"):
        assert client.get(url).status_code == 404, url
    for url in (f"/tien-cu/{draft.id}/nop", f"/tien-cu/{draft.id}/xoa", f"/tien-cu/{draft.id}/tep",
                f"/tien-cu/tep/{draft.attachments[0].id}/xoa", f"/tien-cu/{draft.id}/sua"):
        assert client.post(url, data={}).status_code == 404, url
    assert "Trần Văn Nháp" not in text(client.get("/tien-cu/"))
    db.session.expire_all()
    assert db.session.get(Referral, draft.id).state == DRAFT and len(db.session.get(Referral, draft.id).attachments) == 1

    secretary = client_for(app, setup["secretary"])  # drafts stay private to the organisation
    assert secretary.get(f"/tien-cu/{draft.id}").status_code == 404
    assert secretary.get(f"/tien-cu/tep/{draft.attachments[0].id}").status_code == 404
    assert "Trần Văn Nháp" not in text(secretary.get("/tien-cu/sang-loc"))


# ---------------------------------------------------------------- screening

def test_secretariat_screens_and_the_organisation_sees_the_outcome(app, setup):
    waiting = make_referral(setup["nominator"], state=SUBMITTED)
    other = make_referral(setup["other_nominator"], state=SUBMITTED, full_name="Lê Văn Khác",
                          date_of_birth=date(1970, 1, 1))
    secretary = client_for(app, setup["secretary"])
    inbox = text(secretary.get("/tien-cu/sang-loc"))
    assert "Nguyễn Thị Minh Anh" in inbox and "Lê Văn Khác" in inbox
    assert "Lê Văn Khác" not in text(secretary.get("/tien-cu/sang-loc?q=minh anh"))

    response = secretary.post(f"/tien-cu/{waiting.id}/sang-loc", data={
        "decision": "decline", "reason": "", "version": waiting.version})
    assert response.status_code == 422 and "Vui lòng nêu lý do không tiếp nhận." in text(response)
    assert '<option selected value="decline">' in text(response)  # the choice made is kept
    response = secretary.post(f"/tien-cu/{waiting.id}/sang-loc", data={
        "decision": "decline", "reason": "Chưa có minh chứng.", "version": waiting.version})
    assert response.status_code == 302

    seen = other.version  # what a second tab opened before the decision still carries
    response = secretary.post(f"/tien-cu/{other.id}/sang-loc", data={"decision": "accept", "version": seen})
    entry = db.session.scalars(select(PoolEntry)).one()
    assert response.headers["Location"].endswith(f"/tien-cu/nguon-nhan-tai/{entry.id}")
    assert "Lê Văn Khác" in text(secretary.get(response.headers["Location"]))
    again = secretary.post(f"/tien-cu/{other.id}/sang-loc", data={"decision": "accept", "version": seen})
    assert again.status_code == 409  # a second tab's decision on the old version

    page = text(client_for(app, setup["nominator"]).get(f"/tien-cu/{waiting.id}"))
    assert "Không tiếp nhận" in page and "Chưa có minh chứng." in page
    assert "nguon-nhan-tai" not in page  # pool internals stay with the secretariat
    page = text(client_for(app, setup["other_nominator"]).get(f"/tien-cu/{other.id}"))
    assert "Đã vào nguồn nhân tài" in page and "nguon-nhan-tai" not in page
    db.session.expire_all()
    assert db.session.get(Referral, waiting.id).state == DECLINED
    assert db.session.get(Referral, other.id).state == ACCEPTED


# ---------------------------------------------------------------- pool and periodic screening

def test_pool_overdue_list_and_periodic_review(app, setup):
    s = setup["secretary"]
    late = make_entry(s, "Đỗ Thị Quá Hạn", keywords="tim mạch", next_review_on=TODAY - timedelta(days=10))
    make_entry(s, "Phạm Văn Còn Hạn", keywords="nano")
    make_entry(s, "Vũ Văn Đã Rút", status=RETIRED, next_review_on=TODAY - timedelta(days=99))
    client = client_for(app, s)
    listing = text(client.get("/tien-cu/nguon-nhan-tai"))
    assert "Đỗ Thị Quá Hạn" in listing and "Phạm Văn Còn Hạn" in listing and "Vũ Văn Đã Rút" not in listing
    assert "Vũ Văn Đã Rút" in text(client.get("/tien-cu/nguon-nhan-tai?status=retired"))
    assert "Phạm Văn Còn Hạn" not in text(client.get("/tien-cu/nguon-nhan-tai?q=do thi qua"))
    overdue = text(client.get("/tien-cu/nguon-nhan-tai/qua-han"))
    assert "Đỗ Thị Quá Hạn" in overdue and "Phạm Văn Còn Hạn" not in overdue and "Vũ Văn Đã Rút" not in overdue
    assert "<td>10</td>" in overdue  # days overdue

    response = client.post(f"/tien-cu/nguon-nhan-tai/{late.id}/sang-loc", data={
        "version": late.version, "decision": "update", "next_review_on": "31/02/2027", "field": "Y dược",
        "availability": "part_time", "expertise_keywords": "tim mạch can thiệp, đột quỵ", "note": "Đã gặp trực tiếp."})
    assert response.status_code == 422
    assert "Ngày không hợp lệ" in text(response) and "tim mạch can thiệp, đột quỵ" in text(response)
    response = client.post(f"/tien-cu/nguon-nhan-tai/{late.id}/sang-loc", data={
        "version": late.version, "decision": "retire", "note": "", "field": "Y dược", "availability": "part_time"})
    assert response.status_code == 422 and "lý do rút khỏi nguồn" in text(response)
    response = client.post(f"/tien-cu/nguon-nhan-tai/{late.id}/sang-loc", data={
        "version": late.version, "decision": "update", "next_review_on": "15/06/2027", "field": "Y dược",
        "availability": "part_time", "expertise_keywords": "tim mạch can thiệp, đột quỵ", "note": "Đã gặp trực tiếp."})
    assert response.status_code == 302
    page = text(client.get(f"/tien-cu/nguon-nhan-tai/{late.id}"))
    assert "Sàng lọc định kỳ: cập nhật" in page and "tim mạch → tim mạch can thiệp, đột quỵ" in page
    assert "Kỹ thuật và công nghệ → Y dược" in page and "Đã gặp trực tiếp." in page
    assert "Đỗ Thị Quá Hạn" not in text(client.get("/tien-cu/nguon-nhan-tai/qua-han"))
    db.session.expire_all()
    assert db.session.get(PoolEntry, late.id).next_review_on == date(2027, 6, 15)


# ---------------------------------------------------------------- needs

NEED_URLS = ("/tien-cu/nhu-cau", "/tien-cu/nhu-cau/moi", "/tien-cu/nhu-cau/{id}", "/tien-cu/nhu-cau/{id}/sua")


def test_need_pages_are_for_departments_only(app, setup):
    """The department half of the route x role matrix (the matrix's nominator is not a department)."""
    own = needs.save_need(setup["department_user"], need_data())
    province = needs.save_need(setup["secretary"], need_data(title="Đặt hàng của tỉnh"))
    department = client_for(app, setup["department_user"])
    for url in NEED_URLS:
        assert department.get(url.format(id=own.id)).status_code == 200, url
    for url in NEED_URLS[2:]:
        assert department.get(url.format(id=province.id)).status_code == 404, url
        assert client_for(app, setup["other_department_user"]).get(url.format(id=own.id)).status_code == 404, url
    for path in (f"/tien-cu/nhu-cau/{province.id}/dong", f"/tien-cu/nhu-cau/{province.id}/sua"):
        assert department.post(path, data={}).status_code == 404
    for path in (f"/tien-cu/nhu-cau/{own.id}/de-xuat", "/tien-cu/nguon-nhan-tai", "/tien-cu/sang-loc"):
        assert department.open(path, method="POST" if "de-xuat" in path else "GET").status_code == 403, path
    listing = text(department.get("/tien-cu/nhu-cau"))
    assert own.title in listing and "Đặt hàng của tỉnh" not in listing

    institute = client_for(app, setup["nominator"])  # an organisation that is not a department
    for url in NEED_URLS:
        assert institute.get(url.format(id=own.id)).status_code == 403, url
    assert institute.post("/tien-cu/nhu-cau/moi", data={}).status_code == 403
    assert institute.post(f"/tien-cu/nhu-cau/{own.id}/dong", data={}).status_code == 403


def test_department_posts_a_need_and_follows_its_matches_read_only(app, setup):
    client = client_for(app, setup["department_user"])
    response = client.post("/tien-cu/nhu-cau/moi", data={
        "title": "Chuyên gia pin mặt trời", "field": "Kỹ thuật và công nghệ", "expertise_keywords": "pin mặt trời",
        "description": "Tư vấn thẩm định dự án.", "deadline": "01/01/2020"})
    assert response.status_code == 422
    assert "Thời hạn không được ở trong quá khứ." in text(response) and "Tư vấn thẩm định dự án." in text(response)
    response = client.post("/tien-cu/nhu-cau/moi", data={
        "title": "Chuyên gia pin mặt trời", "field": "Kỹ thuật và công nghệ", "expertise_keywords": "pin mặt trời",
        "description": "Tư vấn thẩm định dự án.", "deadline": "01/09/2026"})
    assert response.status_code == 302
    need = db.session.scalars(select(TalentNeed)).one()
    assert need.organisation_id == setup["department"].id and need.deadline == date(2026, 9, 1)

    s = setup["secretary"]
    entry = make_entry(s, "Trần Văn Nắng", keywords="pin mặt trời, điện gió")
    make_entry(s, "Lê Thị Không Liên Quan", field="Y dược", keywords="nhi khoa")
    secretary = client_for(app, s)
    page = text(secretary.get(f"/tien-cu/nhu-cau/{need.id}"))
    assert "Trần Văn Nắng" in page and "Lê Thị Không Liên Quan" not in page and ">11<" in page
    response = secretary.post(f"/tien-cu/nhu-cau/{need.id}/de-xuat", data={"pool_entry_id": entry.id})
    assert response.status_code == 302
    match = db.session.scalars(select(NeedMatch)).one()
    assert secretary.post(f"/tien-cu/nhu-cau/{need.id}/de-xuat", data={"pool_entry_id": 999999},
                          follow_redirects=True).status_code == 200

    response = secretary.post(f"/tien-cu/ket-qua/{match.id}", data={
        "version": match.version, "outcome": NOT_SUITABLE, "note": ""})
    assert response.status_code == 422 and "vì sao không phù hợp" in text(response)
    assert '<option selected value="not_suitable">' in text(response)
    response = secretary.post(f"/tien-cu/ket-qua/{match.id}", data={
        "version": match.version, "outcome": CONTACTED, "note": "Đã gọi điện."})
    assert response.status_code == 302

    page = text(client.get(f"/tien-cu/nhu-cau/{need.id}"))
    assert "Trần Văn Nắng" in page and "Đã liên hệ" in page and "Kỹ thuật và công nghệ" in page
    assert "/tien-cu/ket-qua/" not in page and "de-xuat" not in page and "nguon-nhan-tai" not in page
    assert "điện gió" not in page  # the department sees name, field and outcome, not the pool record

    response = client.post(f"/tien-cu/nhu-cau/{need.id}/dong", data={"version": need.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TalentNeed, need.id).status == "closed"
    assert client.get(f"/tien-cu/nhu-cau/{need.id}/sua", follow_redirects=True).request.path == (
        f"/tien-cu/nhu-cau/{need.id}")


# ---------------------------------------------------------------- bounded queries

def _queries(app, user, url: str) -> int:
    client = client_for(app, user)
    client.get(url)
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def _grow(setup, size: int, tag: str) -> TalentNeed:
    """`size` referrals, each from an organisation of its own (so a lazy load per row would show), accepted into
    the pool, overdue and reviewed; needs of several departments, with matches."""
    s = setup["secretary"]
    need = needs.save_need(setup["department_user"], need_data(title=f"Nhu cầu {tag}"))
    for i in range(size):
        org = make_org(f"Đơn vị {tag} {i}", org_type="department" if i % 4 == 0 else "institute")
        nominator = setup["nominator"] if i % 5 == 0 else make_user(roles.NOMINATOR, org)
        referral = make_referral(nominator, state=SUBMITTED, full_name=f"Nguyễn Văn {tag} {i}",
                                 date_of_birth=date(1960 + i % 30, 1 + i % 12, 1 + i % 28))
        if i % 3:
            entry = referrals.screen(s, referral, "accept")
            pool.review(s, entry, pool.ReviewData(decision="keep", next_review_on=TODAY + timedelta(days=1)))
            entry.next_review_on = TODAY - timedelta(days=1 + i)
            db.session.commit()
            if i % 2:
                needs.propose(s, need, entry)
        poster = nominator if org.org_type == "department" and nominator.organisation_id == org.id else s
        needs.save_need(poster, need_data(title=f"Đặt hàng {tag} {i}"))
    return need


PAGES = [
    ("nominator", "/tien-cu/"), ("nominator", "/tien-cu/?q=nguyen&state=submitted"),
    ("secretary", "/tien-cu/sang-loc"), ("secretary", "/tien-cu/sang-loc?q=nguyen&field=Kỹ+thuật+và+công+nghệ"),
    ("secretary", "/tien-cu/nguon-nhan-tai"), ("secretary", "/tien-cu/nguon-nhan-tai?q=van&status=all"),
    ("secretary", "/tien-cu/nguon-nhan-tai/qua-han"), ("secretary", "/tien-cu/nhu-cau"),
    ("department_user", "/tien-cu/nhu-cau"), ("secretary", "/tien-cu/nhu-cau/{need}"),
    ("department_user", "/tien-cu/nhu-cau/{need}"),
]


@pytest.mark.parametrize("who,url", PAGES)
def test_talent_pages_run_the_same_queries_for_small_and_large_data(app, setup, who, url):
    counts = []
    for size, tag in ((6, "nho"), (40, "lon")):
        need = _grow(setup, size, tag)
        counts.append(_queries(app, setup[who], url.format(need=need.id)))
    assert counts[0] == counts[1], f"{url}: {counts}"
    assert counts[0] <= 14


def test_entry_and_referral_pages_are_bounded_whatever_their_history(app, setup):
    s = setup["secretary"]
    counts = []
    for reviews, tag in ((1, "mot"), (25, "nhieu")):
        referral = make_referral(setup["nominator"], state=ACCEPTED, secretary=s, full_name=f"Trần Thị {tag}")
        entry = referral.pool_entry
        for i in range(reviews):
            pool.review(s, entry, pool.ReviewData(decision="keep", note=f"Lần {i}",
                                                  next_review_on=TODAY + timedelta(days=30 + i)))
            other_need = needs.save_need(s, need_data(title=f"Việc {tag} {i}"))
            needs.propose(s, other_need, entry)
            more = make_referral(setup["other_nominator"], state=SUBMITTED, full_name=f"Trần Thị {tag}")
            referrals.screen(s, more, "accept")  # another organisation refers the same person
        counts.append((_queries(app, s, f"/tien-cu/nguon-nhan-tai/{entry.id}"),
                       _queries(app, s, f"/tien-cu/{referral.id}"),
                       _queries(app, setup["nominator"], f"/tien-cu/{referral.id}")))
    assert counts[0] == counts[1], counts
    assert all(n <= 14 for n in counts[0]), counts
    assert db.session.scalar(select(PoolEntry.status).where(PoolEntry.id == entry.id)) == ACTIVE
