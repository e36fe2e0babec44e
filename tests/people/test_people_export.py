"""The national-database export: columns exactly as documented, consent, tombstones, formula guard, bounded queries."""
import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from honours.core import clock, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.directory import export
from honours.nominations import states
from honours.talent.models import RETIRED
from tests.conftest import login
from tests.core.test_query_counts import count_queries
from tests.factories import make_dossier, make_org, make_person, make_pool_entry, make_round, make_user
from tests.people.test_people import published_round

DOCS = Path(__file__).resolve().parents[2] / "docs" / "national-export.md"
ROW = re.compile(r"^\| (\d+) \| `([^`]+)` \|(.*)\|\s*$")


def documented_columns() -> list[tuple[str, str]]:
    """[(header, "public" | "consent required")] from the table in docs/national-export.md, in order."""
    columns = []
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            assert int(match.group(1)) == len(columns) + 1, line
            columns.append((match.group(2), match.group(3).split("|")[-1].strip()))
    return columns


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes) -> list[list]:
    """The sheet's values, date cells shown as the CSV writes them (after checking they are dates shown so)."""
    sheet = load_workbook(io.BytesIO(content))[export.SHEET_NAME]
    return [[shown(cell) for cell in row] for row in sheet.iter_rows()]


def shown(cell):
    if cell.value is None:
        return ""
    if isinstance(cell.value, datetime):
        assert cell.number_format == "dd/mm/yyyy" and cell.value.time() == datetime.min.time(), cell
        return f"{cell.value:%d/%m/%Y}"
    return cell.value


def by_header(table: list[list]) -> list[dict]:
    return [dict(zip(table[0], row)) for row in table[1:]]


def test_the_header_is_exactly_the_documented_columns(app):
    documented = documented_columns()
    assert len(documented) == len(export.COLUMNS) > 15
    assert [header for header, _sharing in documented] == export.HEADERS
    assert [sharing for _header, sharing in documented] == [
        "consent required" if c.visibility == export.CONSENT else "public" for c in export.COLUMNS]
    assert read_csv(export.national_csv())[0] == export.HEADERS
    assert read_xlsx(export.national_xlsx())[0] == export.HEADERS


@pytest.fixture
def people(app):
    org = make_org("Hội Y học tỉnh Bắc Ninh")
    nominator = make_user(roles.NOMINATOR, org)
    secretary = make_user(roles.SECRETARIAT)
    agreed = make_person("Nguyễn Thị Đồng Ý", date(1980, 3, 8), gender="female", ethnicity="Tày",
                         hometown="Xã Sơn Động", academic_title="PGS", degree="DH", field="Y dược",
                         expertise="tim mạch\ncan thiệp", workplace="Bệnh viện tỉnh", position="Trưởng khoa",
                         organisation_id=org.id, email="dongy@example.vn", phone="0912 345 678",
                         consent_national_db=True, is_overseas=True)
    private = make_person("Trần Văn Riêng", date(1975, 12, 31), hometown="Từ Sơn", email="rieng@example.vn",
                          phone="0988 000 000", degree="TS")
    gone = make_person("Tran Van Rieng", date(1975, 12, 31), merged_into_id=private.id)
    for year in (2026, 2025):
        make_dossier(published_round(year), org, nominator, state=states.PUBLISHED, full_name=agreed.full_name,
                     person_id=agreed.id)
    # The person's own answer: (d) refused, the national database gets no contact details.
    make_dossier(make_round(name="Đợt chưa công bố"), org, nominator, state=states.APPROVED,
                 full_name=private.full_name, person_id=private.id, consent="abce")
    make_pool_entry(agreed, secretary)
    make_pool_entry(private, secretary, status=RETIRED)
    return {"agreed": agreed, "private": private, "gone": gone}


