"""Accounts imported from Excel by the secretariat (organisations with their nominator account, council members
on a round's council), all or nothing, and the invitation link each new account gets to set its password."""
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from honours.auth import invitations
from honours.auth.models import User
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.outbox.models import OutboxMessage
from honours.imports import accounts as account_imports
from honours.organisations.models import Organisation
from honours.reviews.models import CouncilMember
from tests.conftest import NOW, login
from tests.factories import PASSWORD, make_org, make_round, make_user

ORGS, COUNCIL = "Đơn vị đề cử", "Thành viên hội đồng"
ORG_HEADERS = [c.header for c in account_imports.ORGANISATION_COLUMNS]
COUNCIL_HEADERS = [c.header for c in account_imports.COUNCIL_COLUMNS]
NEW_PASSWORD = "Bac-Ninh-moi-2026"


def organisation(name="Hội Tin học Bắc Ninh", email="tinhoc@hoi.example.vn", **changes) -> list:
    row = {"Tên đơn vị": name, "Loại đơn vị": "Hội", "Người liên hệ": "Nguyễn Thị Liên", "Email": email,
           "Điện thoại": "02223812345", "Số hồ sơ tối đa mỗi đợt": 5}
    row.update(changes)
    return [row[h] for h in ORG_HEADERS]


def member(name="GS. Trần Văn Hội", email="hoi@dai-hoc.example.vn", **changes) -> list:
    row = {"Họ và tên": name, "Email": email, "Cơ quan công tác": "Trường Đại học Bắc Ninh",
           "Lĩnh vực chuyên môn": "Khoa học tự nhiên; Giáo dục"}
    row.update(changes)
    return [row[h] for h in COUNCIL_HEADERS]


def workbook(organisations=(), members=(), extra_sheets=()) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, headers, rows in ((ORGS, ORG_HEADERS, organisations), (COUNCIL, COUNCIL_HEADERS, members)):
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    for title in extra_sheets:
        book.create_sheet(title).append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(app, client):
    round_ = make_round()
    secretary = make_user(roles.SECRETARIAT)
    login(client, secretary)
    return {"round": round_, "secretary": secretary}


def upload(client, data: bytes, round_id=0):
    return client.post("/import/accounts", data={"round_id": round_id, "file": (io.BytesIO(data), "tai-khoan.xlsx")},
                       content_type="multipart/form-data")


def problems_of(world, data: bytes, round_=None) -> set[tuple]:
    outcome = account_imports.import_accounts(world["secretary"], round_, data)
    return {(p.sheet, p.row, p.column, p.message) for p in outcome.problems}


def invitation_link(email: str) -> str:
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == email)
                             .order_by(OutboxMessage.id.desc()))
    return re.search(r"http\S+(/invitation/\S+)", body).group(1)


def counts() -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Organisation.id))),
            db.session.scalar(select(func.count(OutboxMessage.id))))


# ---------------------------------------------------------------- template and import

