"""Staff lists into the intellectuals database: all-or-nothing per file with a per-row report, matching to existing
records (citizen identification number, or the same name and birth date) that proposes changes instead of
writing them, hostile files refused quickly, the organisation seeing only its own lists, batched lookups."""
import io
import time
import zipfile
from datetime import date

import openpyxl
import pytest
from sqlalchemy import event, func, select

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.directory import export, proposals
from honours.imports import workbook as wb
from honours.intake import services as intake
from honours.intake.models import PersonIntake
from honours.people.models import Person, PersonChangeProposal
from tests.conftest import login
from tests.factories import make_org, make_person, make_user

HEADERS = [column.header for column in intake.COLUMNS]


def staff(name="Nguyễn Văn An", born="20/05/1975", **changes) -> dict:
    row = {
        "Họ và tên": name, "Giới tính": "Nam", "Ngày sinh (dd/mm/yyyy)": born,
        "Số định danh cá nhân (12 chữ số, nếu có)": "", "Dân tộc": "Kinh", "Quê quán": "Từ Sơn, Bắc Ninh",
        "Nơi công tác": "Trường Đại học Bắc Ninh", "Chức vụ": "Giảng viên", "Học hàm": "", "Học vị": "Tiến sĩ (TS)",
        "Lĩnh vực": "Khoa học tự nhiên", "Chuyên môn, lĩnh vực sâu": "Hoá học", "Email": "an@example.vn",
        "Điện thoại": "0912345678", "Người Việt Nam ở nước ngoài (Có/Không)": "Không",
    }
    row.update(changes)
    return row