def test_rows_carry_public_data_and_consented_details_only(app, people):
    agreed, private = people["agreed"], people["private"]
    for table in (read_csv(export.national_csv()), read_xlsx(export.national_xlsx())):
        rows = {str(row["Mã định danh"]): row for row in by_header(table)}
        assert set(rows) == {str(agreed.id), str(private.id)}  # the merged duplicate is not exported
        assert rows[str(agreed.id)] | {"Mã định danh": "", "Năm sinh": ""} == {
            "Mã định danh": "", "Họ và tên": "Nguyễn Thị Đồng Ý", "Giới tính": "Nữ", "Năm sinh": "",
            "Ngày sinh": "08/03/1980", "Dân tộc": "Tày", "Quê quán": "Xã Sơn Động", "Học hàm": "PGS", "Học vị": "ĐH",
            "Lĩnh vực": "Y dược", "Chuyên môn": "tim mạch can thiệp", "Cơ quan công tác": "Bệnh viện tỉnh",
            "Chức vụ": "Trưởng khoa", "Đơn vị đề cử, tiến cử": "Hội Y học tỉnh Bắc Ninh", "Ở nước ngoài": "Có",
            "Email": "dongy@example.vn", "Điện thoại": "0912 345 678", "Năm được tôn vinh": "2025; 2026",
            "Trong nguồn nhân tài": "Có", "Đồng ý chia sẻ thông tin": "Có", "Ngày cập nhật": "15/06/2026",
        }
        assert str(rows[str(agreed.id)]["Năm sinh"]) == "1980"
        withheld = rows[str(private.id)]
        assert str(withheld["Năm sinh"]) == "1975"  # the year is public, the date needs consent
        assert [withheld[h] for h in ("Ngày sinh", "Dân tộc", "Quê quán", "Email", "Điện thoại")] == [""] * 5
        assert (withheld["Học vị"], withheld["Năm được tôn vinh"], withheld["Trong nguồn nhân tài"],
                withheld["Đồng ý chia sẻ thông tin"]) == ("TS", "", "Không", "Không")
    assert {row[0] for row in read_xlsx(export.national_xlsx())[1:]} == {agreed.id, private.id}  # numbers in Excel


def test_every_consent_required_column_is_blank_without_consent(app):
    make_person("Lê Văn Không", hometown="Quê", email="a@b.vn", phone="0900", consent_national_db=False)
    row = by_header(read_csv(export.national_csv()))[0]
    for column in export.COLUMNS:
        if column.visibility == export.CONSENT:
            assert row[column.header] == "", column.header


def test_rows_are_in_vietnamese_name_order(app):
    for name in ("Nguyễn Văn Bình", "Trần Thị Anh", "Lê Văn Bình"):
        make_person(name)
    names = [row["Họ và tên"] for row in by_header(read_csv(export.national_csv()))]
    assert names == ["Trần Thị Anh", "Lê Văn Bình", "Nguyễn Văn Bình"]


def test_formulas_cannot_be_smuggled_into_a_spreadsheet(app):
    make_person("=HYPERLINK(\"http://evil.example\",\"Bấm\")", workplace="+cmd|' /C calc'!A0",
                position="-2+3", expertise="@SUM(1+1)", phone="+84 912 345 678", consent_national_db=True)
    row = by_header(read_csv(export.national_csv()))[0]
    assert row["Họ và tên"] == "'=HYPERLINK(\"http://evil.example\",\"Bấm\")"
    assert row["Cơ quan công tác"] == "'+cmd|' /C calc'!A0"
    assert row["Chức vụ"] == "'-2+3" and row["Chuyên môn"] == "'@SUM(1+1)"
    assert row["Điện thoại"] == "'+84 912 345 678"

    sheet = load_workbook(io.BytesIO(export.national_xlsx()))[export.SHEET_NAME]
    cells = {sheet.cell(row=1, column=i + 1).value: sheet.cell(row=2, column=i + 1) for i in range(len(export.COLUMNS))}
    name = cells["Họ và tên"]
    assert name.data_type == "s" and name.value == "=HYPERLINK(\"http://evil.example\",\"Bấm\")"
    assert all(cell.data_type in ("s", "n", "d") for cell in cells.values())


def test_the_excel_file_stores_numbers_and_dates_as_such_and_prints_well(app, people):
    """Issue 15: dates are date cells shown dd/mm/yyyy, numbers are numbers; the header bold, frozen (with the id
    and the name), filterable and repeated on printed pages; A4 landscape fitted to the width; the title and the
    export time in the document properties."""
    with clock.frozen(datetime(2026, 7, 1, 10, 30)):
        book = load_workbook(io.BytesIO(export.national_xlsx()))
    sheet = book[export.SHEET_NAME]
    header = [cell.value for cell in sheet[1]]
    agreed = next(dict(zip(header, row)) for row in sheet.iter_rows(min_row=2) if row[1].value == "Nguyễn Thị Đồng Ý")
    assert agreed["Ngày sinh"].value == datetime(1980, 3, 8) and agreed["Ngày sinh"].number_format == "dd/mm/yyyy"
    assert agreed["Ngày cập nhật"].value == datetime(2026, 6, 15)
    assert isinstance(agreed["Mã định danh"].value, int) and agreed["Năm sinh"].value == 1980
    assert agreed["Năm được tôn vinh"].value == "2025; 2026"  # a list of years stays text
    assert all(cell.font.b for cell in sheet[1]) and not agreed["Họ và tên"].font.b
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref == "A1:U3" and sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.column_dimensions["B"].width == 28
    assert "CSDL quốc gia" in book.properties.title and "01/07/2026 10:30" in book.properties.subject
    assert book.properties.created == datetime(2026, 7, 1, 3, 30)  # stored in UTC