def test_template_has_a_sheet_per_kind_and_the_round_fields(world, client):
    response = client.get(f"/import/accounts/template.xlsx?round_id={world['round'].id}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [ORGS, COUNCIL, "Danh mục"]
    assert [c.value for c in book[ORGS][1]] == ORG_HEADERS
    assert [c.value for c in book[COUNCIL][1]] == COUNCIL_HEADERS
    lists = book["Danh mục"]
    columns = {cell.value: [c.value for c in lists[cell.column_letter][1:] if c.value] for cell in lists[1]}
    assert columns["Lĩnh vực"] == ["Khoa học tự nhiên", "Y dược", "Giáo dục"]
    assert "UBND xã/phường" in columns["Loại đơn vị"]

    book[ORGS].append(organisation())
    book[COUNCIL].append(member())
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(client, buffer.getvalue(), world["round"].id)
    assert page.status_code == 200, page.get_data(as_text=True)[:3000]
    assert "Đã tạo 1 đơn vị đề cử" in page.get_data(as_text=True)

    general = openpyxl.load_workbook(io.BytesIO(client.get("/import/accounts/template.xlsx").data))
    assert "Kinh tế - quản lý" in [c.value for c in general["Danh mục"]["B"]]


def test_organisations_and_council_members_are_created_with_invitations(world):
    existing = make_org("Trường Đại học Bắc Ninh", org_type="university")
    data = workbook(
        [organisation(), organisation("Viện Nông nghiệp", "VienNN@Example.VN", **{
            "Loại đơn vị": "viện", "Số hồ sơ tối đa mỗi đợt": None, "Điện thoại": 912345678})],
        [member(), member("TS. Lê Thị Chuyên", "chuyen@example.vn", **{
            "Cơ quan công tác": "Viện Nông nghiệp", "Lĩnh vực chuyên môn": "y dược"})])
    outcome = account_imports.import_accounts(world["secretary"], world["round"], data, "tai-khoan.xlsx")
    assert outcome.ok and outcome.created == {"organisations": 2, "council": 2}

    tinhoc = db.session.scalar(select(Organisation).where(Organisation.name == "Hội Tin học Bắc Ninh"))
    assert (tinhoc.org_type, tinhoc.contact_person, tinhoc.email, tinhoc.phone, tinhoc.nomination_limit) == \
        ("association", "Nguyễn Thị Liên", "tinhoc@hoi.example.vn", "02223812345", 5)
    vien = db.session.scalar(select(Organisation).where(Organisation.name == "Viện Nông nghiệp"))
    assert (vien.org_type, vien.nomination_limit, vien.phone) == ("institute", None, "912345678")
    nominator = db.session.scalar(select(User).where(User.email == "viennn@example.vn"))
    assert nominator.role == roles.NOMINATOR and nominator.organisation_id == vien.id

    members = {m.user.email: m for m in db.session.scalars(select(CouncilMember))}
    hoi, chuyen = members["hoi@dai-hoc.example.vn"], members["chuyen@example.vn"]
    assert hoi.user.role == roles.COUNCIL and hoi.round_id == world["round"].id
    assert [f.name for f in hoi.expertise] == ["Khoa học tự nhiên", "Giáo dục"]
    # Workplaces naming an organisation are recorded, so conflicts of interest are detected.
    assert hoi.affiliation_organisation_id == existing.id and chuyen.affiliation_organisation_id == vien.id
    assert [f.name for f in chuyen.expertise] == ["Y dược"]

    new_users = db.session.scalars(select(User).where(User.id != world["secretary"].id)).all()
    assert len(new_users) == 4 and all(invitations.is_pending(u) for u in new_users)
    assert all(not u.check_password("") and not u.check_password(u.password_hash) for u in new_users)
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {u.email for u in new_users}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import_accounts"))
    assert entry.actor_id == world["secretary"].id and "chuyen@example.vn" in entry.reason
    joined = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "council_member_added")).all()
    assert len(joined) == 2 and {(e.entity_type, e.entity_id, e.actor_id) for e in joined} == {
        ("round", world["round"].id, world["secretary"].id)}


def test_a_bad_row_creates_nothing_and_is_reported_by_sheet_row_and_column(world, client):
    make_user(roles.NOMINATOR, make_org("Hội Đã Có"), email="da-co@example.vn")
    before = counts()
    data = workbook(
        [organisation(),                                                          # row 2: fine
         organisation("Hội Sai Loại", "sai-loai@example.vn", **{"Loại đơn vị": "Câu lạc bộ"}),
         organisation("hội đã có", "moi@example.vn"),                             # row 4: name taken
         organisation("Hội Email Hỏng", "khong-phai-email"),                      # row 5
         organisation("Hội Trùng Email", "TINHOC@hoi.example.vn"),                # row 6: same as row 2
         organisation("Hội Âm", "am@example.vn", **{"Số hồ sơ tối đa mỗi đợt": -1}),
         organisation("Hội Tin học Bắc Ninh", "khac@example.vn")],                # row 8: same name as row 2
        [member(),
         member("", "da-co@example.vn"),                                          # row 3: no name, email taken
         member("Người Lạ", "la@example.vn", **{"Lĩnh vực chuyên môn": "Thiên văn học"})])
    assert problems_of(world, data, world["round"]) == {
        (ORGS, 3, "Loại đơn vị", "Loại đơn vị \"Câu lạc bộ\" không hợp lệ."),
        (ORGS, 4, "Tên đơn vị", "Đã có đơn vị mang tên \"hội đã có\"."),
        (ORGS, 5, "Email", "Địa chỉ email không hợp lệ."),
        (ORGS, 6, "Email", f"Trùng email với dòng 2 (trang tính \"{ORGS}\")."),
        (ORGS, 7, "Số hồ sơ tối đa mỗi đợt", "Giá trị ngoài khoảng cho phép."),
        (ORGS, 8, "Tên đơn vị", "Trùng với dòng 2 trong tệp."),
        (COUNCIL, 3, "Họ và tên", "Vui lòng nhập thông tin này."),
        (COUNCIL, 3, "Email", "Email da-co@example.vn đã được dùng cho tài khoản khác."),
        (COUNCIL, 4, "Lĩnh vực chuyên môn", "Lĩnh vực \"Thiên văn học\" không thuộc đợt xét đã chọn."),
    }
    assert counts() == before

    page = upload(client, data, world["round"].id)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "Câu lạc bộ" in html and counts() == before
    token = html.split('href="/import/accounts/report/')[1].split('"')[0]
    lines = list(openpyxl.load_workbook(io.BytesIO(client.get("/import/accounts/report/" + token).data))
                 .active.iter_rows(values_only=True))
    assert lines[0] == ("Trang tính", "Dòng", "Cột", "Lỗi") and len(lines) == 10