def workbook(rows: list[dict], headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = intake.SHEET
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def many(count: int, start: int = 0) -> list[dict]:
    return [staff(f"Người Nhập {i}", f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1950 + i % 50}", Email=f"n{i}@example.vn")
            for i in range(start, start + count)]


@pytest.fixture
def world(app):
    org = make_org("Trường Đại học Bắc Ninh")
    other = make_org("Viện Kinh Bắc")
    return {"org": org, "other": other, "nominator": make_user(roles.NOMINATOR, org),
            "stranger": make_user(roles.NOMINATOR, other), "secretary": make_user(roles.SECRETARIAT)}


def persons() -> int:
    return db.session.scalar(select(func.count(Person.id)))


def pending() -> list[PersonChangeProposal]:
    return list(db.session.scalars(select(PersonChangeProposal).order_by(PersonChangeProposal.id)))


def test_a_clean_list_creates_records_of_the_organisation(world):
    outcome = intake.intake(world["nominator"], workbook(many(3) + [staff(**{
        "Số định danh cá nhân (12 chữ số, nếu có)": "027080001234", "Người Việt Nam ở nước ngoài (Có/Không)": ""})]),
        filename="nhan-su.xlsx")
    assert outcome.ok, outcome.problems
    assert outcome.created == {"persons": 4, "matched": 0, "proposals": 0}
    an = db.session.scalar(select(Person).where(Person.full_name == "Nguyễn Văn An"))
    assert (an.organisation_id, an.citizen_id, an.degree, an.field, an.consent_national_db) == (
        world["org"].id, "027080001234", "TS", "Khoa học tự nhiên", False)
    record = db.session.scalar(select(PersonIntake))
    assert (record.rows, record.created_count, record.filename, record.organisation_id) == (
        4, 4, "nhan-su.xlsx", world["org"].id)


def test_a_bad_row_writes_nothing_and_the_report_lists_every_error(world):
    make_person("Nguyễn Văn An", date(1975, 5, 20), workplace="Cũ")
    before = persons()
    rows = [staff(), *many(3), staff("Trần Thị Bình", "31/02/1980"), staff("", Email="khong-phai-email"),
            staff("Lê Văn C", **{"Số định danh cá nhân (12 chữ số, nếu có)": "12345"})]
    outcome = intake.intake(world["nominator"], workbook(rows))
    assert not outcome.ok
    found = {(p.row, p.column) for p in outcome.problems}
    assert {(6, "Ngày sinh (dd/mm/yyyy)"), (7, "Họ và tên"), (7, "Email"),
            (8, "Số định danh cá nhân (12 chữ số, nếu có)")} <= found
    assert all(p.row in (6, 7, 8) for p in outcome.problems)
    db.session.rollback()
    assert persons() == before
    assert pending() == []
    assert db.session.scalar(select(func.count(PersonIntake.id))) == 0


def test_the_same_person_twice_in_a_file_is_reported(world):
    number = {"Số định danh cá nhân (12 chữ số, nếu có)": "027080001234"}
    outcome = intake.intake(world["nominator"], workbook([staff(), staff(), staff("Lê Văn B", **number),
                                                          staff("Lê Văn D", **number)]))
    assert {(p.row, p.column) for p in outcome.problems} == {
        (3, "Họ và tên"), (5, "Số định danh cá nhân (12 chữ số, nếu có)")}


def test_a_matched_person_gets_proposals_never_a_write(world):
    known = make_person("Nguyễn Văn An", date(1975, 5, 20), workplace="Viện cũ", email="an@example.vn", degree="ThS")
    version = known.version
    outcome = intake.intake(world["nominator"], workbook([staff(**{"Chức vụ": ""}), *many(2)]))
    assert outcome.ok
    assert outcome.created == {"persons": 2, "matched": 1, "proposals": 7}
    db.session.expire_all()
    known = db.session.get(Person, known.id)
    assert (known.workplace, known.degree, known.version, known.organisation_id) == ("Viện cũ", "ThS", version, None)
    changes = {p.field: (p.old_value, p.proposed_value) for p in pending()}
    # The same email proposes nothing; an empty cell (position) proposes nothing; the list's organisation does.
    assert changes == {"hometown": ("", "Từ Sơn, Bắc Ninh"), "workplace": ("Viện cũ", "Trường Đại học Bắc Ninh"),
                       "degree": ("ThS", "TS"), "phone": ("", "0912345678"),
                       "organisation_id": ("", str(world["org"].id)), "field": ("", "Khoa học tự nhiên"),
                       "expertise": ("", "Hoá học")}
    assert all(p.source_type == "person_intake" and p.state == "pending" and p.proposed_by_id == world["nominator"].id
               for p in pending())
    # The secretariat accepts one: only then does the record change.
    workplace = next(p for p in pending() if p.field == "workplace")
    proposals.decide(world["secretary"], workplace.id, proposals.ACCEPT)
    assert db.session.get(Person, known.id).workplace == "Trường Đại học Bắc Ninh"


def test_loading_the_same_list_again_proposes_nothing_new(world):
    make_person("Nguyễn Văn An", date(1975, 5, 20))
    data = workbook([staff()])
    first = intake.intake(world["nominator"], data)
    again = intake.intake(world["nominator"], data)
    assert first.created["proposals"] > 0
    assert again.created == {"persons": 0, "matched": 1, "proposals": 0}


def test_the_citizen_number_matches_first_and_tells_namesakes_apart(world):
    renamed = make_person("Nguyễn Thị Hoa", date(1980, 1, 2), citizen_id="027180000001")
    namesake = make_person("Trần Văn Nam", date(1970, 7, 7), citizen_id="027070000009")
    rows = [staff("Nguyễn Thị Hoà", "02/01/1980", **{"Số định danh cá nhân (12 chữ số, nếu có)": "027180000001"}),
            staff("Trần Văn Nam", "07/07/1970", **{"Số định danh cá nhân (12 chữ số, nếu có)": "027070000010"})]
    outcome = intake.intake(world["secretary"], workbook(rows))
    assert outcome.created == {"persons": 1, "matched": 1, "proposals": outcome.created["proposals"]}
    assert {p.person_id for p in pending()} == {renamed.id}
    assert db.session.scalar(select(func.count(Person.id)).where(Person.full_name == namesake.full_name)) == 2


def test_a_merged_record_stands_for_its_survivor(world):
    survivor = make_person("Nguyễn Văn An", date(1975, 5, 20))
    make_person("Nguyen Van An", date(1975, 5, 20), merged_into_id=survivor.id)
    outcome = intake.intake(world["nominator"], workbook([staff("Nguyen Van An")]))
    assert outcome.created["matched"] == 1
    assert {p.person_id for p in pending()} == {survivor.id}


def test_only_organisations_and_the_secretariat_load_lists(world):
    for role in (roles.ADMIN, roles.COUNCIL):
        with pytest.raises(RuleViolation):
            intake.intake(make_user(role), workbook([staff()]))
    with pytest.raises(RuleViolation):
        intake.intake(make_user(roles.NOMINATOR), workbook([staff()]))  # no organisation


def test_lookups_are_batched_not_per_row(world, app):
    make_person("Người Nhập 3", date(1953, 4, 4))
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        outcome = intake.intake(world["nominator"], workbook(many(1_200)))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert outcome.ok and outcome.created["persons"] == 1_199
    assert len(statements) < 30, len(statements)


def test_progress_is_reported(world):
    calls = []
    intake.intake(world["nominator"], workbook(many(2_100)), progress=lambda n, total: calls.append((n, total)))
    assert calls[:2] == [(0, 2_100), (1_000, 2_100)] and calls[-1] == (2_100, 2_100)


def test_the_citizen_number_is_kept_out_of_the_national_export(world):
    intake.intake(world["secretary"], workbook([staff(**{"Số định danh cá nhân (12 chữ số, nếu có)": "027080001234",
                                                          "Người Việt Nam ở nước ngoài (Có/Không)": "Không"})]))
    person = db.session.scalar(select(Person))
    person.consent_national_db = True
    db.session.commit()
    for extension in ("csv", "xlsx"):
        content = export.national_csv() if extension == "csv" else export.national_xlsx()
        text = content.decode("utf-8-sig") if extension == "csv" else str(
            [row for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)])
        assert "Nguyễn Văn An" in text and "027080001234" not in text