def test_the_export_runs_the_same_few_queries_for_any_number_of_persons(app):
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    secretary = make_user(roles.SECRETARIAT)
    round_ = published_round(2025)
    counts = []
    for size in (3, 60):
        for i in range(size):
            person = make_person(f"Người Thứ {size}-{i}", organisation_id=org.id)
            if i % 3 == 0:
                make_dossier(round_, org, nominator, state=states.PUBLISHED, full_name=person.full_name,
                             person_id=person.id, with_attachment=False)
            if i % 4 == 0:
                make_pool_entry(person, secretary)
        db.session.expire_all()
        with count_queries() as statements:
            export.national_xlsx()
            export.national_csv()
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 10, counts  # per export: the count, then 4 queries per chunk of persons


def export_through_a_job(client, extension: str):
    """The button queues the job and leads to its page; the worker writes the file; the page links it."""
    from honours.core.jobs import worker

    response = client.post("/tri-thuc/export", data={"format": extension})
    assert response.status_code == 302 and "/cong-viec/" in response.headers["Location"]
    job_page = response.headers["Location"]
    assert worker.run_due() == {"done": 1}
    page = client.get(job_page).get_data(as_text=True)
    assert 'value="100"' in page and "/download" in page
    return client.get(job_page + "/download")


def test_downloads_are_private_and_named_by_day(app, client, people):
    with clock.frozen(datetime(2026, 7, 1, 10, 0)):
        login(client, make_user(roles.SECRETARIAT))
        downloads = {}
        for extension, mimetype in (("csv", "text/csv"), ("xlsx", "spreadsheetml")):
            response = downloads[extension] = export_through_a_job(client, extension)
            assert response.status_code == 200 and mimetype in response.content_type
            assert f"csdl-tri-thuc-20260701.{extension}" in response.headers["Content-Disposition"]
            assert "no-store" in response.headers["Cache-Control"]
        csv_rows = read_csv(downloads["csv"].data)
        assert {row[1] for row in csv_rows[1:]} == {"Nguyễn Thị Đồng Ý", "Trần Văn Riêng"}
        assert read_xlsx(downloads["xlsx"].data) == [csv_rows[0]] + [
            [int(v) if i in (0, 3) else v for i, v in enumerate(row)] for row in csv_rows[1:]]


def test_an_unknown_format_is_refused(app, client):
    login(client, make_user(roles.SECRETARIAT))
    assert client.post("/tri-thuc/export", data={"format": "pdf"}).status_code == 400
    with pytest.raises(RuleViolation):
        export.start_national_export(make_user(roles.SECRETARIAT, email="thuky2@example.vn"), "pdf")
    with pytest.raises(RuleViolation):  # the service refuses whoever calls it, not only the route
        export.start_national_export(make_user(roles.ADMIN), "csv")


def test_every_download_is_in_the_audit_log(app, client, people):
    """Personal data leaving the platform is audited: who, when, which export and format, how many people;
    never the data itself (issue 10, finding 7). The job records it when it writes the file."""
    from sqlalchemy import select

    from honours.core.audit import AuditEntry

    secretary = make_user(roles.SECRETARIAT)
    login(client, secretary)
    for extension in ("csv", "xlsx"):
        assert export_through_a_job(client, extension).status_code == 200
    db.session.expire_all()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "national_export")
                                 .order_by(AuditEntry.id)).all()
    assert [(e.actor_id, e.entity_type, e.reason_code, e.reason_params["format"]) for e in entries] == [
        (secretary.id, "person", "directory.national_export", "CSV"),
        (secretary.id, "person", "directory.national_export", "XLSX")]
    assert entries[0].reason_params == {"format": "CSV", "rows": 2, "consented": 1}
    assert "2 người" in entries[0].reason and "dongy@example.vn" not in entries[0].reason