def test_council_members_need_a_round(world):
    assert problems_of(world, workbook(None, [member()])) == {(
        "", None, "", "Vui lòng chọn đợt xét để đưa các thành viên hội đồng trong tệp vào hội đồng của đợt.")}
    outcome = account_imports.import_accounts(world["secretary"], None, workbook([organisation()], []))
    assert outcome.ok and outcome.created == {"organisations": 1, "council": 0}


def test_hostile_files_are_refused(world, client):
    before = counts()
    for data, message in ((b"%PDF-1.4 not excel", "không phải tệp Excel"),
                          (workbook(None, None, extra_sheets=("Sheet1",)), "Không tìm thấy trang tính")):
        page = upload(client, data, world["round"].id)
        assert page.status_code == 422 and message in page.get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(workbook([organisation()], None, extra_sheets=("Ghi chú",))))
    book[ORGS]["A2"] = '=CONCAT("Hội ", "Công thức")'
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = account_imports.import_accounts(world["secretary"], None, buffer.getvalue())
    assert [(p.row, p.column) for p in outcome.problems] == [(2, "Tên đơn vị")]
    assert "công thức" in outcome.problems[0].message
    assert outcome.notes == ["Các trang tính sau không được đọc và đã bỏ qua: Ghi chú."]
    assert counts() == before


def test_only_the_secretariat_imports_accounts(world):
    admin = make_user(roles.ADMIN)
    with pytest.raises(RuleViolation):
        account_imports.import_accounts(admin, None, workbook([organisation()]))


# ---------------------------------------------------------------- invitations

@pytest.fixture
def invited(world):
    account_imports.import_accounts(world["secretary"], world["round"], workbook([organisation()], [member()]))
    return db.session.scalar(select(User).where(User.email == "hoi@dai-hoc.example.vn"))


def test_invitation_link_sets_the_password_once_and_signs_in(invited, app):
    link = invitation_link(invited.email)
    browser = app.test_client()
    assert browser.post("/login", data={"email": invited.email, "password": NEW_PASSWORD}).status_code != 302
    page = browser.get(link)
    assert page.status_code == 200 and invited.email in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"

    weak = browser.post(link, data={"new_password": "ngan", "confirm": "ngan"})
    assert weak.status_code == 422 and "ít nhất 10 ký tự" in weak.get_data(as_text=True)
    done = browser.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert invited.full_name in browser.get("/").get_data(as_text=True)  # signed in

    db.session.expire_all()
    assert db.session.get(User, invited.id).check_password(NEW_PASSWORD)
    again = app.test_client().post(link, data={"new_password": "Mat-khau-khac-99", "confirm": "Mat-khau-khac-99"})
    assert again.status_code == 400 and "đã được sử dụng" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, invited.id).check_password(NEW_PASSWORD)
    assert app.test_client().post("/login", data={"email": invited.email, "password": NEW_PASSWORD}).status_code == 302


def test_invitation_link_expires(invited, app, client):
    link = invitation_link(invited.email)
    with clock.frozen(NOW + timedelta(days=app.config["INVITATION_DAYS"], hours=1)):
        page = app.test_client().get(link)
        assert page.status_code == 400 and "đã hết hạn" in page.get_data(as_text=True)
    with clock.frozen(NOW + timedelta(days=app.config["INVITATION_DAYS"] - 1)):
        assert app.test_client().get(link).status_code == 200


@pytest.mark.parametrize("tamper", [
    lambda link: link[:-3] + ("abc" if not link.endswith("abc") else "xyz"),
    lambda link: "/invitation/not-a-token",
    lambda link: "/invitation/" + invitations.URLSafeTimedSerializer("other-secret", salt="set-password").dumps(
        {"user": 1, "password": "x"}),
])
def test_a_forged_or_damaged_link_is_refused(invited, app, tamper):
    page = app.test_client().post(tamper(invitation_link(invited.email)),
                                  data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert page.status_code == 400 and "không hợp lệ" in page.get_data(as_text=True)
    db.session.expire_all()
    assert invitations.is_pending(db.session.get(User, invited.id))


def test_a_locked_account_cannot_use_its_link(invited, app):
    invited.active = False
    db.session.commit()
    assert app.test_client().get(invitation_link(invited.email)).status_code == 400


def test_secretariat_resends_an_invitation_and_the_old_link_stops_working(invited, world, client, app):
    old = invitation_link(invited.email)
    response = client.post(f"/users/{invited.id}/invitation")
    assert response.status_code == 302
    new = invitation_link(invited.email)
    assert new != old
    assert app.test_client().get(old).status_code == 400
    assert app.test_client().get(new).status_code == 200

    done = make_user(roles.COUNCIL)  # has a password of its own: nothing to resend
    client.post(f"/users/{done.id}/invitation")
    assert "đã đặt mật khẩu" in client.get("/users/").get_data(as_text=True)
    with pytest.raises(RuleViolation):
        invitations.resend(world["secretary"], make_user(roles.ADMIN))
    assert done.check_password(PASSWORD)