# ---------------------------------------------------------------- hostile files

def test_a_zip_bomb_is_refused_quickly(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (300 * 1024 * 1024))
    started = time.monotonic()
    with pytest.raises(wb.FileRefused):
        intake.intake(world["nominator"], buffer.getvalue())
    assert time.monotonic() - started < 5


def test_millions_of_shared_strings_are_refused_quickly(world):
    from tests.imports.test_hostile_uploads import with_shared_strings

    started = time.monotonic()
    with pytest.raises(wb.FileRefused):
        intake.intake(world["nominator"], with_shared_strings(b"<si><t>a</t></si>" * 2_600_000))
    assert time.monotonic() - started < 10


def test_not_excel_and_too_many_rows_are_refused(world, app):
    with pytest.raises(wb.FileRefused):
        intake.intake(world["nominator"], b"%PDF-1.4 not a workbook")
    app.config["INTAKE_MAX_ROWS"] = 5
    try:
        with pytest.raises(wb.FileRefused):
            intake.intake(world["nominator"], workbook(many(6)))
    finally:
        app.config["INTAKE_MAX_ROWS"] = 50_000


# ---------------------------------------------------------------- pages

def upload(client, data: bytes, **fields):
    return client.post("/import/people/", data={**fields, "file": (io.BytesIO(data), "danh-sach.xlsx")},
                       content_type="multipart/form-data")


def test_the_template_reads_back_and_has_dropdowns(world, client):
    login(client, world["nominator"])
    response = client.get("/import/people/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book[intake.SHEET]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.data_validations.dataValidation
    assert wb.LISTS_SHEET in book.sheetnames
    assert book.properties.title == "Mẫu danh sách trí thức" and sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"


def test_the_page_reports_errors_and_the_report_is_the_uploaders(world, client, app):
    login(client, world["nominator"])
    response = upload(client, workbook([staff("Trần Thị Bình", "31/02/1980")]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ngày sinh" in page and persons() == 0
    link = page.split('href="/import/people/report/')[1].split('"')[0]
    assert client.get(f"/import/people/report/{link}").status_code == 200
    other = app.test_client()
    login(other, world["stranger"])
    assert other.get(f"/import/people/report/{link}").status_code == 404


def test_an_organisation_sees_only_its_own_lists(world, client, app):
    intake.intake(world["stranger"], workbook(many(2)), filename="vien-kinh-bac.xlsx")
    login(client, world["nominator"])
    response = upload(client, workbook(many(2, start=10)))
    assert response.status_code == 302
    page = client.get("/import/people/").get_data(as_text=True)
    assert "danh-sach.xlsx" in page and "vien-kinh-bac.xlsx" not in page
    secretariat = app.test_client()
    login(secretariat, world["secretary"])
    page = secretariat.get("/import/people/").get_data(as_text=True)
    assert "danh-sach.xlsx" in page and "vien-kinh-bac.xlsx" in page


def test_the_secretariat_names_the_organisation_of_a_list(world, client):
    login(client, world["secretary"])
    assert upload(client, workbook([staff()]), organisation_id=str(world["other"].id)).status_code == 302
    assert db.session.scalar(select(Person)).organisation_id == world["other"].id
