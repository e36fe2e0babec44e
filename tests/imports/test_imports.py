"""Nomination dossiers imported from Excel: the template, all-or-nothing with a per-row, per-column report,
hostile files (not Excel, formulas, extra sheets, zip bombs, too many rows), the organisation limit and closed
rounds."""
import io
import os
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.imports import nominations as dossier_imports
from honours.nominations import states
from honours.nominations.models import Dossier
from tests.conftest import login
from tests.factories import PDF, make_dossier, make_org, make_round, make_user

SHEET = "Hồ sơ đề cử"
HEADERS = [column.header for column in dossier_imports.COLUMNS]


def person(name="Nguyễn Văn An", born="20/05/1975", **changes) -> dict:
    row = {
        "Họ và tên": name, "Giới tính": "Nam", "Ngày sinh (dd/mm/yyyy)": born, "Dân tộc": "Kinh",
        "Quê quán": "Từ Sơn, Bắc Ninh", "Nơi công tác": "Trường Đại học Bắc Ninh", "Chức vụ": "Trưởng khoa",
        "Học hàm": "PGS", "Học vị": "Tiến sĩ (TS)", "Lĩnh vực": "Khoa học tự nhiên", "Email": "an@example.vn",
        "Điện thoại": "0912345678", "Người Việt Nam ở nước ngoài (Có/Không)": "Không",
        "Tóm tắt thành tích": "Nhiều công trình khoa học.",
    }
    row.update(changes)
    return row


def workbook(rows: list[dict], headers=HEADERS, sheet=SHEET, extra_sheets=(), formulas=None) -> bytes:
    """A workbook written from scratch (not the template): rows are {header: value}."""
    book = openpyxl.Workbook()
    data = book.active
    data.title = sheet
    data.append(list(headers))
    for row in rows:
        data.append([row.get(header) for header in headers])
    for (row_number, column_number), formula in (formulas or {}).items():
        data.cell(row=row_number, column=column_number, value=formula)
    for name in extra_sheets:
        book.create_sheet(name).append(["ghi chú", "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def many(count: int) -> list[dict]:
    return [person(f"Người Thử {i}", date(1950 + i % 50, 1 + i % 12, 1 + i % 28)) for i in range(count)]


@pytest.fixture
def world(app, client):
    # These tests take every file through the request; files above the threshold go to a background job, tested in
    # tests/jobs/test_dossier_import_job.py.
    app.config["IMPORT_BACKGROUND_BYTES"] = 1024 * 1024 * 1024
    round_ = make_round()
    org = make_org("Hội Khoa học Bắc Ninh")
    nominator = make_user(roles.NOMINATOR, org)
    login(client, nominator)
    return {"round": round_, "org": org, "nominator": nominator}


def upload(client, round_id, data: bytes, name="ho-so.xlsx"):
    return client.post("/import/dossiers", data={"round_id": round_id, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def dossiers_of(org) -> list[Dossier]:
    return db.session.scalars(select(Dossier).where(Dossier.organisation_id == org.id).order_by(Dossier.id)).all()


def problems_of(world, data: bytes) -> set[tuple]:
    outcome = dossier_imports.import_dossiers(world["nominator"], world["round"].id, data)
    return {(p.row, p.column, p.message) for p in outcome.problems}


# ---------------------------------------------------------------- template and round trip

def test_template_downloads_and_a_filled_copy_imports(world, client):
    response = client.get(f"/import/dossiers/{world['round'].id}/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [SHEET, "Danh mục"]
    sheet, lists = book[SHEET], book["Danh mục"]
    assert [c.value for c in sheet[1]] == HEADERS
    columns = {cell.value: [c.value for c in lists[cell.column_letter][1:] if c.value] for cell in lists[1]}
    assert columns["Lĩnh vực"] == ["Khoa học tự nhiên", "Y dược", "Giáo dục"]
    assert columns["Giới tính"] == ["Nam", "Nữ"] and len(columns["Dân tộc"]) == 54
    assert "Tiến sĩ (TS)" in columns["Học vị"] and "Giáo sư (GS)" in columns["Học hàm"]
    assert sheet.data_validations.dataValidation, "dropdowns fed by the Danh mục sheet"
    # the header stays in row 1 (where the import reads it): the title is in the document properties
    assert book.properties.title == f"Mẫu nhập hồ sơ đề cử: {world['round'].name}"
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    born = next(c.column_letter for c in sheet[1] if c.value == "Ngày sinh (dd/mm/yyyy)")
    assert sheet.column_dimensions[born].number_format == "@"  # typed 05/03/1970 stays 5 March, whatever the locale

    # Filled as a user would: labels in any case/accents, a real Excel date and a text date.
    sheet.append(list(person("Trần Thị Bình", datetime(1980, 3, 5), **{"Giới tính": "nữ", "Học vị": "ts",
                                                                        "Học hàm": "", "Lĩnh vực": "y duoc",
                                                                        "Dân tộc": "tày"}).values()))
    sheet.append(list(person("Lê Văn Cường", "05/11/1969", **{
        "Học vị": "Thạc sĩ (ThS)", "Học hàm": "Giáo sư", "Người Việt Nam ở nước ngoài (Có/Không)": "Có"}).values()))
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(client, world["round"].id, buffer.getvalue())
    assert page.status_code == 200, page.get_data(as_text=True)[:3000]
    assert "Đã tạo 2 hồ sơ nháp" in page.get_data(as_text=True)

    binh, cuong = dossiers_of(world["org"])
    assert (binh.full_name, binh.gender, binh.degree, binh.academic_title, binh.ethnicity) == \
        ("Trần Thị Bình", "female", "TS", "", "Tày")
    assert binh.date_of_birth == date(1980, 3, 5) and binh.field.name == "Y dược" and binh.state == states.DRAFT
    assert binh.name_folded == "tran thi binh" and binh.created_by_id == world["nominator"].id
    assert (cuong.date_of_birth, cuong.degree, cuong.academic_title, cuong.is_overseas) == \
        (date(1969, 11, 5), "ThS", "GS", True)
    assert cuong.phone == "0912345678" and cuong.merits_summary == "Nhiều công trình khoa học."
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import_dossiers"))
    assert entry.entity_id == world["round"].id and "2" in entry.reason

    # An imported draft is an ordinary draft: its page opens and the dossier form saves it.
    assert client.get(f"/dossiers/{binh.id}").status_code == 200
    edit = client.get(f"/dossiers/{binh.id}/edit")
    assert edit.status_code == 200 and "Trần Thị Bình" in edit.get_data(as_text=True)
    saved = client.post(f"/dossiers/{binh.id}/edit", data={
        "version": binh.version, "field_id": binh.field_id, "full_name": "Trần Thị Bình", "gender": "female",
        "date_of_birth": "05/03/1980", "ethnicity": "Tày", "academic_title": "", "degree": "TS",
        "merits_summary": "Đã bổ sung."})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert db.session.get(Dossier, binh.id).merits_summary == "Đã bổ sung."


def test_two_thousand_good_rows_become_drafts(world, client):
    page = upload(client, world["round"].id, workbook(many(2000)))
    assert page.status_code == 200
    assert db.session.scalar(select(func.count(Dossier.id)).where(
        Dossier.organisation_id == world["org"].id, Dossier.state == states.DRAFT)) == 2000
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "import_dossiers")) == 1


def test_columns_may_come_in_any_order_with_headers_typed_loosely(world):
    headers = list(reversed(HEADERS))
    loose = {h: h.upper() if i % 2 else h.lower().replace("(dd/mm/yyyy)", "") for i, h in enumerate(headers)}
    rows = [{loose[h]: v for h, v in person().items()}]
    outcome = dossier_imports.import_dossiers(world["nominator"], world["round"].id,
                                              workbook(rows, headers=[loose[h] for h in headers]))
    assert outcome.ok, outcome.problems
    assert [d.full_name for d in dossiers_of(world["org"])] == ["Nguyễn Văn An"]


# ---------------------------------------------------------------- all or nothing

def test_one_bad_row_among_good_ones_creates_nothing_and_names_row_column_and_message(world, client):
    other = make_org("Viện Nghiên cứu khác")
    theirs = make_dossier(world["round"], other, make_user(roles.NOMINATOR, other), state=states.SUBMITTED,
                          full_name="Phạm Văn Đã Đề Cử", date_of_birth=date(1960, 1, 1))
    rows = many(5) + [
        person("Sai Ngày", "31/02/1980"),                            # row 7
        person("Sai Lĩnh Vực", **{"Lĩnh vực": "Thiên văn học"}),    # row 8
        person(""),                                                  # row 9: missing name
        person("Người Thử 1", date(1951, 2, 2)),                     # row 10: same as row 3
        person("pham van da de cu", "01/01/1960"),                   # row 11: nominated by `other`: not said
        person("Sinh Tương Lai", "01/01/2030", **{"Học vị": "Cử nhân", "Email": "khong-phai-email"}),  # row 12
    ]
    data = workbook(rows)
    found = problems_of(world, data)
    assert found == {
        (7, "Ngày sinh (dd/mm/yyyy)", "Ngày \"31/02/1980\" không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy."),
        (8, "Lĩnh vực", "Lĩnh vực \"Thiên văn học\" không thuộc đợt xét này."),
        (9, "Họ và tên", "Vui lòng nhập họ và tên người được đề cử."),
        (10, "Họ và tên", "Trùng với dòng 3 trong tệp (cùng họ tên và ngày sinh)."),
        (12, "Ngày sinh (dd/mm/yyyy)", "Ngày sinh không hợp lệ."),
        (12, "Học vị", "\"Cử nhân\" không có trong danh mục."),
        (12, "Email", "Địa chỉ email không hợp lệ."),
    }
    assert dossiers_of(world["org"]) == []

    page = upload(client, world["round"].id, data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "chưa có dữ liệu nào được tạo" in html
    assert "Thiên văn học" in html and "Trùng với dòng 3 trong tệp" in html
    assert other.name not in html  # a file of guesses reads nothing of other organisations' nominations
    assert dossiers_of(world["org"]) == [] and db.session.scalar(select(func.count(Dossier.id))) == 1
    assert theirs.state == states.SUBMITTED

    link = html.split('href="/import/dossiers/report/')[1].split('"')[0]
    report = client.get("/import/dossiers/report/" + link)
    assert report.status_code == 200
    lines = list(openpyxl.load_workbook(io.BytesIO(report.data)).active.iter_rows(values_only=True))
    assert lines[0] == ("Dòng", "Cột", "Lỗi") and len(lines) == 1 + len(found)
    sheet = openpyxl.load_workbook(io.BytesIO(report.data)).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b and sheet.page_setup.orientation == "landscape"
    assert isinstance(sheet["A2"].value, int) and sheet["A2"].number_format == "0"
    assert (8, "Lĩnh vực", "Lĩnh vực \"Thiên văn học\" không thuộc đợt xét này.") in lines


def test_the_error_report_is_only_for_the_user_who_uploaded(world, client, app):
    page = upload(client, world["round"].id, workbook([person("")]))
    token = page.get_data(as_text=True).split('href="/import/dossiers/report/')[1].split('"')[0]
    colleague = make_user(roles.NOMINATOR, world["org"])
    other_client = app.test_client()
    login(other_client, colleague)
    assert other_client.get("/import/dossiers/report/" + token).status_code == 404
    assert client.get("/import/dossiers/report/" + token).status_code == 200
    assert client.get("/import/dossiers/report/..%2F..%2Fsecret.xlsx").status_code == 404


def test_the_organisation_own_dossiers_count_as_duplicates_too(world):
    make_dossier(world["round"], world["org"], world["nominator"], full_name="Nguyễn Văn An",
                 date_of_birth=date(1975, 5, 20))
    assert problems_of(world, workbook([person()])) == {
        (2, "Họ và tên", "Đơn vị đã có hồ sơ của người này trong đợt xét (cùng họ tên và ngày sinh).")}


def test_importing_the_same_file_twice_is_refused_the_second_time(world, client):
    data = workbook(many(3))
    assert upload(client, world["round"].id, data).status_code == 200
    assert upload(client, world["round"].id, data).status_code == 422
    assert len(dossiers_of(world["org"])) == 3


def test_organisation_limit_counts_existing_and_imported(world):
    world["org"].nomination_limit = 3
    make_dossier(world["round"], world["org"], world["nominator"], state=states.SUBMITTED, full_name="Đã Nộp")
    assert problems_of(world, workbook(many(3))) == {(None, "", (
        "Đơn vị được đề cử tối đa 3 hồ sơ trong đợt này: đã có 1 hồ sơ, tệp thêm 3."))}
    assert len(dossiers_of(world["org"])) == 1
    assert problems_of(world, workbook(many(2))) == set()
    assert len(dossiers_of(world["org"])) == 3


def test_closed_round_is_refused(world, client):
    closed = make_round(name="Đợt đã đóng", opens_in_days=-60, closes_in_days=-1)
    with pytest.raises(RuleViolation, match="không nhận hồ sơ"):
        dossier_imports.import_dossiers(world["nominator"], closed.id, workbook([person()]))
    page = upload(client, closed.id, workbook([person()]))
    assert page.status_code == 422 and dossiers_of(world["org"]) == []
    template = client.get(f"/import/dossiers/{closed.id}/template.xlsx")
    assert template.status_code == 302 and "/import/dossiers" in template.headers["Location"]


def test_only_nominators_import(world):
    secretary = make_user(roles.SECRETARIAT)
    with pytest.raises(RuleViolation):
        dossier_imports.import_dossiers(secretary, world["round"].id, workbook([person()]))


# ---------------------------------------------------------------- hostile and broken files

def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("data,message", [
    (PDF, "không phải tệp Excel (.xlsx)"),
    (os.urandom(4096), "không phải tệp Excel (.xlsx)"),
    (b"", "không phải tệp Excel (.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "định dạng Excel cũ (.xls)"),
    (b"PK\x03\x04 truncated zip", "không phải tệp Excel (.xlsx)"),
    (_zip({"hello.txt": b"not a workbook"}), "Không đọc được tệp Excel"),
])
def test_a_file_that_is_not_excel_is_refused_with_a_clear_message(world, client, data, message):
    page = upload(client, world["round"].id, data, name="ho-so.xlsx")
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    assert dossiers_of(world["org"]) == []


def _with_part(data: bytes, part: str, content: bytes) -> bytes:
    book = zipfile.ZipFile(io.BytesIO(data))
    entries = {info.filename: book.read(info.filename) for info in book.infolist()}
    entries[part] = content
    return _zip(entries)


ENTITIES = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e0 "ha">{ENTITIES}]>'
                  '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                  '<row r="1"><c r="A1" t="inlineStr"><is><t>&e9;</t></is></c></row></sheetData></worksheet>').encode()


@pytest.mark.parametrize("part,content", [
    ("xl/worksheets/sheet1.xml", BILLION_LAUGHS),
    ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c>broken"),
    ("xl/workbook.xml", b"not xml at all"),
])
def test_damaged_or_hostile_xml_inside_the_workbook_is_refused(world, client, part, content):
    page = upload(client, world["round"].id, _with_part(workbook([person()]), part, content))
    assert page.status_code == 422 and "Không đọc được tệp Excel" in page.get_data(as_text=True)
    assert dossiers_of(world["org"]) == []


def test_zip_bomb_is_refused_before_inflating(world, client, app):
    app.config["IMPORT_MAX_UNZIPPED_BYTES"] = 1024 * 1024
    book = zipfile.ZipFile(io.BytesIO(workbook([person()])))
    entries = {info.filename: book.read(info.filename) for info in book.infolist()}
    entries["xl/media/padding.bin"] = b"\x00" * (2 * 1024 * 1024)  # compresses to a few KB
    page = upload(client, world["round"].id, _zip(entries))
    assert page.status_code == 422 and "quá lớn khi giải nén" in page.get_data(as_text=True)
    assert dossiers_of(world["org"]) == []


def test_too_many_rows_is_refused(world, client, app):
    app.config["IMPORT_MAX_ROWS"] = 5
    page = upload(client, world["round"].id, workbook(many(6)))
    assert page.status_code == 422 and "tối đa 5 dòng" in page.get_data(as_text=True)
    assert upload(client, world["round"].id, workbook(many(5))).status_code == 200


def test_formula_cells_are_refused_and_extra_sheets_ignored(world, client):
    data = workbook(many(3), extra_sheets=("Ghi chú", "Tổng hợp"),
                    formulas={(3, 1): '=HYPERLINK("http://evil.example","Bấm")', (4, 14): "=A2&A3"})
    outcome = dossier_imports.import_dossiers(world["nominator"], world["round"].id, data)
    formula = "Ô chứa công thức; vui lòng nhập giá trị (sao chép rồi dán dạng giá trị)."
    assert {(p.row, p.column, p.message) for p in outcome.problems} == {
        (3, "Họ và tên", formula), (4, "Tóm tắt thành tích", formula)}
    assert outcome.notes == ["Các trang tính sau không được đọc và đã bỏ qua: Ghi chú, Tổng hợp."]
    assert dossiers_of(world["org"]) == []

    page = upload(client, world["round"].id, workbook(many(3), extra_sheets=("Ghi chú",)))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "đã bỏ qua: Ghi chú" in html
    assert len(dossiers_of(world["org"])) == 3


def test_the_data_sheet_is_found_by_name_else_the_first_sheet_is_read(world):
    book = openpyxl.load_workbook(io.BytesIO(workbook([person()], extra_sheets=("Hướng dẫn",))))
    book.move_sheet("Hướng dẫn", offset=-1)
    buffer = io.BytesIO()
    book.save(buffer)
    assert dossier_imports.import_dossiers(world["nominator"], world["round"].id, buffer.getvalue()).ok

    renamed = workbook([person("Người Khác")], sheet="Sheet1")
    assert dossier_imports.import_dossiers(world["nominator"], world["round"].id, renamed).ok
    assert len(dossiers_of(world["org"])) == 2


def test_header_row_must_match_the_template(world):
    headers = [h for h in HEADERS if h != "Dân tộc"] + ["Ghi chú"]
    assert problems_of(world, workbook([person()], headers=headers)) == {
        (1, "", "Dòng tiêu đề (dòng 1) thiếu cột: Dân tộc."),
        (1, "", "Cột không có trong mẫu: Ghi chú."),
    }


def test_an_empty_file_is_reported(world):
    assert problems_of(world, workbook([])) == {(None, "", "Tệp không có dòng dữ liệu nào.")}


def test_upload_page_lists_open_rounds_with_their_templates(world, client):
    make_round(name="Đợt đã đóng", opens_in_days=-60, closes_in_days=-1)
    html = client.get("/import/dossiers").get_data(as_text=True)
    assert f"/import/dossiers/{world['round'].id}/template.xlsx" in html and "Đợt đã đóng" not in html
    assert client.post("/import/dossiers", data={"round_id": world["round"].id}).status_code == 422
    assert "/import/dossiers" in client.get("/dossiers/").get_data(as_text=True)
